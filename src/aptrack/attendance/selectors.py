"""Reads: registers, marks and their versions, attendance measures, and the lists same-day
alerts start from. Measures read the weekly rollups (`PlacementWeek`), never the marks, so one
LA's term costs a few thousand rows whatever the size of the register.

Callers authorise: these functions take ids and return what is there.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from aptrack.attendance import codes, rules
from aptrack.attendance.measures import (
    Rates,
    SessionCounts,
    delivered_hours,
    is_persistently_absent,
    is_severely_absent,
    planned_hours,
)
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, PlacementWeek, Session
from aptrack.attendance.scopes import Grouping, Period, Scope, ScopeKind
from aptrack.calendars import deadlines
from aptrack.calendars import selectors as calendar_selectors
from aptrack.calendars.engine import SchoolCalendar
from aptrack.children import schooling
from aptrack.organisations.models import Organisation
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import REGISTERED_KINDS, Provider

WEEKS = PlacementWeek._meta.db_table
PROVIDERS = Provider._meta.db_table
COUNT_COLUMNS = tuple(name for name in SessionCounts.__dataclass_fields__)


@dataclass(frozen=True)
class Measures:
    """Attendance for a scope over a period: session counts, rates, how many children are
    persistently or severely absent, and placement hours planned against delivered."""

    counts: SessionCounts
    rates: Rates
    children: int  # children with at least one possible session
    persistent: int
    severe: int
    planned_hours: Decimal | None = None
    delivered_hours: Decimal | None = None
    label: str = ""
    key: Any = None

    @property
    def is_persistent(self) -> bool:
        """For one child: persistently absent over the period."""
        return self.persistent > 0

    @property
    def is_severe(self) -> bool:
        return self.severe > 0


# --- measures ----------------------------------------------------------------------------------


def get_measures(
    *, scope: Scope, period: Period, today: dt.date | None = None, include_hours: bool = True
) -> Measures:
    """Measures for one scope over one period. Hours are counted up to `today` (default: the
    period's end)."""
    rows = _placement_counts(scope=scope, period=period, group=None)
    measures = next(iter(_summarise(rows, group=None)), None) or _empty()
    if not include_hours:
        return with_label(measures, period.label)
    by_placement = {placement_id: counts for _, _, placement_id, counts in rows}
    planned, delivered = get_hours(
        scope=scope, period=period, today=today or period.end_date, counts=by_placement
    )
    return Measures(
        counts=measures.counts,
        rates=measures.rates,
        children=measures.children,
        persistent=measures.persistent,
        severe=measures.severe,
        planned_hours=planned,
        delivered_hours=delivered,
        label=period.label,
    )


def list_measures(*, scope: Scope, period: Period, by: Grouping) -> list[Measures]:
    """Measures for a scope over a period, broken down by week, term, LA, provider, provider
    type or child. Each item's `key` is the week's Monday, the term's TermPeriod, the LA,
    organisation or child id, or True/False for registered providers."""
    if by == Grouping.TERM:
        la_id = scope.id if scope.kind == ScopeKind.LA else None
        terms = []
        for year in range(
            schooling.academic_year_start(period.start_date),
            schooling.academic_year_start(period.end_date) + 1,
        ):
            terms += calendar_selectors.list_term_periods(la_id=la_id, academic_year=year)
        results = []
        for term in terms:
            if term.end_date < period.start_date or term.start_date > period.end_date:
                continue
            term_period = Period(
                term.start_date,
                term.end_date,
                f"{term.name} {term.academic_year}/{str(term.academic_year + 1)[2:]}",
            )
            measures = get_measures(scope=scope, period=term_period, include_hours=False)
            results.append(with_label(measures, term_period.label, key=term))
        return results
    return _summarise(_placement_counts(scope=scope, period=period, group=by), group=by)


@dataclass(frozen=True)
class ProviderMeasures:
    """One scope's measures overall, by type of provider and by provider (`list_measures`'
    keys), read from the rollups once."""

    overall: Measures
    by_type: list[Measures]
    by_provider: list[Measures]


def get_provider_measures(*, scope: Scope, period: Period) -> ProviderMeasures:
    """What `get_measures` (without hours) and `list_measures` by provider type and by provider
    give, from one statement over the rollups: the LA dashboard shows all three."""
    rows = _placement_counts(scope=scope, period=period, group=Grouping.PROVIDER)
    registered = set(
        Provider.objects.filter(
            organisation_id__in={provider_id for provider_id, *_ in rows}, kind__in=REGISTERED_KINDS
        ).values_list("organisation_id", flat=True)
    )
    overall = next(iter(_summarise(((0, *row[1:]) for row in rows), group=None)), None) or _empty()
    return ProviderMeasures(
        overall=with_label(overall, period.label),
        by_type=_summarise(
            (
                (int(provider_id in registered), child_id, placement_id, counts)
                for provider_id, child_id, placement_id, counts in rows
            ),
            group=Grouping.PROVIDER_TYPE,
        ),
        by_provider=_summarise(rows, group=Grouping.PROVIDER),
    )


def with_label(measures: Measures, label: str, key: Any = None) -> Measures:
    """The same measures under another label (and key)."""
    return Measures(
        counts=measures.counts,
        rates=measures.rates,
        children=measures.children,
        persistent=measures.persistent,
        severe=measures.severe,
        planned_hours=measures.planned_hours,
        delivered_hours=measures.delivered_hours,
        label=label,
        key=measures.key if key is None else key,
    )


def _empty() -> Measures:
    counts = SessionCounts()
    return Measures(counts=counts, rates=Rates.of(counts), children=0, persistent=0, severe=0)


_GROUP_COLUMNS = {
    Grouping.WEEK: "w.week_start_date",
    Grouping.LA: "w.local_authority_id",
    Grouping.PROVIDER: "w.provider_id",
    Grouping.CHILD: "w.child_id",
}


def _scope_sql(scope: Scope) -> tuple[str, list[Any], bool]:
    """WHERE clause for the rollups, its params, and whether it needs the provider register."""
    if scope.kind == ScopeKind.CHILD:
        return "w.child_id = %s", [scope.id], False
    if scope.kind == ScopeKind.PLACEMENT:
        return "w.placement_id = %s", [scope.id], False
    if scope.kind == ScopeKind.PROVIDER:
        return "w.provider_id = %s", [scope.id], False
    if scope.kind == ScopeKind.LA:
        return "w.local_authority_id = %s", [scope.id], False
    if scope.kind == ScopeKind.PROVIDER_TYPE:
        kinds = sorted(REGISTERED_KINDS)
        placeholders = ", ".join(["%s"] * len(kinds))
        if scope.registered:
            return f"pr.kind IN ({placeholders})", kinds, True
        return f"(pr.kind IS NULL OR pr.kind NOT IN ({placeholders}))", kinds, True
    return "1 = 1", [], False


def _placement_counts(
    *, scope: Scope, period: Period, group: Grouping | None
) -> list[tuple[Any, int, int, SessionCounts]]:
    """(group, child id, placement id, session counts) for each placement in the scope with
    weeks in the period: one statement over the rollups."""
    where, params, needs_register = _scope_sql(scope)
    if group == Grouping.PROVIDER_TYPE:
        needs_register = True
        kinds = sorted(REGISTERED_KINDS)
        group_sql = f"CASE WHEN pr.kind IN ({', '.join(['%s'] * len(kinds))}) THEN 1 ELSE 0 END"
        group_params: list[Any] = kinds
    elif group is not None:
        group_sql, group_params = _GROUP_COLUMNS[group], []
    else:
        group_sql, group_params = "0", []
    join = (
        f"LEFT JOIN {PROVIDERS} pr ON pr.organisation_id = w.provider_id" if needs_register else ""
    )
    sums = ", ".join(f"SUM(w.{column})" for column in COUNT_COLUMNS)
    sql = f"""
        SELECT {group_sql}, w.child_id, w.placement_id, {sums}
        FROM {WEEKS} w {join}
        WHERE {where} AND w.week_start_date >= %s AND w.week_start_date <= %s
        GROUP BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*group_params, *params, period.first_week, period.end_date])
        return [
            (grp, child_id, placement_id, SessionCounts(*(int(value) for value in values)))
            for grp, child_id, placement_id, *values in cursor.fetchall()
        ]


def _summarise(
    rows: Iterable[tuple[Any, int, int, SessionCounts]], *, group: Grouping | None
) -> list[Measures]:
    """Totals per group; a child's flags from all of the child's sessions in the group."""
    by_group: dict[Any, dict[int, SessionCounts]] = defaultdict(dict)
    for grp, child_id, _, counts in rows:
        children = by_group[grp]
        children[child_id] = children[child_id] + counts if child_id in children else counts
    results = []
    for grp in sorted(by_group):
        children = by_group[grp]
        total = sum(children.values(), SessionCounts())
        key: Any = grp
        if group == Grouping.WEEK:
            key = grp if isinstance(grp, dt.date) else dt.date.fromisoformat(str(grp))
        elif group == Grouping.PROVIDER_TYPE:
            key = bool(grp)
        results.append(
            Measures(
                counts=total,
                rates=Rates.of(total),
                children=sum(1 for counts in children.values() if counts.possible),
                persistent=sum(map(is_persistently_absent, children.values())),
                severe=sum(map(is_severely_absent, children.values())),
                key=key,
                label=_group_label(group, key),
            )
        )
    return results


def _group_label(group: Grouping | None, key: Any) -> str:
    if group == Grouping.WEEK:
        return f"Week of {rules.uk_date(key)}"
    if group == Grouping.PROVIDER_TYPE:
        return "Registered providers" if key else "Non-school providers"
    return ""


# --- hours ---------------------------------------------------------------------------------------


def _placement_filter(scope: Scope) -> Q:
    if scope.kind == ScopeKind.CHILD:
        return Q(child_id=scope.id)
    if scope.kind == ScopeKind.PLACEMENT:
        return Q(pk=scope.id)
    if scope.kind == ScopeKind.PROVIDER:
        return Q(provider_id=scope.id)
    if scope.kind == ScopeKind.LA:
        return _la_placements(scope.id)
    if scope.kind == ScopeKind.PROVIDER_TYPE:
        registered = Q(provider__provider__kind__in=REGISTERED_KINDS)
        return registered if scope.registered else ~registered
    return Q()


def _la_placements(la_id: int | None, prefix: str = "") -> Q:
    """Placements an LA's measures count (`placements.rules.la_placements_q`)."""
    return placement_rules.la_placements_q(la_id, prefix=prefix)


def get_hours(
    *,
    scope: Scope,
    period: Period,
    today: dt.date,
    counts: dict[int, SessionCounts] | None = None,
) -> tuple[Decimal | None, Decimal | None]:
    """Placement hours planned (hours a week × school days ÷ 5, while placed, up to `today`) and
    delivered (planned × share of timetabled sessions attended), summed over the scope's
    placements. Delivered is None when no placement has marks to judge by. `counts`, the
    placements' session counts over the period, saves reading them again."""
    end = min(period.end_date, today)
    if end < period.start_date:
        return None, None
    placements = list(
        Placement.objects.filter(_placement_filter(scope), start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start_date))
        .exclude(status=PlacementStatus.CANCELLED)
        .annotate(answering_la_id=placement_rules.answering_la())
        .values_list("pk", "hours_per_week", "start_date", "end_date", "answering_la_id")
    )
    if not placements:
        return None, None
    if counts is None:
        counts = {
            row[2]: row[3] for row in _placement_counts(scope=scope, period=period, group=None)
        }
    day_counters: dict[int, _SchoolDayCounter] = {}
    planned_total, delivered_total, judged = Decimal(0), Decimal(0), False
    for placement_id, hours, start, finish, la_id in placements:
        if la_id not in day_counters:
            day_counters[la_id] = _SchoolDayCounter(
                calendar_selectors.get_calendar(la_id=la_id), period.start_date, end
            )
        days = day_counters[la_id].between(max(start, period.start_date), min(finish or end, end))
        planned = planned_hours(hours, days)
        planned_total += planned
        delivered = delivered_hours(planned, counts.get(placement_id, SessionCounts()))
        if delivered is not None:
            delivered_total += delivered
            judged = True
    return planned_total, (delivered_total if judged else None)


class _SchoolDayCounter:
    """School days between two dates in O(1), from a running count over the period."""

    def __init__(self, calendar: SchoolCalendar, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.running = [0]
        day = start
        while day <= end:
            self.running.append(self.running[-1] + calendar.is_school_day(day))
            day += dt.timedelta(days=1)

    def between(self, first: dt.date, last: dt.date) -> int:
        if last < first:
            return 0
        low = max(0, (first - self.start).days)
        high = min(len(self.running) - 1, (last - self.start).days + 1)
        return max(0, self.running[high] - self.running[low])


# --- registers and marks -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterLine:
    placement: Placement
    mark: AttendanceMark | None
    # X may be recorded only for a child below or above compulsory school age on the day.
    may_have_x: bool = False


def _placed_on(on: dt.date) -> Q:
    return (
        Q(start_date__lte=on)
        & (Q(end_date__isnull=True) | Q(end_date__gte=on))
        & ~Q(status=PlacementStatus.CANCELLED)
    )


def register_placements(*, provider_id: int, on: dt.date) -> QuerySet[Placement]:
    """The provider's placements running on `on`, with their children, by surname: the
    register's rows, in the order the page lists them."""
    return (
        Placement.objects.filter(_placed_on(on), provider_id=provider_id)
        .select_related("child")
        .order_by("child__legal_last_name", "child__legal_first_name", "pk")
    )


def register_lines(
    placements: Iterable[Placement], *, on: dt.date, session: Session
) -> list[RegisterLine]:
    """Register lines for `placements` (a page of `register_placements`): each with the
    session's mark if any and whether code X is theirs to be given that day
    (children.schooling decides who is of compulsory school age)."""
    placements = list(placements)
    marks = {
        mark.placement_id: mark
        for mark in AttendanceMark.objects.filter(
            placement__in=[placement.pk for placement in placements],
            session_date=on,
            session=session,
        )
    }
    return [
        RegisterLine(
            placement=placement,
            mark=marks.get(placement.pk),
            may_have_x=not placement.child.is_compulsory_school_age(on),
        )
        for placement in placements
    ]


def count_register_marked(*, provider_id: int, on: dt.date, session: Session) -> int:
    """How many children on the provider's register for `on` have a mark for the session."""
    return AttendanceMark.objects.filter(
        placement__in=register_placements(provider_id=provider_id, on=on).order_by(),
        session_date=on,
        session=session,
    ).count()


def list_register(*, provider_id: int, on: dt.date, session: Session) -> list[RegisterLine]:
    """The whole register for `on`: every line of `register_placements`."""
    return register_lines(
        register_placements(provider_id=provider_id, on=on), on=on, session=session
    )


def get_register_calendar(*, provider_id: int) -> SchoolCalendar:
    """The school calendar the provider's register follows by default: that of the LA the
    provider is in (its own record, else its establishment's), else the standard one."""
    organisation = Organisation.objects.select_related("establishment").get(pk=provider_id)
    la_id = organisation.local_authority_id or getattr(
        organisation.establishment, "local_authority_id", None
    )
    return calendar_selectors.get_calendar(la_id=la_id)


def last_school_day(calendar: SchoolCalendar, on: dt.date) -> dt.date:
    """`on` if it is a school day, else the school day before it (within a year; else `on`)."""
    day = on
    for _ in range(366):
        if calendar.is_school_day(day):
            return day
        day -= dt.timedelta(days=1)
    return on


def list_marks(
    *, marks: QuerySet[AttendanceMark], child_id: int, start_date: dt.date, end_date: dt.date
) -> QuerySet[AttendanceMark]:
    """A child's marks between two dates, from an already-scoped queryset, newest first."""
    return (
        marks.filter(placement__child_id=child_id, session_date__range=(start_date, end_date))
        .select_related("placement__provider", "batch__recorded_by")
        .order_by("-session_date", "-session", "placement_id")
    )


def list_versions(*, mark_ids: Iterable[int]) -> dict[int, list[AttendanceMarkVersion]]:
    """Earlier versions of marks, oldest first, by mark id."""
    versions: dict[int, list[AttendanceMarkVersion]] = defaultdict(list)
    for version in (
        AttendanceMarkVersion.objects.filter(mark_id__in=list(mark_ids))
        .select_related("batch__recorded_by", "replaced_by_batch")
        .order_by("mark_id", "version")
    ):
        versions[version.mark_id].append(version)
    return versions


# --- for same-day alerts -------------------------------------------------------------------------


def list_children_missing_mark(
    *, on: dt.date, session: Session, provider_id: int | None = None, la_id: int | None = None
) -> QuerySet[Placement]:
    """Placements (with their child) that should have a mark for `session` on `on` and have
    none: the child is placed that day, the day is a school day on the placement's LA
    calendar, and no mark is recorded. Narrow by provider organisation and/or LA."""
    placements = Placement.objects.filter(_placed_on(on))
    if provider_id is not None:
        placements = placements.filter(provider_id=provider_id)
    if la_id is not None:
        placements = placements.filter(_la_placements(la_id))
    la_ids = set(
        placements.annotate(answering_la_id=placement_rules.answering_la())
        .values_list("answering_la_id", flat=True)
        .distinct()
    )
    school_day_las = [
        la for la in la_ids if calendar_selectors.get_calendar(la_id=la).is_school_day(on)
    ]
    marked = AttendanceMark.objects.filter(
        placement=OuterRef("pk"), session_date=on, session=session
    )
    return (
        placements.filter(_la_placements_in(school_day_las))
        .exclude(Exists(marked))
        .select_related("child", "provider")
        .order_by("provider_id", "child__legal_last_name", "pk")
    )


def _la_placements_in(la_ids: Sequence[int]) -> Q:
    return placement_rules.las_placements_q(la_ids)


def list_absent_marks(
    *,
    start_date: dt.date,
    end_date: dt.date | None = None,
    session: Session | None = None,
    provider_id: int | None = None,
    la_id: int | None = None,
    codes_wanted: Iterable[str] | None = None,
) -> QuerySet[AttendanceMark]:
    """Absence marks (authorised and unauthorised, or just `codes_wanted`, e.g. {"N"} for no
    reason yet) between two dates, with placement and child, oldest first."""
    marks = AttendanceMark.objects.filter(
        session_date__range=(start_date, end_date or start_date),
        code__in=sorted(codes.ABSENCE_CODES if codes_wanted is None else set(codes_wanted)),
    )
    if session is not None:
        marks = marks.filter(session=session)
    if provider_id is not None:
        marks = marks.filter(placement__provider_id=provider_id)
    if la_id is not None:
        marks = marks.filter(_la_placements(la_id, prefix="placement__"))
    return marks.select_related("placement__child", "placement__provider", "batch").order_by(
        "session_date", "session", "placement_id"
    )


# --- the s19 illness duty ------------------------------------------------------------------------

# The caseworker's home lists children from this many days of illness absence in the year.
ILLNESS_APPROACHING_DAYS = 10


@dataclass(frozen=True)
class IllnessDuty:
    """A child's illness absence (code I) over the academic year so far, on their home LA's
    calendar: days missed (two sessions make a day) and the day the fifteenth was reached."""

    child_id: int
    home_la_id: int
    days_missed: Decimal
    reached_on: dt.date | None  # deadlines.illness_sessions_trigger: None below 15 days
    year_start: dt.date

    @property
    def is_reached(self) -> bool:
        return self.reached_on is not None


def list_illness_duty(
    *,
    on: dt.date,
    home_la_id: int | None = None,
    child_ids: Iterable[int] | None = None,
    min_days: Decimal = Decimal(0),
) -> list[IllnessDuty]:
    """Children with illness absence this academic year up to `on` (the s19 duty: DfE's
    *Arranging education for children who cannot attend school because of health needs* asks
    the LA to act once a child will miss 15 school days, "whether consecutive or cumulative").
    Sessions coded I on any placement count; sessions on days that are not school days on the
    child's home LA's calendar do not. Limited to one home LA or some children if given, and to
    children with at least `min_days`. Ordered by most days first."""
    year = Period.academic_year_of(on)
    marks = AttendanceMark.objects.filter(
        code=codes.ILLNESS_CODE, session_date__gte=year.start_date, session_date__lte=on
    )
    if home_la_id is not None:
        marks = marks.filter(placement__child__home_la_id=home_la_id)
    if child_ids is not None:
        marks = marks.filter(placement__child_id__in=list(child_ids))
    sessions: dict[tuple[int, int], set[tuple[dt.date, str]]] = defaultdict(set)
    for child_id, la_id, day, session in marks.values_list(
        "placement__child_id", "placement__child__home_la_id", "session_date", "session"
    ):
        sessions[(child_id, la_id)].add((day, session))
    calendars = calendar_selectors.get_calendars(la_ids={la_id for _, la_id in sessions})
    found = []
    for (child_id, la_id), missed in sessions.items():
        calendar = calendars[la_id]
        counted = [(day, session) for day, session in missed if calendar.is_school_day(day)]
        days = Decimal(len(counted)) / 2
        if days < min_days:
            continue
        found.append(
            IllnessDuty(
                child_id=child_id,
                home_la_id=la_id,
                days_missed=days,
                reached_on=deadlines.illness_sessions_trigger(calendar, counted),
                year_start=year.start_date,
            )
        )
    return sorted(found, key=lambda row: (-row.days_missed, row.child_id))


def list_illness_approaching(*, la_id: int, on: dt.date) -> list[IllnessDuty]:
    """The illness duties of the LA's children (their home LA) with `ILLNESS_APPROACHING_DAYS`
    or more days of illness absence this academic year: the caseworker's home lists them
    (`placements.readers`)."""
    return list_illness_duty(on=on, home_la_id=la_id, min_days=Decimal(ILLNESS_APPROACHING_DAYS))


def get_illness_duty(child_id: int, on: dt.date) -> IllnessDuty | None:
    """One child's illness duty this academic year, or None: the referral page shows it for
    the health-needs route (`referrals.readers`)."""
    found = list_illness_duty(on=on, child_ids=[child_id])
    return found[0] if found else None
