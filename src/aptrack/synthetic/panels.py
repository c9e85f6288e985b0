"""Synthetic referrals and panels: each LA's AP panel and Fair Access Panel with members from
several agencies, a closed meeting with decisions, an upcoming meeting with referrals on its
agenda, referrals in draft and submitted, and permanent exclusions waiting for provision (the
sixth-day list). Synthetic only: every name and view is invented."""

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from aptrack.calendars import deadlines
from aptrack.calendars.engine import OutsideKnownTerms, SchoolCalendar
from aptrack.calendars.selectors import get_calendar
from aptrack.children.models import Child
from aptrack.organisations.models import LocalAuthority
from aptrack.panels.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Panel,
    PanelAction,
    PanelMember,
)
from aptrack.placements.models import Placement
from aptrack.referrals.models import PrimaryReason, Referral, ReferralEvent, Route
from aptrack.referrals.states import ReferralStatus
from aptrack.synthetic import records
from aptrack.synthetic.staff import LaStaff

MEMBERS = [
    ("LA", True),
    ("SCHOOL", False),
    ("HEALTH", False),
    ("SOCIAL_CARE", False),
    ("VIRTUAL_SCHOOL", False),
    ("PARENT_CARER_FORUM", False),
    ("YOUTH_JUSTICE", False),
]
FAIR_ACCESS_MEMBERS = [("LA", True), ("SCHOOL", False), ("SCHOOL", False), ("SOCIAL_CARE", False)]
ROUTES = [
    (Route.EHCP_AWAITING, PrimaryReason.AWAITING_SPECIAL_PLACE),
    (Route.HEALTH, PrimaryReason.MEDICAL),
    (Route.EBSA, PrimaryReason.MEDICAL),
    (Route.FAIR_ACCESS, PrimaryReason.NEW_ARRIVAL),
    (Route.EHCP_NAMED, PrimaryReason.EHCP_NAMED),
    (Route.YOUTH_JUSTICE, PrimaryReason.BEHAVIOUR),
]
NEEDS = [
    "Anxiety-based non-attendance since Year 7; needs a small group setting and a phased timetable.",
    "Awaiting a specialist place named in the EHCP; currently without a suitable full-time offer.",
    "Long-term medical condition; hospital tuition has ended and a return needs a part-time start.",
    "New to the area mid-year; no school place offered within 20 school days.",
    "Repeated suspensions for persistent disruption; speech and language needs not yet assessed.",
]


def _weekdays_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _created(at: dt.datetime, days_ago: int, status: str, past_date: dt.date) -> dt.datetime:
    """When a referral was started: a decided one before the meeting that decided it."""
    created = at - dt.timedelta(days=days_ago)
    if status in (ReferralStatus.APPROVED, ReferralStatus.DECLINED):
        created = min(
            created,
            dt.datetime.combine(past_date, dt.time(10, 0), tzinfo=at.tzinfo) - dt.timedelta(days=7),
        )
    return created


def create_referrals_and_panels(
    draw: records.Draw,
    *,
    la: LocalAuthority,
    staff: LaStaff,
    children: list[Child],
    placements: list[Placement],
) -> int:
    """Returns how many referrals were made."""
    rng, today = draw.rng, draw.today
    at = dt.datetime.combine(today, dt.time(7, 0), tzinfo=draw.tz)
    ap = Panel.objects.create(
        local_authority=la, name="AP panel", kind="AP", quorum=4, quorum_agencies=3
    )
    fap = Panel.objects.create(
        local_authority=la, name="Fair Access Panel", kind="FAP", quorum=3, quorum_agencies=2
    )
    # The Fair Access Panel's own members (headteachers and the LA), enough for its quorum.
    PanelMember.objects.bulk_create(
        [
            PanelMember(
                panel=fap,
                name=draw.fake.name(),
                agency=agency,
                is_chair=chair,
                joined_date=today - dt.timedelta(days=365),
            )
            for agency, chair in FAIR_ACCESS_MEMBERS
        ]
    )
    members = PanelMember.objects.bulk_create(
        [
            PanelMember(
                panel=ap,
                name=draw.fake.name(),
                agency=agency,
                is_chair=chair,
                joined_date=today - dt.timedelta(days=365),
            )
            for agency, chair in MEMBERS
        ]
    )
    placed = {p.child_id for p in placements if p.end_date is None}
    without_provision = [
        c for c in children if c.pk not in placed and c.is_compulsory_school_age(today)
    ]
    candidates = [c for c in children if c.pk in placed and c.is_compulsory_school_age(today)]
    rng.shuffle(candidates)
    officer = staff.officers[0]
    past_date = _weekdays_before(today, 12)  # the last panel meeting, which decided some of them

    referrals: list[Referral] = []
    statuses = (
        [ReferralStatus.APPROVED] * 3
        + [ReferralStatus.DECLINED]
        + [ReferralStatus.ON_AGENDA] * 3
        + [ReferralStatus.SUBMITTED] * 3
        + [ReferralStatus.DRAFT] * 2
    )
    for child, status in zip(candidates, statuses, strict=False):
        route, reason = rng.choice(ROUTES)
        referrals.append(
            Referral(
                child=child,
                route=route,
                primary_reason=reason,
                needs_summary=rng.choice(NEEDS),
                referrer=rng.choice(staff.officers),
                commissioning_la=la,
                family_views="Parents want a small setting close to home and a clear plan back to school.",
                child_views="I want to be somewhere quieter where people listen.",
                consent_given=status != ReferralStatus.DRAFT,
                proposed_tier=rng.choice([2, 2, 2, 3]),
                status=status,
                estimated_weekly_cost=Decimal(rng.randint(300, 1200)),
                created_at=_created(at, rng.randint(10, 40), status, past_date),
                updated_at=at,
            )
        )
    # Permanent exclusions waiting for provision: the sixth-day duty falls due now.
    for offset, child in zip((3, 5, 8), without_provision, strict=False):
        first_day = _weekdays_before(today, offset)
        referrals.append(
            Referral(
                child=child,
                route=Route.PERMANENT_EXCLUSION,
                first_day_of_exclusion=first_day,
                primary_reason=PrimaryReason.PERMANENT_EXCLUSION,
                needs_summary="Permanently excluded for persistent disruptive behaviour; needs full-time provision from the sixth day.",
                referrer=officer,
                commissioning_la=la,
                family_views="Parents are worried about the gap in education.",
                child_views="Not yet obtained.",
                consent_given=True,
                proposed_tier=2,
                status=ReferralStatus.SUBMITTED,
                created_at=dt.datetime.combine(first_day, dt.time(15, 0), tzinfo=draw.tz),
                updated_at=at,
            )
        )
    Referral.objects.bulk_create(referrals)
    ReferralEvent.objects.bulk_create(
        [
            ReferralEvent(
                referral=r,
                from_status="",
                to_status=ReferralStatus.DRAFT,
                by=r.referrer,
                at=r.created_at,
                reason="Referral started",
            )
            for r in referrals
        ]
        + [
            ReferralEvent(
                referral=r,
                from_status=ReferralStatus.DRAFT,
                to_status=ReferralStatus.SUBMITTED,
                by=r.referrer,
                at=r.created_at + dt.timedelta(days=1),
                reason="Submitted to panel",
            )
            for r in referrals
            if r.status != ReferralStatus.DRAFT
        ]
    )

    past = Meeting.objects.create(
        panel=ap,
        date=past_date,
        status=MeetingStatus.CLOSED,
        location="County Hall, committee room 2",
    )
    upcoming = Meeting.objects.create(
        panel=ap,
        date=today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7),
        location="County Hall, committee room 2",
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=past, member=m, present=i < 5) for i, m in enumerate(members)]
    )
    decided = [
        r for r in referrals if r.status in (ReferralStatus.APPROVED, ReferralStatus.DECLINED)
    ]
    on_agenda = [r for r in referrals if r.status == ReferralStatus.ON_AGENDA]
    items = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=past, referral=r, position=i + 1) for i, r in enumerate(decided)]
        + [
            AgendaItem(meeting=upcoming, referral=r, position=i + 1)
            for i, r in enumerate(on_agenda)
        ]
    )
    decided_at = dt.datetime.combine(past.date, dt.time(11, 0), tzinfo=draw.tz)
    Decision.objects.bulk_create(
        [
            Decision(
                agenda_item=item,
                outcome=item.referral.status,
                reasons=(
                    "Needs are best met by a time-limited placement with a planned return."
                    if item.referral.status == ReferralStatus.APPROVED
                    else "Needs can be met in school with outreach support; referral declined."
                ),
                approved_tier=item.referral.proposed_tier
                if item.referral.status == ReferralStatus.APPROVED
                else None,
                proposed_weekly_cost=item.referral.estimated_weekly_cost
                if item.referral.status == ReferralStatus.APPROVED
                else None,
                value_for_money_note=(
                    "Local PRU place at the framework rate; an independent specialist place was "
                    "considered at about twice the cost."
                    if item.referral.status == ReferralStatus.APPROVED
                    else ""
                ),
                members_present=5,
                decided_by=staff.manager,
                decided_at=decided_at,
            )
            for item in items
            if item.meeting_id == past.pk
        ]
    )
    # The history says what the agenda and the decisions say.
    agenda_at = {
        r.pk: dt.datetime.combine(past.date, dt.time(9, 0), tzinfo=draw.tz) for r in decided
    }
    agenda_at.update({r.pk: min(at, r.created_at + dt.timedelta(days=2)) for r in on_agenda})
    ReferralEvent.objects.bulk_create(
        [
            ReferralEvent(
                referral=r,
                from_status=ReferralStatus.SUBMITTED,
                to_status=ReferralStatus.ON_AGENDA,
                by=r.referrer,
                at=agenda_at[r.pk],
                reason="Added to the panel agenda",
            )
            for r in [*decided, *on_agenda]
        ]
        + [
            ReferralEvent(
                referral=r,
                from_status=ReferralStatus.ON_AGENDA,
                to_status=r.status,
                by=staff.manager,
                at=decided_at,
                reason=f"{r.get_status_display()} by the AP panel",
            )
            for r in decided
        ]
    )
    # Each referral last changed when its history last moved, not when the demo was generated.
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(
        updated_at=Subquery(
            ReferralEvent.objects.filter(referral=OuterRef("pk"))
            .order_by("-at", "-pk")
            .values("at")[:1]
        )
    )
    PanelAction.objects.bulk_create(
        [
            PanelAction(
                meeting=past,
                description="Confirm transport for the approved placements",
                owner="AP officer",
                due_date=past.date + dt.timedelta(days=7),
                done_date=past.date + dt.timedelta(days=5),
            ),
            PanelAction(
                meeting=past,
                description="Ask the educational psychology service for an assessment",
                owner="SEN team",
                due_date=past.date + dt.timedelta(days=21),
            ),
        ]
    )
    fair_access = _fair_access_referrals(
        draw, la=la, staff=staff, panel=fap, children=without_provision[3:5], at=at
    )
    return len(referrals) + fair_access


def _decided_for_deadline(calendar: SchoolCalendar, today: dt.date, ahead: int) -> dt.date | None:
    """The latest decision day whose 20-school-day Fair Access deadline falls `ahead` school days
    from `today` or before (behind it when negative), or None beyond the recorded term dates."""
    try:
        if ahead > 0:
            target = calendar.school_days_after(today, ahead)
        else:
            target = today
            for _ in range(-ahead):
                target -= dt.timedelta(days=1)
                while not calendar.is_school_day(target):
                    target -= dt.timedelta(days=1)
        day = target
        while deadlines.fair_access_deadline(calendar, day) > target or day.weekday() >= 5:
            day -= dt.timedelta(days=1)
    except OutsideKnownTerms:
        return None
    return day


def _fair_access_referrals(
    draw: records.Draw,
    *,
    la: LocalAuthority,
    staff: LaStaff,
    panel: Panel,
    children: list[Child],
    at: dt.datetime,
) -> int:
    """Children new to the area whom the Fair Access Panel approved, with no place started: one
    past the 20 school days to place, one due within the week (caseworker home, dashboard)."""
    calendar = get_calendar(la_id=la.pk)
    members = list(panel.members.order_by("pk"))
    made = 0
    # Deadlines 2 school days ago (missed) and 3 school days ahead (due this week).
    for ahead, child in zip((-2, 3), children, strict=False):
        decided_on = _decided_for_deadline(calendar, draw.today, ahead)
        if decided_on is None:
            continue
        offset = (draw.today - decided_on).days
        referral = Referral.objects.create(
            child=child,
            route=Route.FAIR_ACCESS,
            primary_reason=PrimaryReason.NEW_ARRIVAL,
            needs_summary="New to the area mid-year with no school place; the Fair Access Panel allocates one.",
            referrer=staff.officers[0],
            commissioning_la=la,
            family_views="Parents want a school near their new home.",
            child_views="I want to start school soon.",
            consent_given=True,
            proposed_tier=3,
            status=ReferralStatus.APPROVED,
            estimated_weekly_cost=Decimal(400),
            created_at=at - dt.timedelta(days=offset + 10),
            updated_at=at,
        )
        meeting = Meeting.objects.create(
            panel=panel,
            date=decided_on,
            status=MeetingStatus.CLOSED,
            location="County Hall, committee room 1",
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, member=member, present=i < 3)
                for i, member in enumerate(members)
            ]
        )
        item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
        decided_at = dt.datetime.combine(decided_on, dt.time(11, 0), tzinfo=draw.tz)
        Decision.objects.create(
            agenda_item=item,
            outcome=ReferralStatus.APPROVED,
            reasons="A place at the nearest school with room: admission within 20 school days.",
            approved_tier=3,
            proposed_weekly_cost=Decimal(400),
            value_for_money_note="A mainstream place costs the high needs block nothing extra.",
            members_present=3,
            decided_by=staff.manager,
            decided_at=decided_at,
        )
        # Its history says what the agenda and the decision say, and it last changed then.
        started, by = referral.created_at, referral.referrer
        ReferralEvent.objects.bulk_create(
            [
                ReferralEvent(
                    referral=referral,
                    from_status="",
                    to_status=ReferralStatus.DRAFT,
                    by=by,
                    at=started,
                    reason="Referral started",
                ),
                ReferralEvent(
                    referral=referral,
                    from_status=ReferralStatus.DRAFT,
                    to_status=ReferralStatus.SUBMITTED,
                    by=by,
                    at=started + dt.timedelta(days=1),
                    reason="Submitted to the Fair Access Panel",
                ),
                ReferralEvent(
                    referral=referral,
                    from_status=ReferralStatus.SUBMITTED,
                    to_status=ReferralStatus.ON_AGENDA,
                    by=by,
                    at=dt.datetime.combine(decided_on, dt.time(9, 0), tzinfo=draw.tz),
                    reason="Added to the panel agenda",
                ),
                ReferralEvent(
                    referral=referral,
                    from_status=ReferralStatus.ON_AGENDA,
                    to_status=ReferralStatus.APPROVED,
                    by=staff.manager,
                    at=decided_at,
                    reason="Approved by the Fair Access Panel",
                ),
            ]
        )
        Referral.objects.filter(pk=referral.pk).update(updated_at=decided_at)
        made += 1
    return made
