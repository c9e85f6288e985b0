"""Reads of referrals. Those that take a user start from their scope; those that take an LA
are for callers that have already decided the user may see that LA's figures."""

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Q, QuerySet, Value, When

from aptrack.accounts.roles import Role
from aptrack.calendars import deadlines
from aptrack.calendars.engine import OutsideKnownTerms, SchoolCalendar
from aptrack.calendars.selectors import get_calendar, get_calendars
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.referrals.models import PrimaryReason, Referral, ReferralEvent, Route
from aptrack.referrals.permissions import scope_referrals
from aptrack.referrals.readers import readers
from aptrack.referrals.states import OPEN_STATUSES, ReferralStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User


@dataclass(frozen=True)
class ReferralFilters:
    statuses: tuple[str, ...] = ()
    route: str = ""
    query: str = ""


def _with_people(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related(
        "child", "child__home_school", "commissioning_la", "commissioning_school", "referrer"
    )


def list_visible_referrals(*, user: "User", filters: ReferralFilters) -> QuerySet[Referral]:
    """The referrals page: the user's scope, filtered, most recently changed first."""
    referrals = _with_people(scope_referrals(user))
    if filters.statuses:
        referrals = referrals.filter(status__in=filters.statuses)
    if filters.route:
        referrals = referrals.filter(route=filters.route)
    query = filters.query.strip()
    if query:
        name_match = Q()
        for word in query.split():
            name_match &= (
                Q(child__legal_first_name__icontains=word)
                | Q(child__legal_last_name__icontains=word)
                | Q(child__preferred_name__icontains=word)
            )
        referrals = referrals.filter(name_match | Q(child__upn="".join(query.split()).upper()))
    return referrals.order_by("-updated_at", "-pk")


def list_referrals(*, la_id: int, statuses: Iterable[str] = ()) -> QuerySet[Referral]:
    """An LA's referrals (as commissioner or, for schools' referrals, overseer), optionally only
    those in `statuses`. Not scoped to a user: the caller authorises the LA."""
    referrals = _with_people(Referral.objects.filter(commissioning_la_id=la_id))
    statuses = tuple(statuses)
    if statuses:
        referrals = referrals.filter(status__in=statuses)
    return referrals.order_by("-updated_at", "-pk")


def list_my_referrals(*, user: "User") -> QuerySet[Referral]:
    """Referrals the user made that they can still see, open ones first."""
    closed_last = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return _with_people(scope_referrals(user).filter(referrer=user)).order_by(
        closed_last, "-updated_at", "-pk"
    )


def get_referral(*, user: "User", referral_id: int) -> Referral | None:
    return _with_people(scope_referrals(user)).filter(pk=referral_id).first()


def list_events(*, referral: Referral) -> QuerySet[ReferralEvent]:
    """The referral's timeline, newest first."""
    return referral.events.select_related("by").order_by("-at", "-pk")


def list_agenda_history(*, referral: Referral) -> QuerySet[Any]:
    """Every meeting the referral was put before, with the decision where one was made
    (`panels.selectors.list_agenda_history`, through its reader)."""
    return readers["agenda_history"](referral)  # type: ignore[no-any-return]


# --- the sixth-day duty ------------------------------------------------------------------------
# Written once here; the caseworker's home, the referrals page, the LA dashboard, its
# drill-downs, the committee pack and the national view call it (docs/rules.md).


@dataclass(frozen=True)
class SixthDayDuty:
    """One permanently excluded child's sixth-day duty, as it stands on a day.

    Provision counts from the first school day a placement of the child runs on or after the
    first day of the exclusion (a placement already running then counts from that day); a
    planned or cancelled placement is not provision. The duty is met when provision started
    on or before the sixth day, missed when the sixth day has come without it (on the sixth
    day itself full-time education is already owed), and pending before then."""

    referral: Referral
    child: Child
    first_day: dt.date
    due_date: dt.date
    due_date_estimated: bool  # no term dates that far ahead: counted in weekdays
    provision_started: dt.date | None  # the first day provision ran (up to `on`), if any
    met: bool
    missed: bool
    days_overdue: int  # calendar days from the sixth day to the start of provision, or to `on`
    school_days_overdue: int  # school days after the sixth day up to provision, or to `on`


SixthDayRow = SixthDayDuty  # the name the referrals page and its callers know


def _nth_weekday(first: dt.date, n: int) -> dt.date:
    """The n-th weekday counting from `first` (day 1 is `first` if it is a weekday)."""
    day, count = first, 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == n:
                return day
        day += dt.timedelta(days=1)


def sixth_day_due(calendar: SchoolCalendar, first_day: dt.date) -> tuple[dt.date, bool]:
    """The sixth school day of an exclusion (`deadlines.sixth_day`, SI 2007/1870: the first
    day counts as day one) on the LA's calendar, and whether it is estimated: where the LA's
    term dates do not reach that far it is counted in weekdays, so no child drops off the
    list for want of term dates."""
    try:
        return deadlines.sixth_day(calendar, first_day), False
    except OutsideKnownTerms:
        return _nth_weekday(first_day, deadlines.SIXTH_DAY), True


def school_days_after(calendar: SchoolCalendar, day: dt.date, n: int) -> dt.date:
    """The day `n` school days after `day`, or `n` weekdays where term dates run out."""
    try:
        return calendar.school_days_after(day, n)
    except OutsideKnownTerms:
        return _nth_weekday(day + dt.timedelta(days=1), n)


# Exclusions this long before a window can fall due in it (a summer holiday and six school days).
SIXTH_DAY_LOOKBACK_DAYS = 60


def list_sixth_day_duties(
    *,
    la_id: int,
    on: dt.date,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    calendar: SchoolCalendar | None = None,
) -> list[SixthDayDuty]:
    """The sixth-day duties of one LA (see `list_sixth_day_duties_by_la`)."""
    return list_sixth_day_duties_by_la(
        la_ids=[la_id],
        on=on,
        due_from=due_from,
        due_to=due_to,
        calendars={la_id: calendar} if calendar is not None else None,
    ).get(la_id, [])


def list_sixth_day_duties_by_la(
    *,
    la_ids: Collection[int],
    on: dt.date,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    referral_ids: Collection[int] | None = None,
    calendars: Mapping[int, SchoolCalendar] | None = None,
) -> dict[int, list[SixthDayDuty]]:
    """Who is owed the sixth-day duty, when, and whether it was met, by LA (from two reads,
    whatever the number of LAs; each LA's days counted on its own calendar).

    Owed: every child with a permanent exclusion referral to the LA (its first day recorded),
    unless the referral was withdrawn (the exclusion overturned). The home LA arranges
    full-time education from the sixth school day after the first day of a permanent exclusion
    (SI 2007/1870; DfE exclusion guidance para 90; domain.md §5). Only duties whose sixth day
    falls from `due_from` to `due_to` (either may be open) are returned, earliest exclusion
    first; see `SixthDayDuty` for met and missed."""
    chosen = Referral.objects.filter(
        commissioning_la_id__in=list(la_ids),
        route=Route.PERMANENT_EXCLUSION,
        first_day_of_exclusion__isnull=False,
    )
    if referral_ids is not None:
        chosen = chosen.filter(pk__in=list(referral_ids))
    if due_from is not None:
        chosen = chosen.filter(
            first_day_of_exclusion__gte=due_from - dt.timedelta(days=SIXTH_DAY_LOOKBACK_DAYS)
        )
    if due_to is not None:
        chosen = chosen.filter(first_day_of_exclusion__lte=due_to)
    referrals = list(
        chosen.exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("child", "child__home_school")
        .order_by("first_day_of_exclusion", "pk")
    )
    if not referrals:
        return {}
    if calendars is None:
        calendars = get_calendars(la_ids={r.commissioning_la_id for r in referrals})  # type: ignore[assignment]
    assert calendars is not None  # noqa: S101 - read above
    placements: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for child_id, start, end in readers["provision_runs"]({r.child_id for r in referrals}, on):
        placements.setdefault(child_id, []).append((start, end))
    rows: dict[int, list[SixthDayDuty]] = {}
    for referral in referrals:
        la_id = referral.commissioning_la_id
        duty = _duty(referral, placements.get(referral.child_id, []), calendars[la_id], on)
        if (due_from is None or duty.due_date >= due_from) and (
            due_to is None or duty.due_date <= due_to
        ):
            rows.setdefault(la_id, []).append(duty)
    return rows


def list_sixth_day_at_risk(
    *,
    la_id: int,
    on: dt.date,
    referral_ids: Collection[int] | None = None,
    calendar: SchoolCalendar | None = None,
) -> list[SixthDayDuty]:
    """Permanently excluded children of the LA whose sixth-day duty is missed on `on`
    (`SixthDayDuty.missed`): children whose placement started late stay on the list, with the
    day it started."""
    return list_sixth_day_at_risk_by_la(
        la_ids=[la_id],
        on=on,
        referral_ids=referral_ids,
        calendars={la_id: calendar} if calendar is not None else None,
    ).get(la_id, [])


def list_sixth_day_at_risk_by_la(
    *,
    la_ids: Collection[int],
    on: dt.date,
    referral_ids: Collection[int] | None = None,
    calendars: Mapping[int, SchoolCalendar] | None = None,
) -> dict[int, list[SixthDayDuty]]:
    """`list_sixth_day_at_risk` for several LAs at once, by LA."""
    found = list_sixth_day_duties_by_la(
        la_ids=la_ids, on=on, referral_ids=referral_ids, calendars=calendars
    )
    missed = {la_id: [d for d in duties if d.missed] for la_id, duties in found.items()}
    return {la_id: duties for la_id, duties in missed.items() if duties}


def _duty(
    referral: Referral,
    placements: list[tuple[dt.date, dt.date | None]],
    calendar: SchoolCalendar,
    on: dt.date,
) -> SixthDayDuty:
    first_day = referral.first_day_of_exclusion
    assert first_day is not None  # noqa: S101 - filtered by the caller
    due, estimated = sixth_day_due(calendar, first_day)
    # A placement running on or after the first day counts from whichever is later.
    starts = [max(start, first_day) for start, end in placements if end is None or end >= first_day]
    started = min(starts) if starts else None
    met = started is not None and started <= due
    missed = not met and due <= on
    until = started if started is not None else on
    return SixthDayDuty(
        referral=referral,
        child=referral.child,
        first_day=first_day,
        due_date=due,
        due_date_estimated=estimated,
        provision_started=started,
        met=met,
        missed=missed,
        days_overdue=max((until - due).days, 0) if missed else 0,
        school_days_overdue=calendar.count_school_days(due + dt.timedelta(days=1), until)
        if missed
        else 0,
    )


@dataclass(frozen=True)
class SixthDay:
    due_date: dt.date
    estimated: bool  # no term dates that far ahead: counted in weekdays


def get_sixth_day(*, referral: Referral) -> SixthDay | None:
    """The sixth school day of a permanent exclusion, from which the LA owes full-time
    education: shown on the referral so the officer sees the deadline."""
    if referral.route != Route.PERMANENT_EXCLUSION or referral.first_day_of_exclusion is None:
        return None
    due, estimated = sixth_day_due(
        get_calendar(la_id=referral.commissioning_la_id), referral.first_day_of_exclusion
    )
    return SixthDay(due_date=due, estimated=estimated)


# --- the Fair Access 20 school days ------------------------------------------------------------


@dataclass(frozen=True)
class FairAccessRow:
    """A referral the Fair Access Panel approved, and its deadline to place (20 school days
    from the decision, on the commissioning LA's calendar: School Admissions Code 2021)."""

    referral: Referral
    decided_on: dt.date
    due_date: dt.date | None  # None when the LA's term dates do not reach that far
    placed_on: dt.date | None  # the first placement for the referral that started, if any

    @property
    def met(self) -> bool | None:
        """True if placed by the deadline, False if placed late, None while not placed."""
        if self.placed_on is None or self.due_date is None:
            return None
        return self.placed_on <= self.due_date

    def is_missed(self, on: dt.date) -> bool:
        if self.due_date is None:
            return False
        if self.placed_on is not None:
            return self.placed_on > self.due_date
        return on > self.due_date


def list_fair_access_deadlines(
    *, la_id: int, on: dt.date, referral_ids: Collection[int] | None = None
) -> list[FairAccessRow]:
    """Every referral of the LA approved by its Fair Access Panel on or before `on`, with the
    20-school-day deadline to place and when a placement started. The one owner of the Fair
    Access deadline: the referral page, the caseworker's home and the dashboard read it here."""
    items = readers["fair_access_approvals"](la_id, on, referral_ids)
    decided: dict[int, tuple[Referral, dt.date]] = {}
    for item in items:
        decided.setdefault(item.referral_id, (item.referral, item.meeting.date))
    if not decided:
        return []
    placed: dict[int, dt.date] = {}
    for referral_id, start in readers["placements_started"](list(decided), on):
        placed.setdefault(referral_id, start)
    calendar = get_calendars(la_ids=[la_id])[la_id]
    rows = []
    for referral_id, (referral, decided_on) in decided.items():
        try:
            due: dt.date | None = deadlines.fair_access_deadline(calendar, decided_on)
        except OutsideKnownTerms:
            due = None
        rows.append(FairAccessRow(referral, decided_on, due, placed.get(referral_id)))
    return sorted(rows, key=lambda row: (row.due_date or dt.date.max, row.referral.pk))


def list_fair_access_due(
    *, la_id: int, on: dt.date, within_school_days: int = 5
) -> list[FairAccessRow]:
    """The caseworker's list: Fair Access referrals not yet placed whose deadline falls within
    the next `within_school_days` school days, or has passed."""
    try:
        horizon: dt.date | None = get_calendars(la_ids=[la_id])[la_id].school_days_after(
            on, within_school_days
        )
    except OutsideKnownTerms:
        horizon = None
    return [
        row
        for row in list_fair_access_deadlines(la_id=la_id, on=on)
        if row.placed_on is None
        and row.due_date is not None
        and (horizon is None or row.due_date <= horizon)
    ]


# --- the statutory duties a referral shows -----------------------------------------------------


@dataclass(frozen=True)
class ReferralDuties:
    """What the referral page shows of the statutory deadlines that apply to its route."""

    illness: Any  # attendance.selectors.IllnessDuty | None: the health-needs (s19) route
    illness_applies: bool
    fair_access: FairAccessRow | None  # approved by the Fair Access Panel


def get_referral_duties(*, referral: Referral, on: dt.date) -> ReferralDuties:
    illness_applies = (
        referral.route == Route.HEALTH or referral.primary_reason == PrimaryReason.MEDICAL
    )
    illness = None
    if illness_applies:
        illness = readers["illness_duty"](referral.child_id, on)
    fair_access = None
    if referral.commissioning_la_id is not None:
        rows = list_fair_access_deadlines(
            la_id=referral.commissioning_la_id, on=on, referral_ids=[referral.pk]
        )
        fair_access = rows[0] if rows else None
    return ReferralDuties(illness=illness, illness_applies=illness_applies, fair_access=fair_access)


def get_referral_to_commission(*, user: "User", referral_id: int) -> Referral | None:
    """A referral the user may make a placement from: their LA's (or their school's), for a
    child in their scope: the referral a placement is planned from. Whether it is approved is
    the placement service's rule."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    referrals = Referral.objects.filter(
        pk=referral_id, child__in=scope_children(user)
    ).select_related("child")
    if getattr(user, "role", None) == Role.SCHOOL_STAFF:
        return referrals.filter(commissioning_school_id=organisation.pk).first()
    return referrals.filter(commissioning_la_id=organisation.local_authority_id).first()
