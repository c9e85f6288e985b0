"""Reads of quality assurance: compliance, frameworks, visits, and the LA's oversight lists.

Other apps call `is_provider_compliant` and `get_compliance` (placements), and the list
selectors (dashboards). Every date is passed in by the caller: nothing here reads the clock.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from django.db.models import Count, F, Max, Q, QuerySet

from aptrack.providers.models import Provider, ProviderApproval
from aptrack.quality.models import (
    REQUIRED_CHECK_TYPES,
    CheckType,
    ComplianceCheck,
    ComplianceOverride,
    Framework,
    Grade,
    QAVisit,
    Standard,
    StandardJudgement,
    VisitAction,
    VisitType,
)
from aptrack.quality.states import ActionStatus, VisitStatus

EXPIRING_SOON_DAYS = 30
AUDIT_INTERVAL_YEARS = 1


def years_after(date: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


# --- which providers an LA uses ------------------------------------------------------------


def list_providers_used(*, la_id: int) -> QuerySet[Provider]:
    """Providers an LA uses: those based in it, and those with a standing on its framework."""
    approved = ProviderApproval.objects.filter(local_authority_id=la_id).values("provider_id")
    return (
        Provider.objects.filter(Q(home_la_id=la_id) | Q(pk__in=approved))
        .select_related("home_la")
        .order_by("name", "pk")
    )


def get_provider(*, provider_id: int) -> Provider | None:
    return Provider.objects.select_related("home_la", "organisation").filter(pk=provider_id).first()


def get_own_provider(*, user: object) -> Provider | None:
    """The provider a provider-staff user works for, if it is on the register."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return None
    return Provider.objects.filter(organisation_id=organisation_id).first()


# --- compliance ----------------------------------------------------------------------------


class CheckState(Enum):
    MISSING = "Missing"
    EXPIRED = "Expired"
    EXPIRING_SOON = "Expiring soon"
    IN_DATE = "In date"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class CheckRow:
    check_type: CheckType
    state: CheckState
    check: ComplianceCheck | None


@dataclass(frozen=True)
class ComplianceStatus:
    """A provider's compliance on a date. Compliant means no required check is missing and
    none has expired (an expiry date before the date asked about)."""

    on: dt.date
    compliant: bool
    missing: list[CheckType]
    expired: list[ComplianceCheck]
    expiring_soon: list[ComplianceCheck]
    rows: list[CheckRow] = field(default_factory=list)

    @property
    def gaps(self) -> list[str]:
        """What stops the provider being compliant, in words."""
        return [f"{t.label}: missing" for t in self.missing] + [
            f"{CheckType(c.check_type).label}: expired {c.expiry_date.day} {c.expiry_date:%B %Y}"
            for c in self.expired
        ]


@dataclass(frozen=True)
class ProviderCompliance:
    provider: Provider
    status: ComplianceStatus


def _current_checks(provider_ids: list[int]) -> dict[int, dict[str, ComplianceCheck]]:
    by_provider: dict[int, dict[str, ComplianceCheck]] = defaultdict(dict)
    checks = ComplianceCheck.objects.filter(
        provider_id__in=provider_ids, superseded_at__isnull=True
    ).select_related("recorded_by")
    for check in checks:
        by_provider[check.provider_id][check.check_type] = check
    return by_provider


def _status(checks: dict[str, ComplianceCheck], on: dt.date, soon_days: int) -> ComplianceStatus:
    soon = on + dt.timedelta(days=soon_days)
    missing: list[CheckType] = []
    expired: list[ComplianceCheck] = []
    expiring: list[ComplianceCheck] = []
    rows: list[CheckRow] = []
    for check_type in REQUIRED_CHECK_TYPES:
        check = checks.get(check_type)
        if check is None:
            missing.append(check_type)
            state = CheckState.MISSING
        elif check.expiry_date < on:
            expired.append(check)
            state = CheckState.EXPIRED
        elif check.expiry_date <= soon:
            expiring.append(check)
            state = CheckState.EXPIRING_SOON
        else:
            state = CheckState.IN_DATE
        rows.append(CheckRow(check_type=check_type, state=state, check=check))
    return ComplianceStatus(
        on=on,
        compliant=not missing and not expired,
        missing=missing,
        expired=expired,
        expiring_soon=expiring,
        rows=rows,
    )


def get_compliance(
    *, provider: Provider, on: dt.date, soon_days: int = EXPIRING_SOON_DAYS
) -> ComplianceStatus:
    """The provider's current evidence, judged on `on`."""
    return _status(_current_checks([provider.pk]).get(provider.pk, {}), on, soon_days)


def is_provider_compliant(provider: Provider, on: dt.date) -> bool:
    """For the placements service: may a placement start on `on` without a manager's override?"""
    return get_compliance(provider=provider, on=on).compliant


def list_provider_compliance(*, la_id: int, on: dt.date) -> list[ProviderCompliance]:
    """Every provider the LA uses, with its compliance on `on` (two queries)."""
    providers = list(list_providers_used(la_id=la_id))
    checks = _current_checks([p.pk for p in providers])
    return [
        ProviderCompliance(provider=p, status=_status(checks.get(p.pk, {}), on, EXPIRING_SOON_DAYS))
        for p in providers
    ]


def list_not_compliant(*, la_id: int, on: dt.date) -> list[ProviderCompliance]:
    return [row for row in list_provider_compliance(la_id=la_id, on=on) if not row.status.compliant]


def list_expiring(
    *, la_id: int, on: dt.date, days: int = EXPIRING_SOON_DAYS
) -> list[ComplianceCheck]:
    """Current evidence that expires from `on` to `days` days later, across the LA's providers."""
    approved = ProviderApproval.objects.filter(local_authority_id=la_id).values("provider_id")
    return list(
        ComplianceCheck.objects.filter(
            superseded_at__isnull=True,
            expiry_date__gte=on,
            expiry_date__lte=on + dt.timedelta(days=days),
        )
        .filter(Q(provider__home_la_id=la_id) | Q(provider_id__in=approved))
        .select_related("provider")
        .order_by("expiry_date", "provider__name", "check_type", "pk")
    )


def list_check_history(*, provider: Provider) -> list[ComplianceCheck]:
    """Every piece of evidence ever recorded for the provider, newest first."""
    return list(
        ComplianceCheck.objects.filter(provider=provider)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def list_overrides(*, provider: Provider, la_id: int | None) -> list[ComplianceOverride]:
    if la_id is None:
        return []
    return list(
        ComplianceOverride.objects.filter(provider=provider, local_authority_id=la_id)
        .select_related("by")
        .order_by("-at", "-pk")
    )


# --- frameworks ----------------------------------------------------------------------------


def list_frameworks(*, la_id: int) -> list[Framework]:
    """National frameworks, then the LA's own."""
    return list(
        Framework.objects.filter(Q(owner_la__isnull=True) | Q(owner_la_id=la_id))
        .select_related("owner_la", "based_on")
        .annotate(standard_count=Count("standards", filter=Q(standards__retired_at__isnull=True)))
        .order_by(F("owner_la_id").asc(nulls_first=True), "name", "pk")
    )


def get_framework(*, framework_id: int) -> Framework | None:
    return Framework.objects.select_related("owner_la").filter(pk=framework_id).first()


def list_standards(*, framework: Framework) -> list[Standard]:
    return list(
        framework.standards.filter(retired_at__isnull=True).order_by("area_number", "order", "pk")
    )


def get_standard(*, framework: Framework, standard_id: int) -> Standard | None:
    return framework.standards.filter(pk=standard_id, retired_at__isnull=True).first()


@dataclass(frozen=True)
class Area:
    number: int
    title: str
    items: list  # type: ignore[type-arg]


def group_by_area(standards: list[Standard]) -> list[Area]:
    areas: dict[int, Area] = {}
    for standard in standards:
        area = areas.setdefault(
            standard.area_number, Area(standard.area_number, standard.area_title, [])
        )
        area.items.append(standard)
    return [areas[n] for n in sorted(areas)]


# --- visits --------------------------------------------------------------------------------


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
    return QAHistory(
        visits=visits,
        last_annual_audit_date=max(audits) if audits else None,
        last_overall_judgement=Grade(visits[0].overall_judgement) if visits else None,
        open_actions=sum(v.open_actions for v in visits),  # type: ignore[attr-defined]
    )


# --- the LA's oversight lists --------------------------------------------------------------


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
        last = provider.last_audit  # type: ignore[attr-defined]
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


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def academic_year(cls, on: dt.date) -> "Period":
        """1 September to 31 August, containing `on`."""
        start_year = on.year if on.month >= 9 else on.year - 1
        return cls(dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31))

    def __contains__(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


@dataclass(frozen=True)
class AreaGrades:
    framework_name: str
    area_number: int
    area_title: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ProviderQARow:
    provider: Provider
    compliant: bool
    visits_in_period: int
    last_visit_date: dt.date | None
    last_overall: Grade | None
    open_actions: int


@dataclass(frozen=True)
class QASummary:
    """What the LA's quality board sees for a period."""

    period: Period
    as_at: dt.date
    providers_used: int
    compliant_count: int
    not_compliant: list[ProviderCompliance]
    visits_by_type: list[tuple[str, int]]
    overall_counts: list[tuple[Grade, int]]
    area_grades: list[AreaGrades]
    actions_raised: int
    actions_done: int
    actions_open: int
    actions_open_past_due: int
    audits_due: list[AuditDue]
    providers: list[ProviderQARow]


def qa_summary(*, la_id: int, period: Period, as_at: dt.date | None = None) -> QASummary:
    """The LA's QA in a period: its completed visits dated in the period, their judgements and
    actions; compliance, open actions past due and audits due as at `as_at` (the period's end
    unless given: a report on the current year passes today). A fixed number of queries."""
    as_at = as_at or period.end
    compliance = list_provider_compliance(la_id=la_id, on=as_at)
    provider_ids = [row.provider.pk for row in compliance]
    visits = list(
        QAVisit.objects.filter(
            local_authority_id=la_id,
            status=VisitStatus.COMPLETED,
            visit_date__lte=period.end,
        )
        .order_by("visit_date", "pk")
        .values("pk", "provider_id", "visit_type", "visit_date", "overall_judgement")
    )
    in_period = [v for v in visits if v["visit_date"] in period]
    in_period_ids = [v["pk"] for v in in_period]

    by_type = dict.fromkeys(VisitType, 0)
    overall = dict.fromkeys(Grade, 0)
    for visit in in_period:
        by_type[VisitType(visit["visit_type"])] += 1
        overall[Grade(visit["overall_judgement"])] += 1

    area_counts: dict[tuple[str, int, str], dict[int, int]] = {}
    grades = (
        StandardJudgement.objects.filter(visit_id__in=in_period_ids)
        .values(
            "standard__framework__name", "standard__area_number", "standard__area_title", "grade"
        )
        .annotate(n=Count("pk"))
        .order_by("standard__framework__name", "standard__area_number")
    )
    for row in grades:
        key = (
            row["standard__framework__name"],
            row["standard__area_number"],
            row["standard__area_title"],
        )
        area_counts.setdefault(key, {g.value: 0 for g in Grade})[row["grade"]] += row["n"]

    actions = VisitAction.objects.filter(visit_id__in=in_period_ids).aggregate(
        raised=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        past_due=Count("pk", filter=Q(status=ActionStatus.OPEN, due_date__lt=as_at)),
    )
    open_by_provider = {
        row["visit__provider_id"]: row["n"]
        for row in VisitAction.objects.filter(
            visit__local_authority_id=la_id,
            visit__provider_id__in=provider_ids,
            status=ActionStatus.OPEN,
        )
        .values("visit__provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    }

    last_visit: dict[int, dict] = {}  # type: ignore[type-arg]
    count_in_period: dict[int, int] = defaultdict(int)
    for visit in visits:
        last_visit[visit["provider_id"]] = visit
        if visit["visit_date"] in period:
            count_in_period[visit["provider_id"]] += 1

    rows = []
    for row in compliance:
        last = last_visit.get(row.provider.pk)
        rows.append(
            ProviderQARow(
                provider=row.provider,
                compliant=row.status.compliant,
                visits_in_period=count_in_period[row.provider.pk],
                last_visit_date=last["visit_date"] if last else None,
                last_overall=Grade(last["overall_judgement"]) if last else None,
                open_actions=open_by_provider.get(row.provider.pk, 0),
            )
        )

    return QASummary(
        period=period,
        as_at=as_at,
        providers_used=len(compliance),
        compliant_count=sum(1 for row in compliance if row.status.compliant),
        not_compliant=[row for row in compliance if not row.status.compliant],
        visits_by_type=[(vt.label, n) for vt, n in by_type.items()],
        overall_counts=list(overall.items()),
        area_grades=[
            AreaGrades(framework_name=k[0], area_number=k[1], area_title=k[2], counts=v)
            for k, v in area_counts.items()
        ],
        actions_raised=actions["raised"],
        actions_done=actions["done"],
        actions_open=actions["open"],
        actions_open_past_due=actions["past_due"],
        audits_due=list_audits_due(la_id=la_id, on=as_at),
        providers=rows,
    )
