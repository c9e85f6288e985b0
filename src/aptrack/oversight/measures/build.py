"""Assemble the dashboard's sections from the measure modules, and find the children behind any
figure or row through the drill-down registry."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

from django.db.models import QuerySet

from aptrack.children.models import Child
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.measures import activity as measures_activity
from aptrack.oversight.measures import budget as measures_budget
from aptrack.oversight.measures import cohort as measures_cohort
from aptrack.oversight.measures import duties as measures_duties
from aptrack.oversight.measures import now as measures_now
from aptrack.oversight.measures.base import COHORT_NOW, COHORTS, DRILLDOWNS, Context
from aptrack.oversight.measures.catalogue import CATALOGUE, Dashboard, Figure, Section
from aptrack.oversight.measures.periods import Period

NOW_KEYS = (
    "children_in_ap",
    "ehcp_share",
    "looked_after_in_ap",
    "part_time_now",
    "out_of_area_now",
    "unregistered_now",
)
DRIFT_KEYS = ("open_ended", "open_ended_no_exit_plan", "drift", "reviews_overdue", "longest_length")


def _pick(figures: list[Figure], keys: tuple[str, ...]) -> list[Figure]:
    by_key = {f.key: f for f in figures}
    return [by_key[key] for key in keys]


def build(
    *, la: LocalAuthority, period: Period, today: dt.date, cohort: str = "period"
) -> Dashboard:
    if cohort not in COHORTS:
        raise ValueError(f"Unknown cohort {cohort}")
    ctx = Context(la_id=la.pk, period=period, today=today, cohort=cohort)
    now = measures_now.now_figures(ctx)
    who = "now" if cohort == COHORT_NOW else "during the period"
    activity_figures, by_month = measures_activity.activity(ctx)
    attendance_figures, attendance_breakdowns = measures_duties.attendance_measures(ctx)
    outcome_figures, destinations = measures_duties.outcomes(ctx)
    spend_figures, spend_breakdowns = measures_activity.spend(ctx)
    by_cost = {f.key: f for f in now}
    in_period = measures_cohort.period_total(ctx)
    total = by_cost["children_in_ap"].count if cohort == COHORT_NOW else in_period.count
    sections = [
        Section(
            "children",
            "Children in AP",
            [*_pick(now, NOW_KEYS), in_period, measures_cohort.placement_moves(ctx)],
            [],
            note="Placements the LA commissions, and those schools commission for children who live in the LA.",
        ),
        Section(
            "who",
            f"Who is in AP {who}, and where",
            [],
            [
                *measures_cohort.placement_breakdowns(ctx, total=total),
                *measures_cohort.child_breakdowns(ctx, total=total),
            ],
            note="A child with placements in two groups counts in both, so rows can add up to more than the total.",
        ),
        Section("drift", "Placements needing attention now", _pick(now, DRIFT_KEYS), []),
        Section("activity", "Referrals and placements in the period", activity_figures, by_month),
        Section(
            "sixth_day",
            "Sixth-day provision after permanent exclusion",
            measures_duties.sixth_day(ctx),
            [],
        ),
        Section(
            "fair_access",
            "Fair Access: a place within 20 school days",
            measures_duties.fair_access(ctx),
            [],
        ),
        Section("attendance", "Attendance", attendance_figures, attendance_breakdowns),
        Section("outcomes", "Outcomes of placements that ended", outcome_figures, destinations),
        Section(
            "spend", "Spend", [*spend_figures, by_cost["average_weekly_cost"]], spend_breakdowns
        ),
        measures_budget.section(ctx),
    ]
    return Dashboard(la=la, period=period, sections=sections, today=today, extra={"cohort": cohort})


def children_behind(
    *,
    la: LocalAuthority,
    period: Period,
    today: dt.date,
    measure: str,
    value: str | None,
    cohort: str = "period",
) -> QuerySet[Child]:
    if cohort not in COHORTS:
        raise KeyError(cohort)
    ctx = Context(la_id=la.pk, period=period, today=today, cohort=cohort)
    return DRILLDOWNS[measure](ctx, value, key=measure)


def describe(
    board: Dashboard, *, measure: str, value: str | None
) -> tuple[str, str | None, int | None]:
    """The title of a figure or breakdown of the dashboard, for a breakdown the label of the row
    ``value`` picks, and the number of children the dashboard counted there; for the heading
    of a drill-down. Raises KeyError for an unknown measure."""
    labels = dict(CATALOGUE)
    if measure in labels:
        figure = board.figure(measure)
        return labels[measure], None, figure.count if figure else None
    breakdown = board.breakdown(measure)
    if breakdown is None:
        raise KeyError(measure)
    for row in breakdown.rows:
        if parse_qs(row.drilldown or "").get("value", [None])[0] == value:
            return breakdown.title, row.label, row.count
    return breakdown.title, value, None


def build_dashboard(
    *, la: LocalAuthority, period: Period, today: dt.date, cohort: str = "period"
) -> Dashboard:
    """Every section of the dashboard for one LA and period, computed in SQL. ``cohort`` says
    whether the "who is in AP" breakdowns count the children in AP now or during the period."""
    return build(la=la, period=period, today=today, cohort=cohort)


def children_for(
    *,
    la: LocalAuthority,
    period: Period,
    today: dt.date,
    measure: str,
    value: str | None,
    cohort: str = "period",
) -> QuerySet[Child]:
    """The children behind a figure or a row; callers then intersect with scope_children(user).

    Raises KeyError for a measure (or a breakdown value) the dashboard does not know.
    """
    return children_behind(
        la=la, period=period, today=today, measure=measure, value=value, cohort=cohort
    )
