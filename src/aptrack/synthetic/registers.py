"""How a synthetic register's marks are drawn: the levels, habits and code weights that make
synthetic attendance look like the national picture for AP (domain.md §3 and §7). See
`synthetic.attendance` for what is marked and how it is written."""

import bisect
import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from aptrack.attendance import codes
from aptrack.calendars import selectors as calendar_selectors
from aptrack.children import schooling
from aptrack.placements import policy
from aptrack.placements.models import Placement

ONE_DAY = dt.timedelta(days=1)
# Attendance levels on the logit scale (expit(0.4) is about 60%), with spreads fitted by
# simulation to §7's persistent and severe shares. Pupil referral units (state-funded AP, whose
# national figure §7 gives) keep near it; non-school providers spread widely.
PROVIDER_LEVEL = 0.4
PROVIDER_SPREAD = {True: 0.35, False: 0.9}  # by whether the provider is a school (a PRU)
PROVIDER_LEVEL_RANGE = (-1.2, 2.4)  # about 23% to 92%
CHILD_SPREAD = 1.4
MOST_DAYS_ABSENT = 0.97
HALF_DAY = 0.05  # attended days that lose one session
LATE_AT_MOST = 0.14  # a child's share of late mornings, drawn up to this
LATE_AFTER_CLOSE = 0.2  # late marks that are U (after the register closed) rather than L
AEA_AT_MOST = 0.06  # a provider's share of attended sessions away on approved activity
AEA_WEIGHTS = {"B": 45, "V": 25, "K": 15, "P": 10, "W": 5}
# fmt: off
AUTHORISED_WEIGHTS = {
    "I": 62, "C": 9, "C2": 8, "M": 6, "E": 5, "R": 1, "C1": 0.5, "J1": 0.5, "T": 0.5,
}
# fmt: on
PART_TIME_C2_WEIGHT = 90  # C2 for a child on a part-time timetable
UNAUTHORISED_WEIGHTS = {"O": 72, "G": 10, "N": 6}  # N here: never explained
UNAUTHORISED_SHARE, UNAUTHORISED_SPREAD = 0.46, 0.18
TRANSPORT_TROUBLE = 0.08  # children whose missed days are often Q or Y1
TRANSPORT_CODES = {"Q": 3, "Y1": 1}
HALF_DAY_WEIGHTS = {"AM": {"M": 6, "I": 2, "O": 2}, "PM": {"M": 3, "I": 3, "O": 4}}
FIRST_RECORDED_AS_N = 0.3  # explained absences first recorded as N, explained a week later
COMMENTED = 0.35  # absence runs and late marks with a comment
CLOSURE_DAYS = (0, 2)  # a provider's planned closure days (#) in the year
SNOW_DAY = 0.25  # chance an LA had a day of widespread travel disruption (Y2) in winter
COMMENTS = {
    "I": ("Parent phoned: unwell", "Sickness bug", "Parent emailed: temperature"),
    "M": ("Dentist", "Hospital appointment", "CAMHS appointment", "GP appointment"),
    "O": ("No contact from home", "Home visit: no answer", "Not at pick-up point"),
    "C": ("Family bereavement", "Court attendance"),
    "C2": ("Part-time timetable: not timetabled",),
    "E": ("Suspended: 2 days",),
    "G": ("Family holiday in term time",),
    "Q": ("No transport arranged yet",),
    "Y1": ("Taxi did not arrive",),
    "L": ("Bus late", "Overslept", "Taxi late"),
    "U": ("Arrived after register closed", "Bus late"),
}
EXPLAINED = codes.ABSENCE_CODES - {codes.NO_REASON_YET_CODE}
PRESENT = codes.PRESENT_SIGN


@dataclass(frozen=True)
class _Day:
    date: str  # ISO, as written
    slot: int  # 0 Monday … 4 Friday
    week: int  # weeks since the Monday of 1 September's week


@dataclass
class _Provider:
    index: int
    level: float  # logit
    aea: float
    closed: frozenset[str]


@dataclass
class _Child:
    offset: float  # logit, added to the provider's level
    unauthorised: float  # share of missed runs that are unauthorised
    late: float
    transport: bool


@dataclass
class Span:
    """A placement's days to mark: from `start` to `end`, on the calendar of LA `la_id`."""

    placement: Placement
    la_id: int
    start: dt.date
    end: dt.date


def _expit(value: float) -> float:
    return 1 / (1 + math.exp(-value))


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@dataclass
class Register:
    """One LA's placements and the draws that make their marks."""

    rng: random.Random
    today: dt.date
    year_start: dt.date
    first_monday: dt.date
    next_mark_id: int
    first_batch_id: int
    weeks: int
    providers: dict[int, _Provider] = field(default_factory=dict)
    children: dict[int, _Child] = field(default_factory=dict)
    days: dict[int, list[_Day]] = field(default_factory=dict)  # by LA
    next_week: dict[int, dict[int, int]] = field(default_factory=dict)  # by LA: week → next
    week_end: dict[int, dt.date] = field(default_factory=dict)  # last school day of each week
    created: dict[int, int] = field(default_factory=dict)  # by batch id
    changed: dict[int, int] = field(default_factory=dict)
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    snow_day: dict[int, str | None] = field(default_factory=dict)  # by LA

    def batch(self, provider: _Provider, week: int) -> int:
        return self.first_batch_id + provider.index * self.weeks + week

    def load_calendar(self, la_id: int) -> None:
        if la_id in self.days:
            return
        calendar = calendar_selectors.get_calendar(la_id=la_id)
        days: list[_Day] = []
        day = self.year_start
        while day < self.today:
            if calendar.is_school_day(day):
                week = (day - self.first_monday).days // 7
                days.append(_Day(day.isoformat(), day.weekday(), week))
                self.week_end[week] = max(day, self.week_end.get(week, day))
            day += ONE_DAY
        self.days[la_id] = days
        weeks = sorted({d.week for d in days})
        self.next_week[la_id] = dict(zip(weeks, weeks[1:], strict=False))
        winter = [d.date for d in days if d.date[5:7] in ("12", "01", "02")]
        self.snow_day[la_id] = (
            self.rng.choice(winter) if winter and self.rng.random() < SNOW_DAY else None
        )

    def provider(self, placement: Placement, la_id: int) -> _Provider:
        provider_id = placement.provider_id
        if provider_id not in self.providers:
            school = placement.provider.establishment_id is not None
            rng = self.rng
            open_days = [d.date for d in self.days[la_id]]
            closures = rng.randint(*CLOSURE_DAYS) if open_days else 0
            self.providers[provider_id] = _Provider(
                index=len(self.providers),
                level=_clip(
                    rng.gauss(PROVIDER_LEVEL, PROVIDER_SPREAD[school]), *PROVIDER_LEVEL_RANGE
                ),
                aea=rng.uniform(0, AEA_AT_MOST),
                closed=frozenset(rng.sample(open_days, closures)),
            )
        return self.providers[provider_id]

    def child(self, child_id: int) -> _Child:
        if child_id not in self.children:
            rng = self.rng
            self.children[child_id] = _Child(
                offset=rng.gauss(0, CHILD_SPREAD),
                unauthorised=_clip(rng.gauss(UNAUTHORISED_SHARE, UNAUTHORISED_SPREAD), 0.05, 0.95),
                late=rng.uniform(0, LATE_AT_MOST),
                transport=rng.random() < TRANSPORT_TROUBLE,
            )
        return self.children[child_id]

    def marks(self, spans: Sequence[Span]) -> Iterator[tuple[Any, ...]]:
        for span in spans:
            yield from self._placement_marks(span)

    def _placement_marks(self, span: Span) -> Iterator[tuple[Any, ...]]:
        """Every session of one placement between its start and end, in date order."""
        rng, placement = self.rng, span.placement
        provider = self.provider(placement, span.la_id)
        kid = self.child(placement.child_id)
        all_days = self.days[span.la_id]
        low = bisect.bisect_left(all_days, span.start.isoformat(), key=lambda d: d.date)
        high = bisect.bisect_right(all_days, span.end.isoformat(), key=lambda d: d.date)
        if low >= high:
            return
        level = _expit(provider.level + kid.offset)
        # The chance a day is missed, leaving room for the half days an attended day loses.
        missed = _clip((1 - level - HALF_DAY / 2) / (1 - HALF_DAY / 2), 0.0, MOST_DAYS_ABSENT)
        stay = min(
            0.995,
            max(0.45 + 0.45 * missed, 1 - (1 - missed) / missed + 0.02 if missed > 0.5 else 0),
        )
        begin = missed * (1 - stay) / (1 - missed) if missed < 1 else 1.0
        authorised = dict(AUTHORISED_WEIGHTS)
        if placement.part_time_reason:
            authorised["C2"] = PART_TIME_C2_WEIGHT
        run_codes = self._run_codes(kid, authorised)
        at_school = self._home_school_slots(placement)
        next_week = self.next_week[span.la_id]
        snow = self.snow_day[span.la_id]
        mark_id = self.next_mark_id
        absent = rng.random() < missed
        run: tuple[str, str, bool] | None = None  # code, comment, first recorded as N
        for day in all_days[low:high]:
            week_batch = self.batch(provider, day.week)
            if day.date in provider.closed or day.date == snow:
                code = "#" if day.date in provider.closed else "Y2"
                for session in ("AM", "PM"):
                    yield (mark_id, placement.pk, day.date, session, code, None, "", 1, week_batch)
                    mark_id += 1
                self.created[week_batch] = self.created.get(week_batch, 0) + 2
                continue
            absent = rng.random() < (stay if absent else begin)
            if absent:
                if run is None:
                    code = rng.choices(run_codes[0], cum_weights=run_codes[1])[0]
                    comment = (
                        rng.choice(COMMENTS[code])
                        if code in COMMENTS and rng.random() < COMMENTED
                        else ""
                    )
                    run = (code, comment, code in EXPLAINED and rng.random() < FIRST_RECORDED_AS_N)
                sessions: list[tuple[str, str, int | None, str]] = [
                    (s, run[0], None, run[1]) for s in ("AM", "PM")
                ]
            else:
                run = None
                sessions = self._attended_day(provider, kid)
            for session, code, minutes, comment in sessions:
                if (day.slot, session) in at_school:
                    code, minutes, comment = "D", None, ""
                version, batch = 1, week_batch
                if run is not None and run[2] and code == run[0]:
                    later = next_week.get(day.week)
                    if later is None:  # still waiting for a reason
                        code, comment = codes.NO_REASON_YET_CODE, ""
                    else:
                        version, batch = 2, self.batch(provider, later)
                        self.versions.append(
                            (mark_id, day.date, 1, "N", None, "", week_batch, batch)
                        )
                        self.changed[batch] = self.changed.get(batch, 0) + 1
                yield (
                    mark_id,
                    placement.pk,
                    day.date,
                    session,
                    code,
                    minutes,
                    comment,
                    version,
                    batch,
                )
                self.created[week_batch] = self.created.get(week_batch, 0) + 1
                mark_id += 1
        self.next_mark_id = mark_id

    def _attended_day(
        self, provider: _Provider, kid: _Child
    ) -> list[tuple[str, str, int | None, str]]:
        rng = self.rng
        sessions: list[tuple[str, str, int | None, str]] = []
        missed_session = rng.choice(("AM", "PM")) if rng.random() < HALF_DAY else None
        for session in ("AM", "PM"):
            if session == missed_session:
                weights = HALF_DAY_WEIGHTS[session]
                sessions.append(
                    (session, rng.choices(list(weights), list(weights.values()))[0], None, "")
                )
                continue
            roll = rng.random()
            if session == "AM" and roll < kid.late:
                after_close = rng.random() < LATE_AFTER_CLOSE
                code = "U" if after_close else "L"
                minutes = rng.randint(31, 90) if after_close else rng.randint(5, 30)
                comment = rng.choice(COMMENTS[code]) if rng.random() < COMMENTED else ""
                sessions.append((session, code, minutes, comment))
            elif roll > 1 - provider.aea:
                aea = rng.choices(list(AEA_WEIGHTS), list(AEA_WEIGHTS.values()))[0]
                sessions.append((session, aea, None, ""))
            else:
                sessions.append((session, PRESENT[session], None, ""))
        return sessions

    def _run_codes(
        self, kid: _Child, authorised: dict[str, float]
    ) -> tuple[list[str], list[float]]:
        """The codes a missed run can take for this child, with cumulative weights."""
        shares: dict[str, float] = {}
        transport = 0.25 if kid.transport else 0.0
        for weights, share in (
            (authorised, (1 - kid.unauthorised) * (1 - transport)),
            (UNAUTHORISED_WEIGHTS, kid.unauthorised * (1 - transport)),
            (TRANSPORT_CODES, transport),
        ):
            total = sum(weights.values())
            for code, weight in weights.items():
                shares[code] = shares.get(code, 0) + share * weight / total
        cumulative, running = [], 0.0
        for weight in shares.values():
            running += weight
            cumulative.append(running)
        return list(shares), cumulative

    def _home_school_slots(self, placement: Placement) -> frozenset[tuple[int, str]]:
        """Sessions a dual-registered child spends at the home school each week (marked D)."""
        if not placement.dual_registered or not placement.home_school_hours_per_week:
            return frozenset()
        year = schooling.year_group(placement.child.date_of_birth, self.today)
        full = policy.full_time_hours(policy.key_stage(year))
        share = Decimal(placement.home_school_hours_per_week) / full
        count = min(9, round(float(share) * 10))
        first = self.rng.randrange(10)
        slots = [(first + n) % 10 for n in range(count)]
        return frozenset((slot // 2, ("AM", "PM")[slot % 2]) for slot in slots)
