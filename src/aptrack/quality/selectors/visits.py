"""Reads of QA visits: a provider's visits, judgements and actions, its QA history, and the
LA's lists of annual audits due and actions past their due date. Every date is passed in by the
caller: nothing here reads the clock."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from aptrack.providers.models import Provider
from aptrack.quality.models import (
    Grade,
    QAVisit,
    Standard,
    StandardJudgement,
    VisitAction,
    VisitType,
)
from aptrack.quality.selectors.providers import list_providers_used
from aptrack.quality.states import ActionStatus, VisitStatus

AUDIT_INTERVAL_YEARS = 1


def years_after(date: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def list_visits_for_provider(*, provider: Provider, la_id: int | None) -> QuerySet[QAVisit]:
    """Visits a viewer may see: completed visits by any LA, and drafts of the viewer's LA.
    `la_id` None (provider staff) means completed visits only."""
    reach = Q(status=VisitStatus.COMPLETED)
    if la_id is not None:
        reach |= Q(local_authority_id=la_id)
    return (
        QAVisit.objects.filter(reach, provider=provider)
        .select_related("local_authority", "framework")
        .annotate(open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)))
        .order_by("-visit_date", "-pk")
    )


def get_visit(*, visit_id: int) -> QAVisit | None:
    return (
        QAVisit.objects.select_related(
            "provider",
            "provider__home_la",
            "local_authority",
            "framework",
            "created_by",
            "completed_by",
        )
        .filter(pk=visit_id)
        .first()
    )


def list_visit_standards(*, visit: QAVisit) -> list[Standard]:
    """The framework's standards, plus any since retired that this visit judged."""
    judged = StandardJudgement.objects.filter(visit=visit).values("standard_id")
    return list(
        Standard.objects.filter(framework_id=visit.framework_id)
        .filter(Q(retired_at__isnull=True) | Q(pk__in=judged))
        .order_by("area_number", "order", "pk")
    )


def list_judgements(*, visit: QAVisit) -> dict[int, StandardJudgement]:
    return {j.standard_id: j for j in StandardJudgement.objects.filter(visit=visit)}


def list_unjudged_standards(*, visit: QAVisit) -> list[Standard]:
    """The framework's current standards this visit has not yet judged."""
    judged = StandardJudgement.objects.filter(visit=visit).values("standard_id")
    return list(
        Standard.objects.filter(framework_id=visit.framework_id, retired_at__isnull=True)
        .exclude(pk__in=judged)
        .order_by("area_number", "order", "pk")
    )


def list_actions(*, visit: QAVisit) -> list[VisitAction]:
    return list(visit.actions.order_by("status", "due_date", "pk"))


def get_action(*, visit: QAVisit, action_id: int) -> VisitAction | None:
    return visit.actions.filter(pk=action_id).first()


@dataclass(frozen=True)
class QAHistory:
    """A provider's QA record: completed visits, newest first, and what is still open."""

    visits: list[QAVisit]
    last_annual_audit_date: dt.date | None
    last_overall_judgement: Grade | None
    open_actions: int


def get_qa_history(*, provider: Provider) -> QAHistory:
    visits = list(list_visits_for_provider(provider=provider, la_id=None))
    audits = [v.visit_date for v in visits if v.visit_type == VisitType.ANNUAL_AUDIT]
    last = visits[0].overall_judgement if visits else None
    return QAHistory(
        visits=visits,
        last_annual_audit_date=max(audits) if audits else None,
        last_overall_judgement=Grade(last) if last is not None else None,
        open_actions=sum(v.open_actions for v in visits),  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class AuditDue:
    provider: Provider
    last_audit_date: dt.date | None
    due_date: dt.date | None  # None: never audited, due now
    overdue: bool

    @property
    def label(self) -> str:
        if self.last_audit_date is None:
            return "Never audited"
        return "Overdue" if self.overdue else "Due soon"


def list_audits_due(*, la_id: int, on: dt.date, within_days: int = 0) -> list[AuditDue]:
    """Providers the LA uses whose last completed annual audit by the LA is more than 12 months
    before `on`, or that it has never audited. `within_days` also lists those falling due in
    that many days. Overdue first, then by due date."""
    providers = list_providers_used(la_id=la_id).annotate(
        last_audit=Max(
            "qa_visits__visit_date",
            filter=Q(
                qa_visits__status=VisitStatus.COMPLETED,
                qa_visits__visit_type=VisitType.ANNUAL_AUDIT,
                qa_visits__local_authority_id=la_id,
                qa_visits__visit_date__lte=on,
            ),
        )
    )
    horizon = on + dt.timedelta(days=within_days)
    rows: list[AuditDue] = []
    for provider in providers:
        last = provider.last_audit
        if last is None:
            rows.append(AuditDue(provider, None, None, overdue=True))
            continue
        due = years_after(last, AUDIT_INTERVAL_YEARS)
        if due < on or (within_days > 0 and due <= horizon):
            rows.append(AuditDue(provider, last, due, overdue=due < on))
    return sorted(rows, key=lambda r: (not r.overdue, r.due_date or dt.date.min, r.provider.name))


def list_open_actions_past_due(*, la_id: int, on: dt.date) -> list[VisitAction]:
    """Open actions from the LA's visits whose due date is before `on`."""
    return list(
        VisitAction.objects.filter(
            visit__local_authority_id=la_id, status=ActionStatus.OPEN, due_date__lt=on
        )
        .select_related("visit", "visit__provider")
        .order_by("due_date", "pk")
    )
