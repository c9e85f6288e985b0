"""Providers, evidence and visits for quality tests. Dates are fixed by the caller."""

import datetime as dt

import factory
from django.utils import timezone

from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.providers.models import Provider
from aptrack.quality.models import (
    CheckType,
    ComplianceCheck,
    Framework,
    QAVisit,
    StandardJudgement,
    VisitType,
)
from aptrack.quality.states import VisitStatus

DFE_FRAMEWORK = "DfE non-school AP voluntary national standards (2025)"
LOCAL_TEMPLATE = "Local QA framework"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    organisation = factory.SubFactory(OrganisationFactory, kind="PROVIDER")
    name = factory.LazyAttribute(lambda p: p.organisation.name)
    kind = "OTHER"
    setting_type = "OTH"
    home_la = factory.LazyFunction(lambda: la("838"))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


def add_check(
    provider: Provider,
    by: object,
    check_type: CheckType,
    *,
    evidence_date: dt.date,
    expiry_date: dt.date,
) -> ComplianceCheck:
    """Current evidence straight into the table, for selector tests."""
    return ComplianceCheck.objects.create(
        provider=provider,
        check_type=check_type,
        evidence_date=evidence_date,
        expiry_date=expiry_date,
        named_person="Sam Lead" if check_type == CheckType.DSL else "",
        recorded_by=by,
        recorded_at=timezone.now(),
    )


def make_compliant(provider: Provider, by: object, *, on: dt.date, days_left: int = 200) -> None:
    for check_type in CheckType:
        add_check(
            provider,
            by,
            check_type,
            evidence_date=on - dt.timedelta(days=30),
            expiry_date=on + dt.timedelta(days=days_left),
        )


def national(name: str = DFE_FRAMEWORK) -> Framework:
    return Framework.objects.get(owner_la__isnull=True, name=name)


def make_visit(
    provider: Provider,
    by: object,
    *,
    visit_date: dt.date,
    framework: Framework | None = None,
    visit_type: VisitType = VisitType.ANNUAL_AUDIT,
    completed: bool = False,
    overall: int = 2,
) -> QAVisit:
    """A visit straight into the table; completed ones have every standard judged."""
    framework = framework or national()
    now = timezone.now()
    visit = QAVisit.objects.create(
        provider=provider,
        local_authority_id=by.organisation.local_authority_id,  # type: ignore[attr-defined]
        framework=framework,
        visit_type=visit_type,
        visit_date=visit_date,
        visitors="A Visitor",
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    if completed:
        for standard in framework.standards.filter(retired_at__isnull=True):
            StandardJudgement.objects.create(
                visit=visit, standard=standard, grade=overall, recorded_by=by, recorded_at=now
            )
        QAVisit.objects.filter(pk=visit.pk).update(
            status=VisitStatus.COMPLETED,
            overall_judgement=overall,
            completed_by=by,
            completed_at=now,
        )
        visit.refresh_from_db()
    return visit
