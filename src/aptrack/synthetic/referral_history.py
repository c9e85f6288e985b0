"""Synthetic referral history: the approved referral behind each generated placement.

A placement is made from a referral the panel approved (placements.services), so every
synthetic placement gets one, dated a few weeks before its start: its route into AP and the
census's primary reason, which the LA dashboard's "routes into AP" and the AP census read.
Routes follow the child: most children with an EHCP are placed in a setting their plan names or
while they wait for a special school place (80.9% of LA-funded AP census placements had the
setting named in the EHCP in January 2024, domain.md §7); the rest come through exclusion,
health needs, emotionally based school avoidance, Fair Access, managed moves and youth justice.
A permanent exclusion's first day is set so that about 85% start by the sixth school day and
the rest later (the committee heard sixth-day provision was "still not at 100%").
Synthetic only: every view and summary is invented.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from aptrack.children.models import Child, SenStatus, Sex
from aptrack.placements.models import Placement
from aptrack.referrals.models import PrimaryReason, Referral, ReferralEvent, Route
from aptrack.referrals.states import ReferralStatus
from aptrack.synthetic import records
from aptrack.synthetic.staff import LaStaff

# fmt: off
EHCP_ROUTES = {Route.EHCP_NAMED: 72, Route.EHCP_AWAITING: 20, Route.PERMANENT_EXCLUSION: 3,
               Route.HEALTH: 3, Route.EBSA: 2}
OTHER_ROUTES = {Route.PERMANENT_EXCLUSION: 26, Route.SUSPENSION: 4, Route.HEALTH: 16,
                Route.EBSA: 18, Route.FAIR_ACCESS: 12, Route.MANAGED_MOVE: 12,
                Route.OFF_SITE_DIRECTION: 6, Route.YOUTH_JUSTICE: 6}
SCHOOL_ROUTES = {Route.EARLY_INTERVENTION: 60, Route.OFF_SITE_DIRECTION: 25, Route.MANAGED_MOVE: 15}
REASONS = {
    Route.PERMANENT_EXCLUSION: PrimaryReason.PERMANENT_EXCLUSION,
    Route.SUSPENSION: PrimaryReason.BEHAVIOUR,
    Route.EHCP_NAMED: PrimaryReason.EHCP_NAMED,
    Route.EHCP_AWAITING: PrimaryReason.AWAITING_SPECIAL_PLACE,
    Route.HEALTH: PrimaryReason.MEDICAL,
    Route.EBSA: PrimaryReason.MEDICAL,
    Route.FAIR_ACCESS: PrimaryReason.NEW_ARRIVAL,
    Route.MANAGED_MOVE: PrimaryReason.BEHAVIOUR,
    Route.OFF_SITE_DIRECTION: PrimaryReason.BEHAVIOUR,
    Route.EARLY_INTERVENTION: PrimaryReason.BEHAVIOUR,
    Route.YOUTH_JUSTICE: PrimaryReason.BEHAVIOUR,
}
SUMMARIES = {
    Route.PERMANENT_EXCLUSION: "Permanently excluded for persistent disruptive behaviour; needs full-time provision from the sixth day.",
    Route.SUSPENSION: "Suspended for more than five days; the school arranges provision from the sixth day.",
    Route.EHCP_NAMED: "The EHCP names this setting; small groups and a therapeutic offer.",
    Route.EHCP_AWAITING: "Awaiting a specialist place named in the EHCP; needs a suitable full-time offer meanwhile.",
    Route.HEALTH: "Long-term medical condition; cannot attend school full-time on medical advice.",
    Route.EBSA: "Anxiety-based non-attendance since Year 7; needs a small group setting and a phased timetable.",
    Route.FAIR_ACCESS: "New to the area mid-year; no school place offered within 20 school days.",
    Route.MANAGED_MOVE: "Managed move agreed by both schools; needs a settling period before the move.",
    Route.OFF_SITE_DIRECTION: "Directed off-site by the school to improve behaviour; planned return to class.",
    Route.EARLY_INTERVENTION: "Early intervention commissioned by the school: a short course with a planned return.",
    Route.YOUTH_JUSTICE: "Working with the youth justice service; needs education alongside the order.",
}
# fmt: on
PREGNANCY_SUMMARY = "Pregnant; needs provision that fits antenatal care, then a plan back to learning."
ON_TIME_SHARE = 0.85
BATCH_SIZE = 2_000


def create_placement_referrals(
    draw: records.Draw,
    *,
    staff: LaStaff,
    children: Sequence[Child],
    placements: Sequence[Placement],
) -> int:
    """Give every saved placement without a referral an approved referral, with its events.
    Returns how many referrals were made."""
    rng, tz = draw.rng, draw.tz
    by_id = {child.pk: child for child in children}
    wanted = [p for p in placements if p.referral_id is None and p.child_id in by_id]
    referrals: list[Referral] = []
    for placement in wanted:
        child = by_id[placement.child_id]
        route = _route(draw, child, placement)
        reason = REASONS[route]
        summary = SUMMARIES[route]
        if route == Route.HEALTH and child.sex == Sex.FEMALE and rng.random() < 0.1:
            reason, summary = PrimaryReason.PREGNANCY, PREGNANCY_SUMMARY
        first_day = None
        if route in (Route.PERMANENT_EXCLUSION, Route.SUSPENSION):
            school_days = rng.randint(2, 5) if rng.random() < ON_TIME_SHARE else rng.randint(6, 15)
            first_day = _weekdays_before(placement.start_date, school_days)
            created = dt.datetime.combine(first_day, dt.time(15, 0), tzinfo=tz)
        else:
            created = dt.datetime.combine(
                placement.start_date - dt.timedelta(days=rng.randint(14, 42)), dt.time(10, 0), tzinfo=tz
            )
        referrals.append(Referral(
            child_id=child.pk, route=route, first_day_of_exclusion=first_day,
            primary_reason=reason, needs_summary=summary, referrer=staff.officer(draw),
            commissioning_la_id=placement.commissioning_la_id or child.home_la_id,
            commissioning_school_id=placement.commissioning_school_id,
            family_views="Parents agree with the plan and want regular updates.",
            child_views="I want to learn somewhere calmer and go back when I'm ready.",
            consent_given=True, proposed_tier=placement.tier or 2,
            estimated_weekly_cost=placement.weekly_cost or Decimal(rng.randint(300, 1200)),
            status=ReferralStatus.APPROVED, created_at=created,
            updated_at=dt.datetime.combine(placement.start_date, dt.time(9, 0), tzinfo=tz),
        ))
    Referral.objects.bulk_create(referrals, batch_size=BATCH_SIZE)
    ReferralEvent.objects.bulk_create(
        [event for referral in referrals for event in _events(referral)], batch_size=BATCH_SIZE
    )
    for placement, referral in zip(wanted, referrals, strict=True):
        placement.referral_id = referral.pk
    Placement.objects.bulk_update(wanted, ["referral"], batch_size=BATCH_SIZE)
    return len(referrals)


def _route(draw: records.Draw, child: Child, placement: Placement) -> Route:
    if placement.commissioning_school_id is not None:
        weights = SCHOOL_ROUTES
    elif child.sen_status == SenStatus.EHCP:
        weights = EHCP_ROUTES
    else:
        weights = OTHER_ROUTES
    return draw.rng.choices(list(weights), weights=list(weights.values()))[0]


def _events(referral: Referral) -> list[ReferralEvent]:
    submitted = referral.created_at + dt.timedelta(hours=20)
    decided = max(submitted + dt.timedelta(hours=1), referral.updated_at - dt.timedelta(days=2))
    steps = [
        ("", ReferralStatus.DRAFT, referral.created_at, "Referral started"),
        (ReferralStatus.DRAFT, ReferralStatus.SUBMITTED, submitted, "Submitted to panel"),
        (ReferralStatus.SUBMITTED, ReferralStatus.ON_AGENDA, submitted, "Added to the panel agenda"),
        (ReferralStatus.ON_AGENDA, ReferralStatus.APPROVED, decided, "Approved by the AP panel"),
    ]
    return [
        ReferralEvent(referral=referral, from_status=before, to_status=after, by=referral.referrer,
                      at=at, reason=reason)
        for before, after, at, reason in steps
    ]


def _weekdays_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
