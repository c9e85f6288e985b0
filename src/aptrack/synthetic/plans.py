"""Synthetic placement plans: everything `records` leaves out of a placement.

For each placement: its tier (mostly 2), hours (most non-school AP is part-time) and hours
still at the home school, site, planned end (12 weeks for a non-school tier 2 placement, which
is also its maximum; 12 to 26 weeks otherwise; about 8% open-ended with a manager's
justification), a part-time timetable where the week falls short of full-time, exit plan and
readiness criteria, weekly cost from the provider's rates, two or three measurable intended
outcomes and a Person Passport. Started placements are reviewed about every six weeks up to
`today` (a few are overdue), with a progress score for each outcome; a review that finds the
planned end too near extends it. Ended placements get an end reason, a destination and the 6-
and 12-week follow-ups. Each placement's events record its creation and status moves.

Everything is built unsaved from the shared random source, then saved in bulk by `PlanRows`.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from aptrack.accounts.models import User
from aptrack.children import schooling
from aptrack.children.models import Child, SenStatus
from aptrack.placements import policy
from aptrack.placements.models import (
    Destination,
    EndReason,
    FollowUp,
    IntendedOutcome,
    OutcomeProgress,
    PersonPassport,
    Placement,
    PlacementEvent,
    Review,
    ReviewDecision,
    ReviewKind,
)
from aptrack.placements.states import EventKind, PlacementStatus
from aptrack.synthetic import records, texts
from aptrack.synthetic.quality import Compliance
from aptrack.synthetic.staff import LaStaff

BATCH_SIZE = 2_000
S = PlacementStatus
D = Destination

TIER_WEIGHTS = {1: 12, 2: 76, 3: 8}
TIER_3_WEIGHT_FROM_YEAR_10 = 12
OPEN_ENDED = {1: 0.0, 2: 0.065, 3: 0.45}
PRU_FULL_TIME = 0.75
# A full-time provider teaches some of its current pupils full-time (share), up to a handful.
FULL_TIME_PUPILS = 0.35
FULL_TIME_PUPILS_AT_MOST = (6, 15)
DUAL_ARRANGEMENT = (
    0.35  # non-school placements where the child spends the rest of the week at school
)
PASSPORT = 0.85
OVERDUE_REVIEWS = 0.09
# Days between reviews: up to a week inside the cadence (42 days by default), so a placement
# reviewed on time is never late. An overdue one was last reviewed up to 8 weeks past it.
REVIEW_EARLY_DAYS = 7
OVERDUE_BY_DAYS = (1, 58)
EXTEND = 0.85
EXTEND_WEEKS = {"non_school_tier_2": (8, 16), "other": (12, 26)}
# An ended placement extended at a review: share whose new end is the day it then ended.
EXTENDED_TO_ITS_END = 0.7
# A non-school tier 2 placement first found to be running past its planned end (and so its
# maximum): share moved to tier 3 rather than extended.
CHANGE_TO_TIER_3 = 0.2
TAC, EHCP_ANNUAL = 0.10, 0.06
FOLLOW_UP_WEEKS = (6, 12)
FOLLOW_UP_DONE = 0.88

# Where a child went when a placement ended (no other placement following it).
SCHOOL_DESTINATIONS = {
    D.HOME_SCHOOL: 48,
    D.NEW_MAINSTREAM: 22,
    D.SPECIAL_SCHOOL: 10,
    D.ANOTHER_AP: 4,
    D.MOVED_AWAY: 4,
    D.CME: 8,
}
POST_16_DESTINATIONS = {
    D.POST_16: 55,
    D.EMPLOYMENT_TRAINING: 12,
    D.NEET: 22,
    D.MOVED_AWAY: 3,
    D.SPECIAL_SCHOOL: 3,
    D.ANOTHER_AP: 5,
}
# An earlier placement followed by the current one: straight on to it, or back to school for
# a while and then referred again.
STRAIGHT_ON_DAYS = 14
BEFORE_ANOTHER_PLACEMENT = {
    D.HOME_SCHOOL: 60,
    D.NEW_MAINSTREAM: 28,
    D.SPECIAL_SCHOOL: 5,
    D.ANOTHER_AP: 7,
}
BEFORE_A_PLANNED_PLACEMENT = {D.ANOTHER_AP: 30, D.HOME_SCHOOL: 45, D.NEW_MAINSTREAM: 20, D.CME: 5}
GOOD_DESTINATIONS = frozenset(
    {D.HOME_SCHOOL, D.NEW_MAINSTREAM, D.SPECIAL_SCHOOL, D.POST_16, D.EMPLOYMENT_TRAINING}
)
# Why placements ending somewhere other than school or post-16 ended.
OTHER_END_REASONS = {
    D.ANOTHER_AP: {
        EndReason.BREAKDOWN: 40,
        EndReason.NEEDS_CHANGED: 35,
        EndReason.PROVIDER_ENDED: 25,
    },
    D.NEET: {EndReason.COMPLETED: 40, EndReason.BREAKDOWN: 45, EndReason.OTHER: 15},
    D.CME: {EndReason.BREAKDOWN: 60, EndReason.OTHER: 40},
}
# An active placement whose planned end is still ahead: share left to end as planned.
ENDS_AS_PLANNED = 0.35


@dataclass
class PlanRows:
    """The unsaved rows that hang off one LA's placements, saved after the placements."""

    outcomes: list[IntendedOutcome] = field(default_factory=list)
    passports: list[PersonPassport] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    progress: list[OutcomeProgress] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    events: list[PlacementEvent] = field(default_factory=list)

    def save(self) -> None:
        """Save every row; the placements must be saved first (so they have keys)."""
        IntendedOutcome.objects.bulk_create(self.outcomes, batch_size=BATCH_SIZE)
        PersonPassport.objects.bulk_create(self.passports, batch_size=BATCH_SIZE)
        Review.objects.bulk_create(self.reviews, batch_size=BATCH_SIZE)
        OutcomeProgress.objects.bulk_create(self.progress, batch_size=BATCH_SIZE)
        FollowUp.objects.bulk_create(self.follow_ups, batch_size=BATCH_SIZE)
        PlacementEvent.objects.bulk_create(self.events, batch_size=BATCH_SIZE)


@dataclass
class PlanContext:
    draw: records.Draw
    setting: records.LaSetting
    staff: LaStaff
    compliance: dict[int, Compliance]  # by provider organisation primary key
    rows: PlanRows = field(default_factory=PlanRows)
    choices: dict[int, records.ProviderChoice] = field(init=False)
    # Full-time places still to fill, by provider organisation primary key.
    full_time_places: dict[int, int] = field(init=False)
    # The LA's policy settings, read once: review cadence by tier, full-time hours by stage.
    cadence_days: dict[int | None, int] = field(init=False)
    full_time_hours: dict[str, Decimal] = field(init=False)

    def __post_init__(self) -> None:
        self.choices = {choice.provider.pk: choice for choice in self.setting.providers}
        self.cadence_days = policy.all_review_cadences()
        self.full_time_hours = {
            stage: policy.full_time_hours(stage) for stage in ("KS1", "KS2", "KS3", "KS4", "KS5")
        }
        self.full_time_places = {
            choice.provider.pk: self.draw.rng.randint(*FULL_TIME_PUPILS_AT_MOST)
            for choice in self.setting.providers
            if choice.full_time
        }


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _halves(draw: records.Draw, low: float, high: float) -> Decimal:
    return Decimal(draw.rng.randint(round(low * 2), round(high * 2))) / 2


def _json_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- intended outcomes ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    """An intended outcome with numbers behind its baseline and target, so that each review can
    report where the child has got to."""

    description: str
    measure: str
    baseline: float
    target: float
    show: Callable[[float], str]

    def at(self, progress: float) -> str:
        return self.show(self.baseline + (self.target - self.baseline) * progress)


def _months(value: float) -> str:
    months = round(value)
    return f"{months // 12}y {months % 12}m"


FUNCTIONAL_SKILLS = ("Entry Level 1", "Entry Level 2", "Entry Level 3", "Level 1", "Level 2")
POST_16_STEPS = (
    "No application made",
    "Careers interview held",
    "Application made",
    "Interview attended",
    "Conditional offer",
    "Place accepted",
)


def _measures(draw: records.Draw, kid: "_Kid", placement: Placement, year: int) -> list[_Measure]:
    """Two or three outcomes suited to the child's age and plan."""
    rng = draw.rng
    school = kid.child.home_school
    age_months = (placement.start_date - kid.child.date_of_birth).days * 12 // 365
    options: list[tuple[int, Callable[[], _Measure]]] = []

    def attendance() -> _Measure:
        base = min(90, max(10, round(kid.attendance / 5) * 5))
        return _Measure(
            rng.choice(("Improve attendance", "Attend more of the timetable")),
            "Attendance: % of sessions attended",
            base,
            min(95, base + rng.choice((15, 20, 25, 30))),
            lambda v: f"{v:.0f}%",
        )

    def reading() -> _Measure:
        base = max(60, age_months - rng.randint(18, 50))
        return _Measure(
            "Close the gap in reading",
            "Reading age (standardised reading test)",
            base,
            base + rng.randint(9, 18),
            _months,
        )

    def maths() -> _Measure:
        if year >= 10:
            base = rng.randint(1, 3)
            return _Measure(
                "Make progress in maths towards a GCSE",
                "Maths: GCSE grade (teacher assessment)",
                base,
                base + rng.randint(1, 2),
                lambda v: f"Grade {round(v)}",
            )
        base = max(1, year - rng.randint(2, 4))
        return _Measure(
            "Secure number skills",
            "Maths: year-group standard working at (teacher assessment)",
            base,
            base + rng.randint(1, 2),
            lambda v: f"Year {round(v)} standard",
        )

    def regulation() -> _Measure:
        return _Measure(
            "Stay in lessons and manage difficult moments",
            "Times leaving a lesson without permission, a week",
            rng.randint(4, 10),
            rng.randint(0, 1),
            lambda v: f"{round(v)} a week",
        )

    def wellbeing() -> _Measure:
        base = rng.randint(19, 30)
        return _Measure(
            "Feel better about school and about themselves",
            "SDQ total difficulties score (lower is better)",
            base,
            base - rng.randint(5, 9),
            lambda v: str(round(v)),
        )

    def relationships() -> _Measure:
        return _Measure(
            "Get on with others in the group",
            "Days a week without a recorded conflict",
            rng.randint(0, 2),
            rng.randint(4, 5),
            lambda v: f"{round(v)} of 5 days",
        )

    def back_to_school() -> _Measure:
        name = school.name if school else "school"
        return _Measure(
            f"Return to {name} step by step",
            "Hours a week attended at the home school",
            0,
            rng.choice((10, 15, 20, 25)),
            lambda v: f"{round(v)} hours a week",
        )

    def english() -> _Measure:
        base = rng.randint(0, 2)
        return _Measure(
            "Gain a qualification in English",
            "Functional Skills English level",
            base,
            min(len(FUNCTIONAL_SKILLS) - 1, base + rng.randint(1, 2)),
            lambda v: FUNCTIONAL_SKILLS[round(v)],
        )

    def post_16() -> _Measure:
        return _Measure(
            "Secure a place for September",
            "Post-16 application progress",
            0,
            rng.choice((4, 5)),
            lambda v: POST_16_STEPS[round(v)],
        )

    options = [
        (9, attendance),
        (4, reading),
        (4, maths),
        (5, regulation),
        (3, wellbeing),
        (3, relationships),
    ]
    if school is not None and placement.tier != 1:
        options.append((4, back_to_school))
    if year >= 10:
        options.append((4, english))
    if year >= 11:
        options.append((5, post_16))
    count = rng.choice((2, 2, 3))
    chosen: list[_Measure] = []
    for _ in range(count):
        weight_list = [weight for weight, _ in options]
        index = rng.choices(range(len(options)), weights=weight_list)[0]
        chosen.append(options.pop(index)[1]())
    return chosen


# --- one child -----------------------------------------------------------------------------


@dataclass
class _Kid:
    child: Child
    attendance: float  # percentage of sessions when the first placement began
    need: str
    interest: str

    @property
    def name(self) -> str:
        return self.child.preferred_name or self.child.legal_first_name


def plan_child(ctx: PlanContext, child: Child, placements: list[Placement]) -> None:
    """Fill in the plans of one child's placements (oldest first) and add their rows."""
    draw = ctx.draw
    need_weights = {key: weight for key, (_, weight) in texts.PRIMARY_NEEDS.items()}
    kid = _Kid(
        child=child,
        # Attendance in AP is about 57.5% (domain.md §7); pupils arrive with less.
        attendance=min(95.0, max(5.0, draw.rng.gauss(52, 18))),
        need=texts.PRIMARY_NEEDS[str(draw.pick(need_weights))][0],
        interest=draw.rng.choice(texts.INTERESTS),
    )
    for index, placement in enumerate(placements):
        following = placements[index + 1] if index + 1 < len(placements) else None
        _Plan(ctx, kid, placement, following).build()


class _Plan:
    """One placement's plan and the rows that hang off it."""

    def __init__(
        self, ctx: PlanContext, kid: _Kid, placement: Placement, following: Placement | None
    ) -> None:
        self.ctx = ctx
        self.draw = ctx.draw
        self.rng = ctx.draw.rng
        self.today = ctx.draw.today
        self.kid = kid
        self.placement = placement
        self.following = following
        self.choice = ctx.choices[placement.provider.pk]
        self.events: list[PlacementEvent] = []
        self.year = schooling.year_group(kid.child.date_of_birth, placement.start_date)
        self.full_time = ctx.full_time_hours[policy.key_stage(self.year)]
        self.measures: list[tuple[IntendedOutcome, _Measure, float]] = []
        self.tier_change_considered = False

    def build(self) -> None:
        p = self.placement
        self._plan_fields()
        self._outcomes()
        if self.draw.chance(PASSPORT if p.status != S.CANCELLED else PASSPORT / 2):
            self._passport()
        self._creation_events()
        if p.status in (S.ACTIVE, S.ENDED):
            self._run()
        elif p.status == S.CANCELLED:
            day = self.today - dt.timedelta(days=self.rng.randint(0, 3))
            at = max(p.created_at, self.draw.at(day))
            self._event(
                EventKind.CANCELLED,
                at,
                S.PLANNED,
                S.CANCELLED,
                {"reason": self.rng.choice(texts.CANCEL_REASONS)},
            )
        self._written_plans()
        p.version = len(self.events)
        self.ctx.rows.events.extend(self.events)

    # --- the plan ---------------------------------------------------------------------------

    def _tier(self) -> int:
        provider = self.choice.record.provider if self.choice.record else None
        offered = {
            1: provider is None or provider.offers_tier_1,
            2: provider is None or provider.offers_tier_2,
            3: provider is None or provider.offers_tier_3,
        }
        weights = dict(TIER_WEIGHTS)
        if self.year >= 10:
            weights[3] = TIER_3_WEIGHT_FROM_YEAR_10
        if self.kid.child.home_school_id is None:
            weights[1] = 0  # tier 1 is support in the child's school
        options = {tier: weight for tier, weight in weights.items() if offered[tier] and weight}
        return int(self.draw.pick(options or {2: 1}))

    def _hours(self, tier: int) -> tuple[Decimal, Decimal]:
        """Hours a week with the provider, and at the home school alongside."""
        draw, full = self.draw, self.full_time
        at_school = self.kid.child.home_school_id is not None
        if tier == 1:
            hours = _halves(draw, 2.5, 10)
            return hours, full - hours
        if self.choice.is_registered:
            if draw.chance(PRU_FULL_TIME):
                return full, Decimal(0)
            return _halves(draw, 12, float(full) - 2.5), Decimal(0)
        places = self.ctx.full_time_places
        provider_id = self.placement.provider.pk
        if (
            self.placement.status == S.ACTIVE
            and places.get(provider_id, 0) > 0
            and draw.chance(FULL_TIME_PUPILS)
        ):
            places[provider_id] -= 1
            hours = _halves(draw, 18, float(full))
        else:
            hours = _halves(draw, self.choice.min_hours, self.choice.max_hours)
        if at_school and hours < full and draw.chance(DUAL_ARRANGEMENT):
            return hours, full - hours
        return hours, Decimal(0)

    def _planned_end(self, tier: int) -> dt.date | None:
        p, rng = self.placement, self.rng
        if self.draw.chance(OPEN_ENDED[tier]):
            p.open_ended_justification = rng.choice(texts.OPEN_ENDED_JUSTIFICATIONS)
            p.open_ended_approved_by = self.ctx.staff.manager
            return None
        if tier == 1:
            weeks = rng.randint(6, 12)
        elif tier == 2 and not self.choice.is_registered:
            # Up to the 12-week maximum for a non-school tier 2 placement, usually all of it.
            weeks = 12 if self.draw.chance(0.7) else rng.randint(8, 11)
        else:
            weeks = rng.randint(12, 26)
        return self.ctx.setting.school_day_on_or_before(p.start_date + dt.timedelta(weeks=weeks))

    def _plan_fields(self) -> None:
        p, draw, rng, kid = self.placement, self.draw, self.rng, self.kid
        record = self.choice.record
        tier = self._tier()
        hours, at_school = self._hours(tier)
        p.tier = tier
        p.hours_per_week = hours
        p.home_school_hours_per_week = at_school
        if record is not None:
            p.site = record.sites[0] if draw.chance(0.75) else rng.choice(record.sites)
            provider = record.provider
            cent = Decimal("0.01")
            if provider.hourly_rate is not None:
                p.weekly_cost = (provider.hourly_rate * hours).quantize(cent)
            elif provider.daily_rate is not None:
                p.weekly_cost = (provider.daily_rate * hours / policy.SCHOOL_DAYS_A_WEEK).quantize(
                    cent
                )
        p.planned_end_date = self._planned_end(tier)
        p.maximum_end_date = policy.maximum_end_date(
            tier=tier, registered=self.choice.is_registered, start=p.start_date
        )
        if tier == 1:
            p.commissioning_school = self.ctx.setting.school_organisations.get(
                kid.child.home_school_id  # type: ignore[arg-type]
            )
        p.dual_registered = (
            self.choice.is_registered and kid.child.home_school_id is not None and draw.chance(0.6)
        )
        if hours + at_school < self.full_time:
            p.part_time_reason = rng.choice(texts.PART_TIME_REASONS)
            p.part_time_parent_agreed = True
            p.part_time_review_date = p.start_date + dt.timedelta(days=rng.randint(14, 42))
        p.readiness_criteria = "; ".join(rng.sample(texts.READINESS_CRITERIA, k=rng.randint(2, 3)))
        p.family_involvement = rng.choice(texts.FAMILY_INVOLVEMENT)
        if p.status in (S.PLANNED, S.CANCELLED):
            compliance = self.ctx.compliance.get(p.provider.pk)
            if compliance is not None and not compliance.compliant_on(
                max(p.start_date, self.today)
            ):
                p.compliance_override_reason = rng.choice(texts.OVERRIDE_REASONS)

    def _written_plans(self) -> None:
        """The exit plan and the plan back to full-time, as they read at the last review."""
        p = self.placement
        p.exit_plan = self._exit_plan(p.tier)  # type: ignore[arg-type]
        if p.part_time_review_date is not None:
            by = p.planned_end_date or p.start_date + dt.timedelta(weeks=12)
            p.part_time_plan_to_full_time = self.rng.choice(texts.PART_TIME_PLANS).format(
                full=f"{self.full_time:g}", by=_uk(by), review=_uk(p.part_time_review_date)
            )

    def _exit_plan(self, tier: int) -> str:
        child = self.kid.child
        if tier == 1:
            kind = "tier_1"
        elif tier == 3 and self.year >= 10:
            kind = "post_16"
        elif tier == 3 and child.sen_status == SenStatus.EHCP and self.draw.chance(0.5):
            kind = "special"
        elif child.home_school is not None:
            kind = "return"
        else:
            kind = "new_school"
        end = self.placement.planned_end_date
        return self.rng.choice(texts.EXIT_PLANS[kind]).format(
            school=child.home_school.name if child.home_school else "the new school",
            end=_uk(end) if end else "the end of the placement",
            name=self.kid.name,
        )

    def _outcomes(self) -> None:
        for position, measure in enumerate(
            _measures(self.draw, self.kid, self.placement, self.year)
        ):
            outcome = IntendedOutcome(
                placement=self.placement,
                description=measure.description[:300],
                measure=measure.measure,
                baseline=measure.at(0),
                target=measure.at(1),
                position=position,
            )
            self.ctx.rows.outcomes.append(outcome)
            # How many weeks this child needs to reach the target at a good pace.
            self.measures.append((outcome, measure, self.rng.uniform(16, 40)))

    def _passport(self) -> None:
        draw, rng, kid, child = self.draw, self.rng, self.kid, self.kid.child
        if child.sen_status == SenStatus.NONE:
            needs = "No identified special educational needs."
        elif child.sen_status == SenStatus.EHCP:
            needs = f"{kid.need}. Has an EHCP: the plan links to its outcomes."
        else:
            needs = f"{kid.need} (SEN support)."
        contacts = " ".join(texts.CONTACTS)
        if child.looked_after:
            contacts += " " + texts.LOOKED_AFTER_CONTACTS
        day = min(
            self.placement.created_at.date() + dt.timedelta(days=rng.randint(0, 5)), self.today
        )
        passport = PersonPassport(
            placement=self.placement,
            about_me=f"{kid.name} is in Year {self.year} and {kid.interest}.",
            needs=needs,
            what_helps="; ".join(rng.sample(texts.WHAT_HELPS, k=2)) + ".",
            what_to_avoid="; ".join(rng.sample(texts.WHAT_TO_AVOID, k=2)) + ".",
            contacts=contacts,
            updated_at=draw.at(day),
        )
        self.ctx.rows.passports.append(passport)

    # --- events -----------------------------------------------------------------------------

    def _event(
        self,
        kind: EventKind,
        at: dt.datetime,
        from_status: str = "",
        to_status: str = "",
        data: dict[str, Any] | None = None,
        by: User | None = None,
    ) -> None:
        self.events.append(
            PlacementEvent(
                placement=self.placement,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                by=by or self.ctx.staff.officer(self.draw),
                at=at,
                data=data or {},
            )
        )

    def _creation_events(self) -> None:
        p = self.placement
        status = S.PLANNED if p.created_at.date() < p.start_date else S.ACTIVE
        provider_name = self.choice.record.provider.name if self.choice.record else p.provider.name
        self._event(
            EventKind.CREATED,
            p.created_at,
            "",
            status,
            {
                "provider": provider_name,
                "tier": p.tier,
                "start_date": p.start_date.isoformat(),
                "planned_end_date": _json_date(p.planned_end_date),
                "hours_per_week": str(p.hours_per_week),
                "referral_id": None,
            },
        )
        manager = self.ctx.staff.manager
        if p.open_ended_approved_by is not None:
            self._event(
                EventKind.OPEN_ENDED_APPROVED,
                p.created_at,
                data={"justification": p.open_ended_justification},
                by=manager,
            )
        if p.compliance_override_reason:
            self._event(
                EventKind.COMPLIANCE_OVERRIDDEN,
                p.created_at,
                data={"reason": p.compliance_override_reason},
                by=manager,
            )
        if status == S.PLANNED and p.status in (S.ACTIVE, S.ENDED):
            self._event(EventKind.ACTIVATED, self.draw.at(p.start_date), S.PLANNED, S.ACTIVE)

    # --- reviews and the end ----------------------------------------------------------------

    def _destination(self) -> Destination:
        following, child = self.following, self.kid.child
        end = self.placement.end_date
        assert end is not None  # noqa: S101 - only ended placements have a destination
        if following is not None and following.status == S.PLANNED:
            weights = dict(BEFORE_A_PLANNED_PLACEMENT)
        elif following is not None and following.status != S.CANCELLED:
            if (following.start_date - end).days <= STRAIGHT_ON_DAYS and self.draw.chance(0.85):
                return D.ANOTHER_AP
            weights = dict(BEFORE_ANOTHER_PLACEMENT)
        else:
            year = schooling.year_group(child.date_of_birth, end)
            post_16 = year >= 12 or (year == 11 and end.month in (5, 6, 7, 8))
            weights = dict(POST_16_DESTINATIONS if post_16 else SCHOOL_DESTINATIONS)
            if following is not None:  # planned then cancelled: not another AP placement
                weights.pop(D.ANOTHER_AP, None)
        if child.home_school_id is None:
            weights.pop(D.HOME_SCHOOL, None)
        return Destination(self.draw.pick(weights))

    def _run(self) -> None:
        """Reviews from the start to the end (or today), then the end and its follow-ups."""
        p, draw, rng, today = self.placement, self.draw, self.rng, self.today
        destination = self._destination() if p.status == S.ENDED else None
        if destination is None:
            success = rng.uniform(0.3, 1.1)
        elif destination in GOOD_DESTINATIONS:
            success = rng.uniform(0.8, 1.2)
        elif destination == D.MOVED_AWAY:
            success = rng.uniform(0.5, 1.0)
        else:
            success = rng.uniform(0.1, 0.45)
        trend = (success - 0.6) * 6
        stop = p.end_date or today
        cadence = self.ctx.cadence_days[p.tier]
        if (
            p.status == S.ACTIVE
            and p.start_date <= today - dt.timedelta(days=cadence + 18)
            and draw.chance(OVERDUE_REVIEWS)
        ):
            stop = today - dt.timedelta(days=cadence + rng.randint(*OVERDUE_BY_DAYS))
        reviews: list[Review] = []
        held = p.start_date
        while True:
            cadence = self.ctx.cadence_days[p.tier]
            gap = rng.randint(max(1, cadence - REVIEW_EARLY_DAYS), cadence)
            held = records.weekday_on_or_before(held + dt.timedelta(days=gap))
            if held > stop:
                break
            reviews.append(self._review(held, len(reviews) + 1, success, trend))
        if destination is not None:
            self._end(destination, reviews, success, trend)

    def _review(
        self,
        held: dt.date,
        number: int,
        success: float,
        trend: float,
        *,
        ending: EndReason | None = None,
    ) -> Review:
        """A review on `held`; `ending`: the review that decided to end the placement, why."""
        p, draw, rng, today = self.placement, self.draw, self.rng, self.today
        mood = "up" if trend + rng.gauss(0, 1.5) >= 0 else "down"
        attendance = min(100.0, max(0.0, self.kid.attendance + trend * number + rng.gauss(0, 4)))
        decision, reason = ReviewDecision.CONTINUE, rng.choice(texts.CONTINUE_REASONS)
        new_end: dt.date | None = None
        new_tier: int | None = None
        horizon = held + dt.timedelta(days=self.ctx.cadence_days[p.tier])
        current_end = p.planned_end_date
        runs_past_end = current_end is not None and (p.end_date is None or p.end_date > current_end)
        if ending is not None:
            decision, reason = ReviewDecision.END, rng.choice(texts.END_REVIEW_REASONS[ending])
        elif current_end is not None and current_end < horizon and runs_past_end:
            non_school_tier_2 = p.tier == 2 and not self.choice.is_registered
            if p.end_date is None and current_end >= today and draw.chance(ENDS_AS_PLANNED):
                pass  # to end as planned: the LA's "ending soon" list
            elif (
                non_school_tier_2
                and not self.tier_change_considered
                and draw.chance(CHANGE_TO_TIER_3)
            ):
                decision, reason, new_tier = (
                    ReviewDecision.CHANGE_TIER,
                    rng.choice(texts.TIER_CHANGE_REASONS),
                    3,
                )
            elif draw.chance(EXTEND):
                low, high = EXTEND_WEEKS["non_school_tier_2" if non_school_tier_2 else "other"]
                decision, reason = ReviewDecision.EXTEND, rng.choice(texts.EXTEND_REASONS)
                new_end = self.ctx.setting.school_day_on_or_before(
                    max(current_end, held) + dt.timedelta(weeks=rng.randint(low, high))
                )
                if (
                    p.end_date is not None
                    and p.end_date < new_end
                    and draw.chance(EXTENDED_TO_ITS_END)
                ):
                    new_end = p.end_date  # later than current_end: it ran past that
            self.tier_change_considered = self.tier_change_considered or non_school_tier_2
        kind = ReviewKind.PLACEMENT_REVIEW
        if draw.chance(TAC):
            kind = ReviewKind.TAC
        elif self.kid.child.sen_status == SenStatus.EHCP and draw.chance(EHCP_ANNUAL):
            kind = ReviewKind.EHCP_ANNUAL
        tier_after = new_tier or p.tier
        recorded = draw.at(min(held + dt.timedelta(days=rng.randint(0, 3)), self.today))
        review = Review(
            placement=p,
            kind=kind,
            held_date=held,
            attendance_percent=Decimal(f"{attendance:.1f}"),
            child_views=rng.choice(texts.CHILD_VIEWS[mood]),
            family_views=rng.choice(texts.FAMILY_VIEWS[mood]),
            decision=decision,
            decision_reason=reason,
            new_planned_end_date=new_end,
            new_tier=new_tier,
            next_review_date=held + dt.timedelta(days=self.ctx.cadence_days[tier_after]),
            recorded_by=self.ctx.staff.officer(draw),
            recorded_at=recorded,
        )
        self.ctx.rows.reviews.append(review)
        achieved = ending is not None and success >= 0.8
        self._progress(review, success, floor=0.75 if achieved else 0.0)
        if new_end is not None:
            self._event(
                EventKind.EXTENDED,
                recorded,
                data={
                    "from": _json_date(current_end),
                    "to": new_end.isoformat(),
                    "reason": reason,
                },
            )
            p.planned_end_date = new_end
        if new_tier is not None:
            self._event(
                EventKind.TIER_CHANGED,
                recorded,
                data={
                    "from": p.tier,
                    "to": new_tier,
                    "reason": reason,
                },
            )
            p.tier = new_tier
            p.maximum_end_date = policy.maximum_end_date(
                tier=new_tier, registered=self.choice.is_registered, start=held
            )
        return review

    def _progress(self, review: Review, success: float, floor: float = 0.0) -> None:
        weeks = (review.held_date - self.placement.start_date).days / 7
        for outcome, measure, pace in self.measures:
            progress = success * weeks / pace + self.rng.gauss(0, 0.08)
            progress = min(1.0, max(floor, progress, 0.0))
            self.ctx.rows.progress.append(
                OutcomeProgress(
                    review=review,
                    outcome=outcome,
                    score=min(5, max(1, 1 + round(4 * progress))),
                    current_value=measure.at(progress)[:100],
                )
            )

    def _end(
        self, destination: Destination, reviews: list[Review], success: float, trend: float
    ) -> None:
        p, draw, rng, today = self.placement, self.draw, self.rng, self.today
        end = p.end_date
        assert end is not None  # noqa: S101 - only ended placements end
        planned = p.planned_end_date
        on_time = planned is None or end >= planned - dt.timedelta(days=14)
        if destination == D.MOVED_AWAY:
            reason = EndReason.FAMILY_MOVED
        elif destination == D.SPECIAL_SCHOOL:
            reason = (
                EndReason.COMPLETED if on_time and draw.chance(0.5) else EndReason.NEEDS_CHANGED
            )
        elif destination in GOOD_DESTINATIONS:
            reason = EndReason.COMPLETED if on_time else EndReason.REINTEGRATED_EARLY
        else:
            reason = EndReason(draw.pick(OTHER_END_REASONS[destination]))
        if reason in texts.END_REVIEW_REASONS:  # a review decided to end it
            last = reviews[-1] if reviews else None
            if (
                last is not None
                and last.decision == ReviewDecision.CONTINUE
                and (end - last.held_date).days <= 14
            ):
                last.decision = ReviewDecision.END
                last.decision_reason = rng.choice(texts.END_REVIEW_REASONS[reason])
            else:
                held = max(p.start_date, end - dt.timedelta(days=rng.randint(0, 5)))
                if last is None or held > last.held_date:
                    reviews.append(
                        self._review(held, len(reviews) + 1, success, trend, ending=reason)
                    )
        p.end_reason = reason
        p.destination = destination
        p.transition_plan = rng.choice(texts.TRANSITION_PLANS[destination])
        ended_at = draw.at(min(end + dt.timedelta(days=rng.randint(0, 2)), today))
        self._event(
            EventKind.ENDED,
            ended_at,
            S.ACTIVE,
            S.ENDED,
            {
                "end_date": end.isoformat(),
                "reason": reason,
                "destination": destination,
            },
        )
        self._follow_ups(destination, end)

    def _follow_ups(self, destination: Destination, end: dt.date) -> None:
        draw, rng, today = self.draw, self.rng, self.today
        back_in_ap = (
            self.following.start_date
            if self.following is not None and self.following.status != S.CANCELLED
            else None
        )
        sustained = destination in GOOD_DESTINATIONS and draw.chance(0.85)
        if destination in (D.ANOTHER_AP, D.MOVED_AWAY):
            sustained = draw.chance(0.9)
        for weeks in FOLLOW_UP_WEEKS:
            due = end + dt.timedelta(weeks=weeks)
            follow_up = FollowUp(placement=self.placement, weeks_after=weeks, due_date=due)
            done = min(due + dt.timedelta(days=rng.randint(0, 10)), today)
            if due <= today and draw.chance(FOLLOW_UP_DONE):
                attending = sustained and destination not in (D.NEET, D.CME)
                note = texts.FOLLOW_UP_NOTES_BY_DESTINATION.get(destination) or rng.choice(
                    texts.FOLLOW_UP_NOTES[sustained]
                )
                if back_in_ap is not None and back_in_ap <= done and destination != D.ANOTHER_AP:
                    attending = sustained = False
                    note = texts.BACK_IN_AP_NOTE
                follow_up.done_date = done
                follow_up.still_attending = attending
                follow_up.destination_sustained = sustained
                follow_up.note = note
            self.ctx.rows.follow_ups.append(follow_up)
