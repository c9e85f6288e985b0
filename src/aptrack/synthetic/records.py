"""Unsaved synthetic children and their placements, drawn from rough national proportions.

The EHCP (about 80%) and free-school-meals (47%) shares follow domain.md §7; the others (mostly
boys, mostly Years 7 to 11, a tenth looked after...) are rough planning figures. Placements last
about 276 days on average, as unregistered placements did in 2023/24 (domain.md §2). Nothing
here touches the database or the clock: the caller passes the random source, the Faker and
`today`. Here a placement gets its child, provider, dates and status; `plans` fills in the rest
of its plan.
"""

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from faker import Faker

from aptrack.calendars.engine import SchoolCalendar
from aptrack.children import schooling, upn
from aptrack.children.models import Child, SenStatus, Sex, SocialCareStatus
from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.providers.states import ApprovalStatus
from aptrack.synthetic import naming
from aptrack.synthetic.providers import ProviderRecord

K = TypeVar("K")

# fmt: off
# National curriculum year: relative weight (82% in Years 7–11, 9% in 1–6, 9% in 12–13: mostly
# children who left AP at the end of Year 11 and stay on the register).
YEAR_GROUP_WEIGHTS = {
    1: 0.6, 2: 0.8, 3: 1.0, 4: 1.3, 5: 1.8, 6: 2.5,
    7: 6, 8: 10, 9: 15, 10: 20, 11: 22, 12: 6, 13: 2,
}
SEX_WEIGHTS = {Sex.MALE: 70, Sex.FEMALE: 29.5, Sex.NOT_KNOWN: 0.5}
SEN_WEIGHTS = {SenStatus.EHCP: 80, SenStatus.SEN_SUPPORT: 12, SenStatus.NONE: 8}
ETHNICITY_WEIGHTS = {
    "default": {
        "WBRI": 72, "WIRI": 0.3, "WIRT": 0.7, "WROM": 0.8, "WOTH": 3.5, "MWBC": 3.5,
        "MWBA": 0.8, "MWAS": 1.2, "MOTH": 2.2, "AIND": 0.8, "APKN": 2.0, "ABAN": 0.6,
        "AOTH": 0.8, "BCRB": 0.8, "BAFR": 2.2, "BOTH": 0.7, "CHNE": 0.1, "OOTH": 1.0,
        "REFU": 1.5, "NOBT": 2.5,
    },
    "LONDON": {
        "WBRI": 22, "WIRI": 0.6, "WIRT": 0.5, "WROM": 1.0, "WOTH": 9, "MWBC": 8, "MWBA": 2.5,
        "MWAS": 1.5, "MOTH": 5, "AIND": 2, "APKN": 2.5, "ABAN": 4.5, "AOTH": 3, "BCRB": 10,
        "BAFR": 13, "BOTH": 5, "CHNE": 0.3, "OOTH": 5, "REFU": 2, "NOBT": 2.5,
    },
}
# fmt: on
LOOKED_AFTER = 0.10
LOOKED_AFTER_BY_HOME_LA = 0.85
# Shares of all children; drawn among those not looked after, so the overall shares hold.
CHILD_PROTECTION = 0.08
CHILD_IN_NEED = 0.15
YOUTH_JUSTICE = 0.08
YOUTH_JUSTICE_FROM_YEAR = 6  # age of criminal responsibility is 10
_YOUTH_JUSTICE_ELIGIBLE = (
    YOUTH_JUSTICE
    * sum(YEAR_GROUP_WEIGHTS.values())
    / sum(weight for year, weight in YEAR_GROUP_WEIGHTS.items() if year >= YOUTH_JUSTICE_FROM_YEAR)
)
FSM = 0.47
TEMPORARY_UPN = 0.02
ULN_FROM_YEAR = 10  # learners aged 14+
ULN_SHARE = 0.55
NO_HOME_SCHOOL = 0.05  # permanently excluded, off roll
NO_ADDRESS = 0.10

ACTIVE_PLACEMENT = 0.94
# Past Year 11 most children have left AP: most of those in Years 12 and 13 had a placement
# that ended with Year 11, in July.
ACTIVE_PLACEMENT_POST_16 = 0.3
POST_16_FROM_YEAR = 12
LEFT_AT_END_OF_YEAR_11 = 0.7
EARLIER_PLACEMENT = 0.20
# Between an earlier placement and the current one: straight on (a share), or back at school
# for a month to a year.
STRAIGHT_ON = 0.2
PRU_SHARE = 0.35
PLACEMENT_WINDOW_DAYS = 730
# Days a current placement has run: a gamma draw (mean about 175 days), which is what placements
# averaging about 276 days in all look like part-way through.
ELAPSED_SHAPE, ELAPSED_SCALE = 1.6, 110
# Days an ended placement ran: mean about 275 (domain.md §2), at least six weeks.
DURATION_SHAPE, DURATION_SCALE = 2.2, 125
MIN_DURATION_DAYS, MAX_DURATION_DAYS = 42, 700
# A child whose placement has ended: the next one already planned (starting within two weeks),
# or planned and then cancelled.
NEXT_PLANNED = 0.35
NEXT_CANCELLED = 0.2
# Standings under which an LA makes no new placement with a provider.
NO_NEW_PLACEMENTS = frozenset({ApprovalStatus.REFERRALS_PAUSED, ApprovalStatus.NOT_APPROVED})


@dataclass(frozen=True)
class ProviderChoice:
    """A provider children may be placed with: its share of placements and weekly hours, its
    register record, and whether it teaches full-time (over the registration threshold)."""

    provider: Organisation
    weight: int
    min_hours: int
    max_hours: int
    record: ProviderRecord | None = None
    full_time: bool = False

    @property
    def is_registered(self) -> bool:
        return self.record is not None and self.record.provider.is_registered

    @property
    def takes_new_placements(self) -> bool:
        return self.record is None or self.record.standing not in NO_NEW_PLACEMENTS


@dataclass
class LaSetting:
    """What a child in one LA can be attached to."""

    la: LocalAuthority
    neighbour_la_ids: list[int]  # other LAs in the region, for out-of-area looked-after children
    primary_schools: list[Establishment]
    secondary_schools: list[Establishment]
    towns: list[str]
    postcode_areas: tuple[str, ...]
    providers: list[ProviderChoice]
    used_upns: set[str] = field(default_factory=set)
    # Each school's SCHOOL organisation, by establishment primary key (tier 1 commissioners).
    school_organisations: dict[int, Organisation] = field(default_factory=dict)
    # The LA's school calendar: placements start and end on its school days where it is known.
    calendar: SchoolCalendar | None = None

    def school_day_on_or_after(self, day: dt.date) -> dt.date:
        return _school_day(self.calendar, weekday_on_or_after(day), dt.timedelta(days=1))

    def school_day_on_or_before(self, day: dt.date) -> dt.date:
        return _school_day(self.calendar, weekday_on_or_before(day), dt.timedelta(days=-1))


@dataclass
class Draw:
    """The random source, the Faker and the day the data is generated for."""

    rng: random.Random
    fake: Faker
    today: dt.date
    tz: dt.tzinfo

    def chance(self, share: float) -> bool:
        return self.rng.random() < share

    def pick(self, weights: Mapping[K, float]) -> K:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def at(self, day: dt.date) -> dt.datetime:
        """A working-hours moment on `day`; early morning when `day` is today, so that nothing
        was recorded later than the data was generated."""
        if day >= self.today:
            return dt.datetime.combine(self.today, dt.time(7, 0), tzinfo=self.tz)
        moment = dt.time(self.rng.randint(8, 16), self.rng.randrange(0, 60, 5))
        return dt.datetime.combine(day, moment, tzinfo=self.tz)


def weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _school_day(calendar: SchoolCalendar | None, day: dt.date, step: dt.timedelta) -> dt.date:
    """The first school day from `day` (a weekday) in the direction of `step`; outside the
    calendar's known terms only weekends are known, so the first weekday there stands."""
    if calendar is None or not calendar.terms or calendar.last_known_day is None:
        return day
    first, last = calendar.terms[0][0], calendar.last_known_day
    while first <= day <= last and not calendar.is_school_day(day):
        day += step
    return (
        day
        if first <= day <= last
        else weekday_on_or_after(day)
        if step.days > 0
        else weekday_on_or_before(day)
    )


def _date_of_birth(draw: Draw, year: int) -> dt.date:
    cohort = schooling.academic_year_start(draw.today) - year - 5
    first = dt.date(cohort, 9, 1)
    days = (dt.date(cohort + 1, 9, 1) - first).days
    return first + dt.timedelta(days=draw.rng.randrange(days))


def _upn(draw: Draw, setting: LaSetting, date_of_birth: dt.date) -> tuple[str, bool]:
    """A UPN as first issued in the home LA: a primary school's number and the reception year."""
    issued = (schooling.academic_year_start(date_of_birth) + 5) % 100
    temporary = draw.chance(TEMPORARY_UPN)
    while True:
        if setting.primary_schools and draw.chance(0.7):
            establishment = draw.rng.choice(setting.primary_schools).establishment_number
        else:
            establishment = f"{draw.rng.randint(2000, 3999):04d}"
        letter = draw.rng.choice(upn.CHECK_ALPHABET) if temporary else ""
        value = upn.make(
            setting.la.code,
            establishment,
            f"{issued:02d}",
            f"{draw.rng.randrange(1000):03d}",
            temporary_letter=letter,
        )
        if value not in setting.used_upns:
            setting.used_upns.add(value)
            return value, temporary


def build_child(draw: Draw, setting: LaSetting) -> tuple[Child, list[Placement]]:
    """One child and their placements (unsaved; the placements point at the unsaved child)."""
    rng, fake = draw.rng, draw.fake
    year = draw.pick(YEAR_GROUP_WEIGHTS)
    date_of_birth = _date_of_birth(draw, year)
    sex = draw.pick(SEX_WEIGHTS)
    ethnicity = draw.pick(ETHNICITY_WEIGHTS.get(setting.la.region, ETHNICITY_WEIGHTS["default"]))
    name = naming.child_name(rng, fake, sex=sex, ethnicity=ethnicity)

    looked_after = draw.chance(LOOKED_AFTER)
    responsible_la_id = None
    social_care = SocialCareStatus.NONE
    if looked_after:
        responsible_la_id = setting.la.pk
        if setting.neighbour_la_ids and not draw.chance(LOOKED_AFTER_BY_HOME_LA):
            responsible_la_id = rng.choice(setting.neighbour_la_ids)
    else:
        roll = rng.random() * (1 - LOOKED_AFTER)
        if roll < CHILD_PROTECTION:
            social_care = SocialCareStatus.CHILD_PROTECTION
        elif roll < CHILD_PROTECTION + CHILD_IN_NEED:
            social_care = SocialCareStatus.CHILD_IN_NEED

    schools = setting.primary_schools if year <= 6 else setting.secondary_schools
    home_school = rng.choice(schools) if schools and not draw.chance(NO_HOME_SCHOOL) else None
    upn_value, temporary = _upn(draw, setting, date_of_birth)
    uln = ""
    if year >= ULN_FROM_YEAR and draw.chance(ULN_SHARE):
        uln = str(rng.randint(1_000_000_000, 9_999_999_999))
    has_address = not draw.chance(NO_ADDRESS)

    child = Child(
        upn=upn_value,
        upn_is_temporary=temporary,
        uln=uln,
        legal_first_name=name.first,
        legal_last_name=name.last,
        preferred_name=name.preferred,
        date_of_birth=date_of_birth,
        sex=sex,
        ethnicity=ethnicity,
        sen_status=draw.pick(SEN_WEIGHTS),
        looked_after=looked_after,
        responsible_la_id=responsible_la_id,
        social_care_status=social_care,
        youth_justice=year >= YOUTH_JUSTICE_FROM_YEAR and draw.chance(_YOUTH_JUSTICE_ELIGIBLE),
        fsm=draw.chance(FSM),
        home_school=home_school,
        home_la=setting.la,
        address_line_1=naming.street_address(rng, fake, setting.towns) if has_address else "",
        town=rng.choice(setting.towns) if has_address else "",
        postcode=naming.postcode(rng, setting.postcode_areas) if has_address else "",
    )
    placements = _placements(
        draw,
        setting,
        child,
        year_one_start=dt.date(schooling.academic_year_start(date_of_birth) + 6, 9, 1),
    )
    # Referred (and so registered) a week to two months before the first placement began.
    first_start = min(p.start_date for p in placements)
    child.created_at = draw.at(first_start - dt.timedelta(days=rng.randint(7, 60)))
    latest = max(p.end_date or p.start_date for p in placements)
    child.updated_at = max(child.created_at, draw.at(latest))
    return child, placements


def _provider(
    draw: Draw, setting: LaSetting, not_this: Organisation | None = None, *, new: bool = False
) -> Organisation:
    """A provider (other than `not_this` where there is a choice); `new`: one the LA still
    makes new placements with."""
    options = [c for c in setting.providers if c.provider is not not_this] or setting.providers
    if new:
        options = [c for c in options if c.takes_new_placements] or options
    return draw.rng.choices(options, weights=[c.weight for c in options])[0].provider


def _placement(
    draw: Draw,
    setting: LaSetting,
    child: Child,
    start: dt.date,
    end: dt.date | None,
    not_this: Organisation | None = None,
    *,
    new: bool = False,
) -> Placement:
    """A placement with its dates and status; `plans` fills in the rest of the plan."""
    provider = _provider(draw, setting, not_this, new=new)
    created = start - dt.timedelta(days=draw.rng.randint(1, 6))
    if end is not None:
        status = PlacementStatus.ENDED
    elif start <= draw.today:
        status = PlacementStatus.ACTIVE
    else:
        status = PlacementStatus.PLANNED
    return Placement(
        child=child,
        provider=provider,
        commissioning_la=setting.la,
        start_date=start,
        end_date=end,
        status=status,
        created_at=draw.at(created),
    )


def _duration(draw: Draw) -> dt.timedelta:
    days = round(draw.rng.gammavariate(DURATION_SHAPE, DURATION_SCALE))
    return dt.timedelta(days=min(MAX_DURATION_DAYS, max(MIN_DURATION_DAYS, days)))


def _placements(
    draw: Draw, setting: LaSetting, child: Child, *, year_one_start: dt.date
) -> list[Placement]:
    """Most children have one current placement; a fifth had an earlier one; a few have only an
    ended one (back in school or moved on), and some of those have the next one planned (or
    planned and cancelled). Oldest first."""
    rng, today = draw.rng, draw.today
    earliest = min(year_one_start, today)
    year = schooling.year_group(child.date_of_birth, today)
    active_share = ACTIVE_PLACEMENT_POST_16 if year >= POST_16_FROM_YEAR else ACTIVE_PLACEMENT
    if draw.chance(active_share) or year_one_start >= today - dt.timedelta(days=60):
        elapsed = min(PLACEMENT_WINDOW_DAYS, round(rng.gammavariate(ELAPSED_SHAPE, ELAPSED_SCALE)))
        start = setting.school_day_on_or_before(max(today - dt.timedelta(days=elapsed), earliest))
        current = _placement(draw, setting, child, start, None)
        placements = [current]
        if draw.chance(EARLIER_PLACEMENT):
            gap = rng.randint(1, 14) if draw.chance(STRAIGHT_ON) else rng.randint(30, 400)
            ended = setting.school_day_on_or_before(start - dt.timedelta(days=gap))
            began = setting.school_day_on_or_before(ended - _duration(draw))
            if began >= earliest:
                placements.insert(
                    0, _placement(draw, setting, child, began, ended, not_this=current.provider)
                )
        return placements
    if year >= POST_16_FROM_YEAR and draw.chance(LEFT_AT_END_OF_YEAR_11):
        july = schooling.academic_year_start(today) - (year - POST_16_FROM_YEAR)
        ended = setting.school_day_on_or_before(dt.date(july, 7, rng.randint(10, 22)))
    else:
        ended = setting.school_day_on_or_before(today - dt.timedelta(days=rng.randint(7, 300)))
    began = setting.school_day_on_or_before(max(ended - _duration(draw), earliest))
    placements = [_placement(draw, setting, child, min(began, ended), ended)]
    roll = rng.random()
    if year < POST_16_FROM_YEAR and roll < NEXT_PLANNED + NEXT_CANCELLED:
        start = setting.school_day_on_or_after(today + dt.timedelta(days=rng.randint(1, 14)))
        following = _placement(
            draw, setting, child, start, None, not_this=placements[0].provider, new=True
        )
        if roll >= NEXT_PLANNED:
            following.status = PlacementStatus.CANCELLED
        placements.append(following)
    return placements
