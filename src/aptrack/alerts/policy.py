"""The alert rules an LA may tune, read from settings with their defaults. Nothing here is law:
the register cut-offs, the escalation interval and the run length are local practice.

Settings (all optional):
- APTRACK_ALERT_CUTOFFS: {"AM": "10:00", "PM": "14:00"}, Europe/London wall-clock times after
  which an unmarked session (or one marked N, O or U) raises "whereabouts unknown";
- APTRACK_ALERT_ESCALATE_AFTER_MINUTES: 60, how long an unresolved alert about a looked-after
  child or a child on a child protection plan waits before it goes to the social worker and
  the virtual school head;
- APTRACK_ALERT_CONSECUTIVE_SESSIONS: 4, absent sessions in a row that raise an alert;
- APTRACK_ALERT_UNKNOWN_CODES: ["N", "O", "U"], codes that leave the whereabouts unknown;
- APTRACK_ALERT_MEASURE_MIN_SESSIONS: 20, possible sessions in the academic year (two school
  weeks, at 2 sessions a day: domain.md §3) before persistent (>= 10%) or severe (>= 50%)
  absence is alerted. Below it one session moves the rate by more than 5 points, so an absent
  morning in September would read as severe absence. The thresholds are the attendance
  measures'.
"""

import datetime as dt

from django.conf import settings

from aptrack.attendance import codes
from aptrack.attendance.models import Session

DEFAULT_CUTOFFS = {Session.AM: "10:00", Session.PM: "14:00"}
DEFAULT_ESCALATE_AFTER_MINUTES = 60
DEFAULT_CONSECUTIVE_SESSIONS = 4
DEFAULT_UNKNOWN_CODES = ("N", "O", "U")
DEFAULT_MEASURE_MIN_SESSIONS = 20


def cutoff(session: Session) -> dt.time:
    """The local time after which a session's register should be in."""
    cutoffs = {**DEFAULT_CUTOFFS, **getattr(settings, "APTRACK_ALERT_CUTOFFS", {})}
    value = cutoffs[session]
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def cutoffs() -> dict[Session, dt.time]:
    return {session: cutoff(session) for session in (Session.AM, Session.PM)}


def escalate_after() -> dt.timedelta:
    minutes = getattr(
        settings, "APTRACK_ALERT_ESCALATE_AFTER_MINUTES", DEFAULT_ESCALATE_AFTER_MINUTES
    )
    return dt.timedelta(minutes=int(minutes))


def consecutive_sessions() -> int:
    return int(
        getattr(settings, "APTRACK_ALERT_CONSECUTIVE_SESSIONS", DEFAULT_CONSECUTIVE_SESSIONS)
    )


def unknown_codes() -> frozenset[str]:
    """Codes that say the child is absent and nobody yet knows why or where."""
    wanted = frozenset(getattr(settings, "APTRACK_ALERT_UNKNOWN_CODES", DEFAULT_UNKNOWN_CODES))
    unknown = wanted - set(codes.BY_CODE)
    if unknown:
        raise ValueError(f"APTRACK_ALERT_UNKNOWN_CODES has codes not in force: {sorted(unknown)}")
    return wanted


def measure_min_sessions() -> int:
    return int(
        getattr(settings, "APTRACK_ALERT_MEASURE_MIN_SESSIONS", DEFAULT_MEASURE_MIN_SESSIONS)
    )


# Absent sessions for a consecutive run: authorised and unauthorised absence (domain.md §3),
# except C2, the sessions a part-time timetable leaves out, which are planned. Attending codes
# end a run; C2, not-possible and administrative codes neither count nor end it.
ABSENCE_CODES = codes.ABSENCE_CODES - {codes.PART_TIME_CODE}
ATTENDING_CODES = codes.ATTENDING_CODES


def check_times_on(day: dt.date, tz: dt.tzinfo) -> list[dt.datetime]:
    """The moments the checks are due on `day`: each cut-off, and each cut-off plus the
    escalation interval (when the alerts raised at the cut-off become due to escalate)."""
    moments = set()
    for time in cutoffs().values():
        moment = dt.datetime.combine(day, time, tzinfo=tz)
        moments |= {moment, moment + escalate_after()}
    return sorted(moments)


def next_check_at(after: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """The first moment the checks are due strictly after `after`."""
    day = after.astimezone(tz).date()
    while True:
        for moment in check_times_on(day, tz):
            if moment > after:
                return moment
        day += dt.timedelta(days=1)
