"""The dashboard's measures aggregated by LA, for regional and national comparison.

Aggregates only: every number here is a count of children or a rate over children, by LA;
nothing identifies a child, and the pages suppress small numbers (`regional.table`).

The measures are the LA dashboard's, with the same definitions (tests check each LA's figures
against `build_dashboard`):
- children in AP now, and the shares of them with an EHCP, looked after, eligible for FSM
  (placements running today, counted in the LA that commissions them, or for a school's
  placement the child's home LA; distinct children);
- attendance in the period overall and by type of provider (the attendance rollups, read in
  one statement for every LA rather than through `list_measures` three times);
- sixth-day provision after permanent exclusion (the dashboard's own computation, per LA: it
  depends on each LA's term dates);
- reintegration: children whose placement ended in the period who returned to mainstream school;
- spend: the approved invoice spend of the financial year the period's last day so far falls
  in, to that day, with the children on those lines, and the high-needs block's part against the
  AP budget (`commissioning.spend.list_spend_by_la`, the spend selectors' own figures); the
  share of the budget is over the LAs that recorded one. Whole pounds.

A region's or England's figure adds up its LAs' numerators and denominators (never averages
their rates). A child placed by two LAs counts in each.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from aptrack.attendance.measures import Rates, SessionCounts
from aptrack.attendance.scopes import Period as AttendancePeriod
from aptrack.attendance.selectors import COUNT_COLUMNS, PROVIDERS, WEEKS
from aptrack.children.models import SenStatus
from aptrack.commissioning.spend import list_spend_by_la
from aptrack.organisations.models import LocalAuthority, Region
from aptrack.oversight.measures import duties as measures_duties
from aptrack.oversight.measures.base import money, percent
from aptrack.oversight.measures.periods import Period
from aptrack.placements import rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import REGISTERED_KINDS


@dataclass
class LaFigures:
    """The numerators and denominators behind one LA's (or one area's) measures."""

    children_now: int = 0
    ehcp_now: int = 0
    looked_after_now: int = 0
    fsm_now: int = 0
    attendance: SessionCounts = field(default_factory=SessionCounts)
    attendance_children: int = 0
    registered: SessionCounts = field(default_factory=SessionCounts)
    registered_children: int = 0
    non_school: SessionCounts = field(default_factory=SessionCounts)
    non_school_children: int = 0
    excluded: int = 0  # permanently excluded children whose sixth day fell in the period
    sixth_day_met: int = 0
    ended: int = 0  # children whose placement ended in the period
    reintegrated: int = 0
    spend: int = 0  # approved invoice spend in the financial year to date, whole pounds
    spend_children: int = 0
    budgeted_spend: int = 0  # the high-needs part, of LAs with an AP budget for the year
    budgeted_children: int = 0
    budget: int = 0  # those LAs' AP budgets

    def __add__(self, other: "LaFigures") -> "LaFigures":
        return LaFigures(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
            }
        )

    @property
    def ehcp_share(self) -> Decimal | None:
        return percent(self.ehcp_now, self.children_now)

    @property
    def looked_after_share(self) -> Decimal | None:
        return percent(self.looked_after_now, self.children_now)

    @property
    def fsm_share(self) -> Decimal | None:
        return percent(self.fsm_now, self.children_now)

    @property
    def attendance_rate(self) -> Decimal | None:
        return Rates.of(self.attendance).attendance

    @property
    def registered_attendance_rate(self) -> Decimal | None:
        return Rates.of(self.registered).attendance

    @property
    def non_school_attendance_rate(self) -> Decimal | None:
        return Rates.of(self.non_school).attendance

    @property
    def sixth_day_compliance(self) -> Decimal | None:
        return percent(self.sixth_day_met, self.excluded)

    @property
    def reintegration_rate(self) -> Decimal | None:
        return percent(self.reintegrated, self.ended)

    @property
    def spend_per_child(self) -> Decimal | None:
        if not self.spend_children:
            return None
        return money(Decimal(self.spend) / self.spend_children)

    @property
    def budget_share(self) -> Decimal | None:
        """High-needs spend approved so far as a percentage of the AP budget."""
        return percent(self.budgeted_spend, self.budget)


@dataclass(frozen=True)
class Area:
    """A named set of LAs (a region, or England) with its LAs' figures and their total."""

    key: str
    name: str
    las: list[tuple[LocalAuthority, LaFigures]]

    @property
    def total(self) -> LaFigures:
        return sum((figures for _, figures in self.las), LaFigures())


def _now(la_ids: list[int], today: dt.date) -> dict[int, dict[str, int]]:
    rows = (
        Placement.objects.filter(rules.running_on_q(today))
        .annotate(la=rules.answering_la())
        .filter(la__in=la_ids)
        .values("la")
        .annotate(
            children=Count("child_id", distinct=True),
            ehcp=Count("child_id", distinct=True, filter=Q(child__sen_status=SenStatus.EHCP)),
            looked_after=Count("child_id", distinct=True, filter=Q(child__looked_after=True)),
            fsm=Count("child_id", distinct=True, filter=Q(child__fsm=True)),
        )
        .order_by()
    )
    return {row["la"]: row for row in rows}


def _attendance(
    la_ids: set[int], period: Period, today: dt.date
) -> dict[str, dict[int, tuple[SessionCounts, int]]]:
    """Session counts and children with a possible session, per LA: overall, at registered
    and at non-school providers. One statement over the weekly rollups (the attendance
    measures' own source and week rule), summed per child first so a child counts once."""
    found: dict[str, dict[int, tuple[SessionCounts, int]]] = {
        "all": {},
        "registered": {},
        "non_school": {},
    }
    to_date = period.to_date(today)
    if to_date < period.start or not la_ids:
        return found
    span = AttendancePeriod(period.start, to_date, period.label)
    kinds = sorted(REGISTERED_KINDS)
    columns = list(COUNT_COLUMNS)
    sums = ", ".join(f"SUM(w.{c}) AS {c}" for c in columns)
    totals = ", ".join(f"SUM({c})" for c in columns)
    nulls = ", ".join("NULL" for _ in columns)
    possible = "present + aea + authorised + unauthorised"
    # Children per (LA, kind) need no DISTINCT: per_child has one row per child in each; a
    # child's "all" row adds up both kinds first, so a child at both counts once.
    sql = f"""
        WITH per_child AS (
            SELECT w.local_authority_id AS la, w.child_id AS child,
                   CASE WHEN pr.kind IN ({", ".join(["%s"] * len(kinds))}) THEN 'registered' ELSE 'non_school' END AS kind,
                   {sums}
            FROM {WEEKS} w LEFT JOIN {PROVIDERS} pr ON pr.organisation_id = w.provider_id
            WHERE w.week_start_date >= %s AND w.week_start_date <= %s
            GROUP BY 1, 2, 3
        ), per_child_all AS (
            SELECT la, child, SUM({possible}) AS possible FROM per_child GROUP BY la, child
        )
        SELECT la, kind, {totals}, SUM(CASE WHEN {possible} > 0 THEN 1 ELSE 0 END)
        FROM per_child GROUP BY la, kind
        UNION ALL
        SELECT la, 'all', {nulls}, COUNT(*) FROM per_child_all WHERE possible > 0 GROUP BY la
    """
    children_all: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, span.first_week, span.end_date])
        for la_id, kind, *values in cursor.fetchall():
            if la_id not in la_ids:
                continue
            if kind == "all":
                children_all[la_id] = int(values[len(columns)])
                continue
            counts = SessionCounts(*(int(v or 0) for v in values[: len(columns)]))
            found[kind][la_id] = (counts, int(values[len(columns)]))
    for la_id in set(found["registered"]) | set(found["non_school"]):
        counts = (
            found["registered"].get(la_id, (SessionCounts(), 0))[0]
            + found["non_school"].get(la_id, (SessionCounts(), 0))[0]
        )
        found["all"][la_id] = (counts, children_all.get(la_id, 0))
    return found


def _ended(la_ids: list[int], period: Period, today: dt.date) -> dict[int, dict[str, int]]:
    rows = (
        Placement.objects.filter(
            status=PlacementStatus.ENDED,
            end_date__gte=period.start,
            end_date__lte=period.to_date(today),
        )
        .annotate(la=rules.answering_la())
        .filter(la__in=la_ids)
        .values("la")
        .annotate(
            ended=Count("child_id", distinct=True),
            reintegrated=Count(
                "child_id", distinct=True, filter=Q(destination__in=measures_duties.MAINSTREAM)
            ),
        )
        .order_by()
    )
    return {row["la"]: row for row in rows}


def _sixth_day(la_ids: list[int], period: Period, today: dt.date) -> dict[int, tuple[int, int]]:
    """(excluded, met) per LA with any permanent exclusion that fell due in the period: the
    dashboard's own figures, read for every LA at once (each LA counts school days on its terms)."""
    return {
        la_id: (len(due), len(due - missed))
        for la_id, (due, missed) in measures_duties.sixth_day_children_by_la(
            la_ids=la_ids, period=period, today=today
        ).items()
    }


def la_figures(
    *, las: Iterable[LocalAuthority], period: Period, today: dt.date
) -> dict[int, LaFigures]:
    """Every LA's numerators and denominators for the period (a few grouped queries)."""
    la_list = list(las)
    ids = [la.pk for la in la_list]
    now = _now(ids, today)
    att = _attendance(set(ids), period, today)
    ended = _ended(ids, period, today)
    sixth = _sixth_day(ids, period, today)
    spent = list_spend_by_la(la_ids=ids, on=period.to_date(today))
    results = {}
    for la_id in ids:
        current = now.get(la_id, {})
        overall = att["all"].get(la_id, (SessionCounts(), 0))
        registered = att["registered"].get(la_id, (SessionCounts(), 0))
        non_school = att["non_school"].get(la_id, (SessionCounts(), 0))
        leavers = ended.get(la_id, {})
        excluded, met = sixth.get(la_id, (0, 0))
        results[la_id] = LaFigures(
            children_now=current.get("children", 0),
            ehcp_now=current.get("ehcp", 0),
            looked_after_now=current.get("looked_after", 0),
            fsm_now=current.get("fsm", 0),
            attendance=overall[0],
            attendance_children=overall[1],
            registered=registered[0],
            registered_children=registered[1],
            non_school=non_school[0],
            non_school_children=non_school[1],
            excluded=excluded,
            sixth_day_met=met,
            ended=leavers.get("ended", 0),
            reintegrated=leavers.get("reintegrated", 0),
            spend=spent[la_id].actual,
            spend_children=spent[la_id].children,
        )
        budget = spent[la_id].budget
        if budget:  # the budget's share is over the LAs that recorded one
            results[la_id].budget = budget
            results[la_id].budgeted_spend = spent[la_id].high_needs
            results[la_id].budgeted_children = spent[la_id].high_needs_children
    return results


def list_areas(*, region: str | None, figures: dict[int, LaFigures]) -> list[Area]:
    """One area per region (or just `region`), each with its LAs by name and their figures
    (from the store of figures, by LA id)."""
    las = LocalAuthority.objects.order_by("name")
    if region:
        las = las.filter(region=region)
    by_region: dict[str, list[tuple[LocalAuthority, LaFigures]]] = defaultdict(list)
    for la in las:
        by_region[la.region].append((la, figures[la.pk]))
    return [
        Area(key=key, name=str(label), las=by_region[key])
        for key, label in Region.choices
        if key in by_region
    ]


def england_total(areas: list[Area]) -> LaFigures:
    return sum((area.total for area in areas), LaFigures())
