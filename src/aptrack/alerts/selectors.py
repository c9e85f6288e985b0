"""Reads: the alert inbox, one alert and its history, the open count for the home page, and
the candidates the checks raise alerts for. Nothing here reads the clock: dates come in."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from aptrack.accounts.models import User
from aptrack.alerts import permissions, policy
from aptrack.alerts.models import Alert, AlertEvent
from aptrack.alerts.states import MEASURE_KINDS, UNRESOLVED_STATUSES, AlertKind, AlertStatus
from aptrack.attendance import codes
from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.measures import is_persistently_absent, is_severely_absent
from aptrack.attendance.models import AttendanceMark, Session
from aptrack.attendance.scopes import Grouping, Period, Scope
from aptrack.calendars import deadlines
from aptrack.calendars import selectors as calendar_selectors
from aptrack.calendars.engine import SchoolCalendar
from aptrack.children.models import SocialCareStatus
from aptrack.panels.models import DecisionOutcome, PanelKind
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.referrals import selectors as referral_selectors

# The status filter's "not yet resolved" choice, the inbox's default.
UNRESOLVED = "UNRESOLVED"
# How far back a run of absent sessions is followed. A longer run is alerted again once it
# outgrows the window, which is no bad reminder.
CONSECUTIVE_LOOKBACK = dt.timedelta(days=42)


# --- the inbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertFilters:
    status: str = UNRESOLVED  # a status, UNRESOLVED, or "" for any
    kind: str = ""


# The inbox's order of urgency: a child whose whereabouts are unknown comes first, and among
# them a looked-after child or one on a child protection plan; then runs of absence; then the
# year's persistent and severe absence. Unresolved alerts before resolved ones.
URGENCY_GROUPS = (
    "Whereabouts unknown: looked-after or on a child protection plan",
    "Whereabouts unknown",
    "Consecutive absent sessions",
    "Severe absence",
    "Persistent absence",
)


def _urgency() -> Case:
    vulnerable = Q(child__looked_after=True) | Q(
        child__social_care_status=SocialCareStatus.CHILD_PROTECTION
    )
    return Case(
        When(kind=AlertKind.SAFEGUARDING_CONCERN, then=Value(0)),
        When(Q(kind=AlertKind.WHEREABOUTS_UNKNOWN) & vulnerable, then=Value(0)),
        When(kind=AlertKind.WHEREABOUTS_UNKNOWN, then=Value(1)),
        When(kind=AlertKind.CONSECUTIVE_ABSENCE, then=Value(2)),
        When(kind=AlertKind.SEVERE_ABSENCE, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def list_alerts(*, user: User, filters: AlertFilters | None = None) -> QuerySet[Alert]:
    """The alerts the user may see, most urgent first (`URGENCY_GROUPS`; unresolved before
    resolved), newest first within each; each carries `urgency`, its group's index."""
    filters = filters or AlertFilters()
    alerts = permissions.scope_alerts(user)
    if filters.status == UNRESOLVED:
        alerts = alerts.filter(status__in=sorted(UNRESOLVED_STATUSES))
    elif filters.status:
        alerts = alerts.filter(status=filters.status)
    if filters.kind:
        alerts = alerts.filter(kind=filters.kind)
    resolved = Case(
        When(status=AlertStatus.RESOLVED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        alerts.select_related("child", "placement__provider", "local_authority")
        .annotate(urgency=_urgency(), is_resolved=resolved)
        .order_by("is_resolved", "urgency", "-raised_at", "-pk")
    )


def get_alert(*, user: User, alert_id: int) -> Alert | None:
    """One alert the user may see, or None (out of scope looks the same as missing)."""
    return (
        permissions.scope_alerts(user)
        .select_related(
            "child",
            "placement__provider",
            "local_authority",
            "escalated_to_social_worker",
            "escalated_to_virtual_school",
            "acknowledged_by",
            "resolved_by",
        )
        .filter(pk=alert_id)
        .first()
    )


def list_events(*, alert: Alert) -> list[AlertEvent]:
    return list(alert.events.select_related("by").order_by("at", "pk"))


def count_open_alerts(user: User) -> int:
    """Open alerts (raised, not yet acknowledged or resolved) the user may see."""
    return permissions.scope_alerts(user).filter(status=AlertStatus.OPEN).count()


# --- what the checks raise alerts for ----------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An alert the checks would raise, before it is known whether it was raised already."""

    kind: AlertKind
    placement: Placement
    session_date: dt.date
    session: Session
    reason: str
    period_start_date: dt.date | None = None
    owner_la_id: int | None = None  # the LA to alert when it is not the placement's

    @property
    def local_authority_id(self) -> int:
        return self.owner_la_id or placement_la_id(self.placement)


def placement_la_id(placement: Placement) -> int:
    """The LA whose officers answer for a placement (`placements.rules.answering_la_id`)."""
    return placement_rules.answering_la_id(placement)


class Calendars:
    """Each LA's school calendar, loaded once per run."""

    def __init__(self) -> None:
        self._by_la: dict[int, SchoolCalendar] = {}

    def is_school_day(self, la_id: int, day: dt.date) -> bool:
        if la_id not in self._by_la:
            self._by_la[la_id] = calendar_selectors.get_calendar(la_id=la_id)
        return self._by_la[la_id].is_school_day(day)


def clock(time: dt.time) -> str:
    """A time as GOV.UK writes it: 10am, 2:30pm."""
    hour = time.hour % 12 or 12
    minutes = f":{time.minute:02d}" if time.minute else ""
    return f"{hour}{minutes}{'am' if time.hour < 12 else 'pm'}"


def list_whereabouts_unknown(
    *, on: dt.date, session: Session, calendars: Calendars
) -> list[Candidate]:
    """Children in an active placement who, at the session's cut-off, have no mark or a mark
    that leaves their whereabouts unknown (N, O, U), on a school day of the placement's LA."""
    at = clock(policy.cutoff(session))
    kind = AlertKind.WHEREABOUTS_UNKNOWN
    missing = attendance_selectors.list_children_missing_mark(on=on, session=session).filter(
        status=PlacementStatus.ACTIVE
    )
    found = [Candidate(kind, placement, on, session, f"No mark by {at}") for placement in missing]
    marks = attendance_selectors.list_absent_marks(
        start_date=on, session=session, codes_wanted=policy.unknown_codes()
    ).filter(placement__status=PlacementStatus.ACTIVE)
    for mark in marks:
        if calendars.is_school_day(placement_la_id(mark.placement), on):
            reason = f"Code {mark.code} ({codes.BY_CODE[mark.code].meaning}) at {at}"
            found.append(Candidate(kind, mark.placement, on, session, reason))
    return found


def list_consecutive_absence(
    *, on: dt.date, session: Session, calendars: Calendars
) -> list[Candidate]:
    """Active placements whose last `policy.consecutive_sessions()` marked sessions up to
    `session` on `on` were all absences. Attending marks end a run; not-possible and
    administrative marks, and sessions with no mark yet, neither count nor end it. Each
    candidate is dated by the run's first absent session."""
    wanted = policy.consecutive_sessions()
    absent_today = attendance_selectors.list_absent_marks(
        start_date=on, codes_wanted=policy.ABSENCE_CODES
    ).filter(placement__status=PlacementStatus.ACTIVE)
    if session == Session.AM:
        absent_today = absent_today.filter(session=Session.AM)
    placements = {mark.placement_id: mark.placement for mark in absent_today}
    if not placements:
        return []
    marks: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    rows = (
        AttendanceMark.objects.filter(
            placement_id__in=list(placements),
            session_date__range=(on - CONSECUTIVE_LOOKBACK, on),
        )
        .exclude(session_date=on, session__gt=session)
        .order_by("placement_id", "-session_date", "-session")
        .values_list("placement_id", "session_date", "session", "code")
    )
    for placement_id, day, mark_session, code in rows:
        marks[placement_id].append((day, mark_session, code))
    found = []
    for placement_id, history in marks.items():
        run = _absent_run(history)
        if len(run) < wanted:
            continue
        placement = placements[placement_id]
        if not calendars.is_school_day(placement_la_id(placement), on):
            continue
        (first_day, first_session, _), (last_day, last_session, _) = run[-1], run[0]
        reason = (
            f"{len(run)} absent sessions in a row, from {_session_label(first_day, first_session)}"
            f" to {_session_label(last_day, last_session)}"
            f" (codes {' '.join(code for *_, code in reversed(run))})"
        )
        found.append(
            Candidate(
                AlertKind.CONSECUTIVE_ABSENCE, placement, first_day, Session(first_session), reason
            )
        )
    return found


def _absent_run(history: Iterable[tuple[dt.date, str, str]]) -> list[tuple[dt.date, str, str]]:
    """The absent marks at the head of a placement's marks, newest first."""
    run = []
    for mark in history:
        code = mark[2]
        if code in policy.ATTENDING_CODES:
            break
        if code in policy.ABSENCE_CODES:
            run.append(mark)
    return run


def _session_label(day: dt.date, session: str) -> str:
    return f"{day:%a} {day.day} {day:%b} {session}"


def list_consecutive_already_raised(
    *, placement_ids: Iterable[int], since: dt.date
) -> dict[int, list[tuple[dt.date, str]]]:
    """The first sessions of consecutive-absence alerts already raised, by placement."""
    raised: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for placement_id, day, session in Alert.objects.filter(
        kind=AlertKind.CONSECUTIVE_ABSENCE,
        placement_id__in=list(placement_ids),
        session_date__gte=since,
    ).values_list("placement_id", "session_date", "session"):
        raised[placement_id].append((day, session))
    return raised


def list_absence_crossings(
    *, on: dt.date, session: Session, calendars: Calendars
) -> list[Candidate]:
    """Children in an active placement whose absence over the academic year so far is
    persistent (>= 10%) or severe (>= 50%) and not yet alerted this year. A child first seen
    already severe gets the severe alert only."""
    year = Period.academic_year_of(on)
    period = Period(year.start_date, on)
    by_child = {
        measures.key: measures
        for measures in attendance_selectors.list_measures(
            scope=Scope.all_las(), period=period, by=Grouping.CHILD
        )
        if measures.counts.possible >= policy.measure_min_sessions()
        and (is_persistently_absent(measures.counts) or is_severely_absent(measures.counts))
    }
    if not by_child:
        return []
    raised: dict[int, set[str]] = defaultdict(set)
    for child_id, kind in Alert.objects.filter(
        kind__in=sorted(MEASURE_KINDS), period_start_date=year.start_date, child_id__in=by_child
    ).values_list("child_id", "kind"):
        raised[child_id].add(kind)
    placements: dict[int, Placement] = {}
    for active in _active_placements(child_ids=by_child, on=on):
        placements.setdefault(active.child_id, active)
    found = []
    for child_id, measures in by_child.items():
        placement = placements.get(child_id)
        if placement is None or not calendars.is_school_day(placement_la_id(placement), on):
            continue
        severe = is_severely_absent(measures.counts)
        kind = AlertKind.SEVERE_ABSENCE if severe else AlertKind.PERSISTENT_ABSENCE
        if kind in raised[child_id] or AlertKind.SEVERE_ABSENCE in raised[child_id]:
            continue
        counts = measures.counts
        reason = (
            f"Absent {counts.absent} of {counts.possible} possible sessions "
            f"({measures.rates.absence or Decimal(0)}%) since {year.start_date.day} "
            f"{year.start_date:%B %Y}"
        )
        found.append(Candidate(kind, placement, on, session, reason, year.start_date))
    return found


def list_illness_duty_reached(
    *, on: dt.date, session: Session, calendars: Calendars
) -> list[Candidate]:
    """Children in an active placement who have missed 15 school days through illness this
    academic year, consecutive or not (attendance.selectors.list_illness_duty), and whose home
    LA has not been alerted this year: the s19 duty to arrange education has come due. The alert
    goes to the home LA, dated the day the fifteenth day was reached."""
    duties = {
        duty.child_id: duty
        for duty in attendance_selectors.list_illness_duty(
            on=on, min_days=Decimal(deadlines.ILLNESS_TRIGGER_DAYS)
        )
        if duty.reached_on is not None
    }
    if not duties:
        return []
    year_start = next(iter(duties.values())).year_start
    already = set(
        Alert.objects.filter(
            kind=AlertKind.ILLNESS_FIFTEEN_DAYS, period_start_date=year_start, child_id__in=duties
        ).values_list("child_id", flat=True)
    )
    placements: dict[int, Placement] = {}
    for placement in _active_placements(child_ids=set(duties) - already, on=on):
        placements.setdefault(placement.child_id, placement)
    found = []
    for child_id, placement in placements.items():
        duty = duties[child_id]
        if not calendars.is_school_day(duty.home_la_id, on):
            continue
        reached = duty.reached_on
        assert reached is not None  # noqa: S101 - filtered above
        reason = (
            f"{duty.days_missed} school days missed through illness since "
            f"{year_start.day} {year_start:%B %Y}: the 15th on {reached.day} {reached:%B %Y}. "
            "Arrange education now (section 19)"
        )
        found.append(
            Candidate(
                AlertKind.ILLNESS_FIFTEEN_DAYS,
                placement,
                reached,
                session,
                reason,
                period_start_date=year_start,
                owner_la_id=duty.home_la_id,
            )
        )
    return found


def list_fair_access_overdue(
    *, on: dt.date, session: Session, calendars: Calendars
) -> list[Candidate]:
    """Placements planned for a referral the Fair Access Panel approved that have not started
    by the 20th school day after the decision (referrals.selectors.list_fair_access_deadlines
    decides), not yet alerted: to the commissioning LA, dated the day after the deadline."""
    planned = (
        Placement.objects.filter(
            status=PlacementStatus.PLANNED,
            referral__agenda_items__meeting__panel__kind=PanelKind.FAIR_ACCESS,
            referral__agenda_items__decision__outcome=DecisionOutcome.APPROVED,
        )
        .select_related("child", "referral")
        .order_by("referral_id", "pk")
        .distinct()
    )
    by_referral: dict[int, Placement] = {}
    for placement in planned:
        if placement.referral_id is not None:  # always: the filter goes through the referral
            by_referral.setdefault(placement.referral_id, placement)
    if not by_referral:
        return []
    by_la: dict[int, list[int]] = defaultdict(list)
    for referral_id, placement in by_referral.items():
        referral = placement.referral
        commissioning_la_id = referral.commissioning_la_id if referral else None
        by_la[commissioning_la_id or placement_la_id(placement)].append(referral_id)
    found = []
    for la_id, referral_ids in sorted(by_la.items()):
        for row in referral_selectors.list_fair_access_deadlines(
            la_id=la_id, on=on, referral_ids=referral_ids
        ):
            if row.placed_on is not None or not row.is_missed(on) or row.due_date is None:
                continue
            if not calendars.is_school_day(la_id, on):
                continue
            placement = by_referral[row.referral.pk]
            reason = (
                f"Approved by the Fair Access Panel on {row.decided_on.day} {row.decided_on:%B %Y}: "
                f"the place was due to start by {row.due_date.day} {row.due_date:%B %Y} and has not"
            )
            found.append(
                Candidate(
                    AlertKind.FAIR_ACCESS_OVERDUE,
                    placement,
                    row.due_date + dt.timedelta(days=1),
                    session,
                    reason,
                    period_start_date=row.decided_on,
                    owner_la_id=la_id,
                )
            )
    already = set(
        Alert.objects.filter(
            kind=AlertKind.FAIR_ACCESS_OVERDUE, child_id__in=[c.placement.child_id for c in found]
        ).values_list("child_id", "period_start_date")
    )
    return [c for c in found if (c.placement.child_id, c.period_start_date) not in already]


def _active_placements(*, child_ids: Iterable[int], on: dt.date) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(
            placement_rules.running_on_q(on),
            child_id__in=list(child_ids),
            status=PlacementStatus.ACTIVE,
        )
        .select_related("child", "provider")
        .order_by("child_id", "pk")
    )


def list_escalations_due(*, at: dt.datetime) -> list[Alert]:
    """Unresolved, unescalated alerts about a looked-after child or one on a child protection
    plan, raised at least the escalation interval before `at`. A whereabouts alert whose
    session has since been marked with a code that says where the child is waits no more."""
    due = list(
        Alert.objects.filter(
            status__in=sorted(UNRESOLVED_STATUSES),
            escalated_at__isnull=True,
            raised_at__lte=at - policy.escalate_after(),
        )
        .filter(
            Q(child__looked_after=True)
            | Q(child__social_care_status=SocialCareStatus.CHILD_PROTECTION)
        )
        .select_related("child")
        .order_by("raised_at", "pk")
    )
    whereabouts = [a for a in due if a.kind == AlertKind.WHEREABOUTS_UNKNOWN]
    known = set()
    if whereabouts:
        unknown = policy.unknown_codes()
        q = Q(pk__in=[])
        for alert in whereabouts:
            q |= Q(
                placement_id=alert.placement_id,
                session_date=alert.session_date,
                session=alert.session,
            )
        for placement_id, day, session, code in AttendanceMark.objects.filter(q).values_list(
            "placement_id", "session_date", "session", "code"
        ):
            if code not in unknown:
                known.add((placement_id, day, session))
    return [
        alert
        for alert in due
        if alert.kind != AlertKind.WHEREABOUTS_UNKNOWN
        or (alert.placement_id, alert.session_date, alert.session) not in known
    ]
