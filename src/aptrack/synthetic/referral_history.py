"""Synthetic referral history: the approved referral behind each generated placement.

A placement is made from a referral the panel approved (placements.services.plan), so every
synthetic placement gets one, dated a few weeks before its start: its route into AP and the
census's primary reason, which the LA dashboard's "routes into AP" and the AP census read.
Routes follow the child: most children with an EHCP are placed in a setting their plan names or
while they wait for a special school place (80.9% of LA-funded AP census placements had the
setting named in the EHCP in January 2024, domain.md §7); the rest come through exclusion,
health needs, emotionally based school avoidance, Fair Access, managed moves and youth justice.
A permanent exclusion's first day is set so that about 85% start by the sixth school day and
the rest later (the committee heard sixth-day provision was "still not at 100%").
Each referral was decided at a weekly AP panel meeting (a Thursday) before the placement
started, with its agenda item and recorded decision, so a referral "approved by the panel" shows
the meeting that approved it. Nothing is dated after the day the data is generated for: a
placement planned to start later was referred and decided already.
Synthetic only: every view and summary is invented.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from aptrack.children.models import Child, SenStatus, Sex
from aptrack.panels.models import AgendaItem, Attendance, Decision, Meeting, MeetingStatus, Panel
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
PREGNANCY_SUMMARY = (
    "Pregnant; needs provision that fits antenatal care, then a plan back to learning."
)
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
        # A placement planned to start after today was referred (and its exclusion happened)
        # by today.
        last = min(placement.start_date, draw.today)
        if route in (Route.PERMANENT_EXCLUSION, Route.SUSPENSION):
            school_days = rng.randint(2, 5) if rng.random() < ON_TIME_SHARE else rng.randint(6, 15)
            first_day = _weekdays_before(last, school_days)
            created = dt.datetime.combine(first_day, dt.time(15, 0), tzinfo=tz)
        else:
            created = dt.datetime.combine(
                last - dt.timedelta(days=rng.randint(14, 42)), dt.time(10, 0), tzinfo=tz
            )
        referrals.append(
            Referral(
                child_id=child.pk,
                route=route,
                first_day_of_exclusion=first_day,
                primary_reason=reason,
                needs_summary=summary,
                referrer=staff.officer(draw),
                commissioning_la_id=placement.commissioning_la_id or child.home_la_id,
                commissioning_school_id=placement.commissioning_school_id,
                family_views="Parents agree with the plan and want regular updates.",
                child_views="I want to learn somewhere calmer and go back when I'm ready.",
                consent_given=True,
                proposed_tier=placement.tier or 2,
                estimated_weekly_cost=placement.weekly_cost or Decimal(rng.randint(300, 1200)),
                status=ReferralStatus.APPROVED,
                created_at=created,
                updated_at=_decided_at(created, last, tz),
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=BATCH_SIZE)
    ReferralEvent.objects.bulk_create(
        [event for referral in referrals for event in _events(referral)], batch_size=BATCH_SIZE
    )
    _decide_at_panel(referrals, staff=staff, tz=tz)
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


def _decided_at(created: dt.datetime, last: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """11:00 at the AP panel: the last Thursday at least two days before `last` (the start, or
    today), or the day after the referral when that is later (an urgent panel)."""
    day = last - dt.timedelta(days=2)
    day -= dt.timedelta(days=(day.weekday() - 3) % 7)
    day = max(day, created.date() + dt.timedelta(days=1))
    return dt.datetime.combine(day, dt.time(11, 0), tzinfo=tz)


def _decide_at_panel(referrals: Sequence[Referral], *, staff: LaStaff, tz: dt.tzinfo) -> None:
    """Each referral on the agenda of its LA's AP panel meeting on its decision day, with the
    approving decision; the meetings are closed and five members sat."""
    if not referrals:
        return
    panels = {
        panel.local_authority_id: panel
        for panel in Panel.objects.filter(
            kind="AP", local_authority_id__in={r.commissioning_la_id for r in referrals}
        ).prefetch_related("members")
    }
    meetings: dict[tuple[int, dt.date], Meeting] = {
        (meeting.panel_id, meeting.date): meeting
        for meeting in Meeting.objects.filter(panel__in=panels.values())
    }
    positions: dict[int, int] = {}
    for meeting in meetings.values():
        positions[meeting.pk] = max(meeting.agenda.values_list("position", flat=True), default=0)
    new_meetings = []
    for referral in referrals:
        panel = panels.get(referral.commissioning_la_id)
        key = (panel.pk, referral.updated_at.date()) if panel else None
        if key and key not in meetings:
            meetings[key] = Meeting(
                panel=panel,
                date=key[1],
                status=MeetingStatus.CLOSED,
                location="County Hall, committee room 2",
            )
            new_meetings.append(meetings[key])
    Meeting.objects.bulk_create(new_meetings, batch_size=BATCH_SIZE)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, member=member, present=index < 5)
            for meeting in new_meetings
            for index, member in enumerate(meeting.panel.members.all())
        ],
        batch_size=BATCH_SIZE,
    )
    items = []
    for referral in referrals:
        panel = panels.get(referral.commissioning_la_id)
        if panel is None:
            continue
        meeting = meetings[(panel.pk, referral.updated_at.date())]
        positions[meeting.pk] = positions.get(meeting.pk, 0) + 1
        items.append(AgendaItem(meeting=meeting, referral=referral, position=positions[meeting.pk]))
    AgendaItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    Decision.objects.bulk_create(
        [
            Decision(
                agenda_item=item,
                outcome=ReferralStatus.APPROVED,
                reasons="Needs are best met by a time-limited placement with a planned return.",
                approved_tier=item.referral.proposed_tier,
                proposed_weekly_cost=item.referral.estimated_weekly_cost,
                value_for_money_note="Compared with the framework rate and the other providers able to take the child.",
                members_present=5,
                decided_by=staff.manager,
                decided_at=item.referral.updated_at,
            )
            for item in items
        ],
        batch_size=BATCH_SIZE,
    )


def _events(referral: Referral) -> list[ReferralEvent]:
    decided = referral.updated_at
    submitted = min(referral.created_at + dt.timedelta(hours=20), decided - dt.timedelta(hours=1))
    steps = [
        ("", ReferralStatus.DRAFT, referral.created_at, "Referral started"),
        (ReferralStatus.DRAFT, ReferralStatus.SUBMITTED, submitted, "Submitted to panel"),
        (
            ReferralStatus.SUBMITTED,
            ReferralStatus.ON_AGENDA,
            submitted,
            "Added to the panel agenda",
        ),
        (ReferralStatus.ON_AGENDA, ReferralStatus.APPROVED, decided, "Approved by the AP panel"),
    ]
    return [
        ReferralEvent(
            referral=referral,
            from_status=before,
            to_status=after,
            by=referral.referrer,
            at=at,
            reason=reason,
        )
        for before, after, at, reason in steps
    ]


def _weekdays_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
