"""The LA's QA summary for a period: compliance, audits and grades by provider and by area."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from aptrack.providers.models import Provider
from aptrack.quality.models import Grade, QAVisit, StandardJudgement, VisitAction, VisitType
from aptrack.quality.selectors.compliance import ProviderCompliance, list_provider_compliance
from aptrack.quality.selectors.visits import AuditDue, list_audits_due
from aptrack.quality.states import ActionStatus, VisitStatus


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
        if visit["overall_judgement"] is not None:  # always: a completed visit is judged
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
    for grade_row in grades:
        key = (
            grade_row["standard__framework__name"],
            grade_row["standard__area_number"],
            grade_row["standard__area_title"],
        )
        counts = area_counts.setdefault(key, {g.value: 0 for g in Grade})
        counts[grade_row["grade"]] += grade_row["n"]

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

    last_visit = {visit["provider_id"]: visit for visit in visits}
    count_in_period: dict[int, int] = defaultdict(int)
    for visit in visits:
        if visit["visit_date"] in period:
            count_in_period[visit["provider_id"]] += 1

    rows = []
    for row in compliance:
        last = last_visit.get(row.provider.pk)
        last_overall = last["overall_judgement"] if last else None
        rows.append(
            ProviderQARow(
                provider=row.provider,
                compliant=row.status.compliant,
                visits_in_period=count_in_period[row.provider.pk],
                last_visit_date=last["visit_date"] if last else None,
                last_overall=Grade(last_overall) if last_overall is not None else None,
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
