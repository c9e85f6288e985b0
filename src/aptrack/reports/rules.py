"""When a provider's half-termly report falls due, and when it is overdue: the one owner of
"report overdue" (docs/rules.md).

A placement owes one report for each half term (a term period on the calendar of the LA
answering for it, `calendars.selectors.list_term_periods`) in which it ran
(`placements.rules.ran_between_q`). The report is due `DUE_DAYS` calendar days after the half
term's last day, and overdue from the day after that while no version has been submitted. Dates
are passed in; nothing here reads the clock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from aptrack.calendars import selectors as calendar_selectors
from aptrack.calendars.models import TermPeriod
from aptrack.children import schooling
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.reports.models import ProviderReport

DUE_DAYS = 10  # a week and a half after the half term ends: the first week back


@dataclass(frozen=True)
class HalfTerm:
    name: str
    academic_year: int
    start_date: dt.date
    end_date: dt.date

    @property
    def label(self) -> str:
        return f"{self.name} {self.academic_year}/{str(self.academic_year + 1)[2:]}"

    @property
    def due_date(self) -> dt.date:
        return due_date(self.end_date)


@dataclass(frozen=True)
class ReportDue:
    placement: Placement
    half_term: HalfTerm
    report: ProviderReport | None  # the latest version submitted, if any

    @property
    def due_date(self) -> dt.date:
        return self.half_term.due_date

    def is_overdue(self, on: dt.date) -> bool:
        return is_overdue(due=self.due_date, submitted=self.report is not None, on=on)


def due_date(half_term_end: dt.date) -> dt.date:
    return half_term_end + dt.timedelta(days=DUE_DAYS)


def is_overdue(*, due: dt.date, submitted: bool, on: dt.date) -> bool:
    """Not overdue on the due day itself."""
    return not submitted and on > due


def _half_term(period: TermPeriod) -> HalfTerm:
    return HalfTerm(period.name, period.academic_year, period.start_date, period.end_date)


def half_terms(*, la_id: int | None, start: dt.date, end: dt.date) -> list[HalfTerm]:
    """The LA's half terms overlapping `start`..`end`, in order."""
    found = []
    for year in range(schooling.academic_year_start(start), schooling.academic_year_start(end) + 1):
        for period in calendar_selectors.list_term_periods(la_id=la_id, academic_year=year):
            if period.end_date >= start and period.start_date <= end:
                found.append(_half_term(period))
    return found


def find_half_term(*, la_id: int | None, start_date: dt.date) -> HalfTerm | None:
    return next(
        (
            h
            for h in half_terms(la_id=la_id, start=start_date, end=start_date)
            if h.start_date == start_date
        ),
        None,
    )


def _latest_reports(placement_ids: Iterable[int]) -> dict[tuple[int, dt.date], ProviderReport]:
    latest: dict[tuple[int, dt.date], ProviderReport] = {}
    for report in ProviderReport.objects.filter(placement_id__in=list(placement_ids)).order_by(
        "version"
    ):
        latest[(report.placement_id, report.period_start)] = report
    return latest


def list_reports_due(
    *, placements: Iterable[Placement], on: dt.date, since: dt.date | None = None
) -> list[ReportDue]:
    """Each half term that has ended by `on` (from `since`, default the academic year before
    `on`'s) in which each placement ran, with the latest report for it. Placements have their
    child loaded (the answering LA's calendar)."""
    placements = list(placements)
    since = since or dt.date(schooling.academic_year_start(on) - 1, 9, 1)
    latest = _latest_reports(p.pk for p in placements)
    by_la: dict[int, list[HalfTerm]] = {}
    due = []
    for placement in placements:
        if placement.status not in placement_rules.RAN:
            continue
        la_id = placement_rules.answering_la_id(placement)
        if la_id not in by_la:
            by_la[la_id] = half_terms(la_id=la_id, start=since, end=on)
        for half_term in by_la[la_id]:
            ran = placement.start_date <= half_term.end_date and (
                placement.end_date is None or placement.end_date >= half_term.start_date
            )
            if ran and half_term.end_date < on:
                report = latest.get((placement.pk, half_term.start_date))
                due.append(ReportDue(placement, half_term, report))
    return due


def list_overdue_reports(*, la_id: int, on: dt.date) -> list[ReportDue]:
    """The reports overdue on `on` for the placements the LA answers for, oldest due first."""
    placements = (
        Placement.objects.filter(placement_rules.la_placements_q(la_id))
        .filter(
            placement_rules.ran_between_q(dt.date(schooling.academic_year_start(on) - 1, 9, 1), on)
        )
        .select_related("child", "provider")
    )
    return sorted(
        (d for d in list_reports_due(placements=placements, on=on) if d.is_overdue(on)),
        key=lambda d: (d.due_date, d.placement.child.legal_last_name, d.placement.pk),
    )
