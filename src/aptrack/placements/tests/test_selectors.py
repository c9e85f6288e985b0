import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aptrack.organisations.tests.factories import la
from aptrack.panels.models import AgendaItem, Decision, Meeting, Panel
from aptrack.placements import selectors
from aptrack.placements.permissions import scope_placements
from aptrack.placements.services import endings as placement_endings
from aptrack.placements.services import follow_ups as placement_follow_ups
from aptrack.placements.services import reviews as placement_reviews
from aptrack.placements.tests.factories import START, OutcomeFactory, PlanFactory, ReferralFactory
from aptrack.referrals.models import ReferralEvent

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)


def _plan(world, **kwargs):
    kwargs.setdefault("child", world.child_a2)
    return PlanFactory(provider=world.provider_x.organisation, **kwargs)


def _dorset(world):
    return world.child_a.home_la_id


# --- scope -----------------------------------------------------------------------------------

SCOPE = {
    "officer_a": {"child_a"},
    "manager_a": {"child_a"},
    "officer_b": {"child_b"},
    "provider_x": {"child_a"},
    "provider_z": {"child_b"},
    "school_y": {"child_a"},
    "social_worker": {"child_a"},
    "virtual_school_head_a": set(),
    "qa_lead_a": set(),
    "panel_member": set(),
    "analyst": set(),
    "finance_a": set(),
}


def test_each_persona_sees_the_placements_of_children_in_their_scope(world):
    for name, persona in world.personas().items():
        seen = {p.child_id for p in scope_placements(persona)}
        assert seen == {getattr(world, c).pk for c in SCOPE[name]}, name


def test_provider_staff_see_only_their_own_providers_placements_of_a_child(world):
    other = PlanFactory(child=world.child_a, provider=world.provider_z.organisation)
    assert other not in scope_placements(world.provider_x)
    assert other in scope_placements(world.officer_a)


# --- overdue reviews -------------------------------------------------------------------------


def test_review_is_overdue_a_cadence_after_the_start_or_the_last_review(world):
    placement = _plan(world)  # tier 2, started 7 September 2026
    due = START + dt.timedelta(days=42)
    assert placement not in selectors.list_reviews_overdue(la_id=_dorset(world), on=due)
    overdue = selectors.list_reviews_overdue(la_id=_dorset(world), on=due + dt.timedelta(days=1))
    assert placement in overdue
    assert next(p for p in overdue if p.pk == placement.pk).review_due == due
    outcome = OutcomeFactory(placement=placement)
    placement_reviews.record_review(
        actor=world.officer_a,
        at=dt.datetime(2026, 10, 16, tzinfo=dt.UTC),
        placement=placement,
        data={
            "held_date": dt.date(2026, 10, 15),
            "scores": {outcome.pk: 3},
            "decision": "CONTINUE",
            "child_views": "Likes it",
            "family_views": "Pleased",
        },
    )
    assert placement not in selectors.list_reviews_overdue(
        la_id=_dorset(world), on=due + dt.timedelta(days=1)
    )
    assert placement in selectors.list_reviews_overdue(
        la_id=_dorset(world), on=dt.date(2026, 11, 27)
    )


def test_no_review_is_shown_due_after_the_planned_end_unless_already_overdue(world):
    cadence_due = START + dt.timedelta(days=42)  # tier 2, six weeks
    before = _plan(world, planned_end_date=cadence_due + dt.timedelta(days=1))
    assert selectors.get_plan(placement=before, on=START).review_due == cadence_due
    ends_first = _plan(world, planned_end_date=cadence_due - dt.timedelta(days=1))
    assert selectors.get_plan(placement=ends_first, on=START).review_due is None
    assert selectors.get_plan(placement=ends_first, on=cadence_due).review_due is None
    # Still running past both: overdue, as list_reviews_overdue says, so shown due.
    late = cadence_due + dt.timedelta(days=1)
    assert selectors.get_plan(placement=ends_first, on=late).review_due == cadence_due
    assert ends_first in selectors.list_reviews_overdue(la_id=_dorset(world), on=late)


def test_the_plan_page_says_no_review_falls_due_before_the_planned_end(client, world):
    placement = _plan(world, planned_end_date=START + dt.timedelta(days=30))
    client.force_login(world.officer_a)
    with time_machine.travel(dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert "None before the planned end on 7 October 2026" in page


def test_overdue_cadence_is_configurable_by_tier(world, settings):
    settings.APTRACK_REVIEW_CADENCE_DAYS = {1: 14}
    tier_1 = _plan(world, tier=1)
    tier_2 = _plan(world, tier=2)
    overdue = selectors.list_reviews_overdue(la_id=_dorset(world), on=START + dt.timedelta(days=20))
    assert tier_1 in overdue and tier_2 not in overdue


def test_only_active_placements_of_the_la_are_overdue(world):
    _plan(world, status="PLANNED")
    _plan(world, status="ENDED", end_date=START + dt.timedelta(days=1))
    hackney = PlanFactory(child=world.child_b, provider=world.provider_z.organisation)
    on = START + dt.timedelta(days=100)
    dorset_overdue = selectors.list_reviews_overdue(la_id=_dorset(world), on=on)
    assert {p.child_id for p in dorset_overdue} == {
        world.child_a.pk
    }  # the world's own active placement
    assert hackney not in dorset_overdue


# --- drift, ending soon, open-ended, follow-ups ----------------------------------------------


def test_drift_lists_any_tier_past_its_end_or_maximum_and_unjustified_open_ended(world):
    on = dt.date(2026, 12, 1)
    past_end = _plan(
        world, planned_end_date=dt.date(2026, 11, 20), maximum_end_date=dt.date(2026, 12, 10)
    )
    past_max = _plan(
        world, planned_end_date=dt.date(2026, 12, 20), maximum_end_date=dt.date(2026, 11, 30)
    )
    on_track = _plan(
        world, planned_end_date=dt.date(2026, 12, 20), maximum_end_date=dt.date(2026, 12, 20)
    )
    tier_1_late = _plan(world, tier=1, planned_end_date=dt.date(2026, 11, 1))
    open_ended = _plan(world, tier=3, planned_end_date=None)
    justified = _plan(
        world,
        tier=3,
        planned_end_date=None,
        open_ended_justification="Awaiting EHCP",
        open_ended_approved_by=world.manager_a,
    )
    ended = _plan(
        world, status="ENDED", planned_end_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 1)
    )
    rows = {row.placement.pk: row for row in selectors.list_drift(la_id=_dorset(world), on=on)}
    assert rows[past_end.pk].reasons == ["Past its planned end"]
    assert rows[past_max.pk].reasons == ["Past its maximum length"]
    assert rows[tier_1_late.pk].reasons == ["Past its planned end"]
    assert rows[open_ended.pk].reasons == ["Open-ended without a justification"]
    assert on_track.pk not in rows and justified.pk not in rows and ended.pk not in rows


def test_ending_soon_within_twenty_days(world):
    on = dt.date(2026, 11, 2)
    soon = _plan(world, planned_end_date=dt.date(2026, 11, 20))
    later = _plan(world, planned_end_date=dt.date(2026, 11, 30))
    _plan(world, status="PLANNED", planned_end_date=dt.date(2026, 11, 10))
    assert list(selectors.list_ending_soon(la_id=_dorset(world), on=on)) == [soon]
    assert later in selectors.list_ending_soon(la_id=_dorset(world), on=on, days=30)


def test_open_ended_list_names_the_approving_manager(world):
    placement = _plan(
        world,
        tier=3,
        planned_end_date=None,
        open_ended_approved_by=world.manager_a,
        open_ended_justification="Awaiting EHCP",
    )
    rows = list(selectors.list_open_ended(la_id=_dorset(world)))
    assert placement in rows
    assert next(p for p in rows if p.pk == placement.pk).open_ended_approved_by == world.manager_a


def test_follow_ups_fall_due_six_and_twelve_weeks_after_the_end(world):
    placement = _plan(world)
    end = dt.date(2026, 10, 9)
    placement_endings.end_placement(
        actor=world.officer_a,
        at=dt.datetime(2026, 10, 9, 15, tzinfo=dt.UTC),
        placement=placement,
        end_date=end,
        reason="COMPLETED",
        destination="HOME_SCHOOL",
        transition_plan="Phased",
    )
    la_id = _dorset(world)
    assert (
        list(selectors.list_follow_ups_due(la_id=la_id, on=end + dt.timedelta(weeks=6, days=-1)))
        == []
    )
    assert [
        f.weeks_after
        for f in selectors.list_follow_ups_due(la_id=la_id, on=end + dt.timedelta(weeks=6))
    ] == [6]
    assert [
        f.weeks_after
        for f in selectors.list_follow_ups_due(la_id=la_id, on=end + dt.timedelta(weeks=12))
    ] == [6, 12]


def test_list_placements_flags_drift_and_overdue(world):
    placement = _plan(world, planned_end_date=dt.date(2026, 9, 30))
    rows = {
        p.pk: p
        for p in selectors.list_placements(
            user=world.officer_a, filters=selectors.PlacementFilters(), on=dt.date(2026, 10, 20)
        )
    }
    assert (rows[placement.pk].is_drift, rows[placement.pk].is_overdue) == (True, True)
    only_overdue = selectors.list_placements(
        user=world.officer_a,
        filters=selectors.PlacementFilters(overdue=True),
        on=dt.date(2026, 10, 1),
    )
    assert list(only_overdue) == []


def test_weekly_hours_on_the_plan_add_up_concurrent_placements(world):
    first = _plan(world, hours_per_week=Decimal(15), home_school_hours_per_week=Decimal(5))
    _plan(world, hours_per_week=Decimal(10))
    plan = selectors.get_plan(placement=first, on=START)
    assert plan.weekly_hours == Decimal(30)
    assert plan.part_time is False


# --- timeline --------------------------------------------------------------------------------


def test_timeline_holds_referrals_decisions_placements_reviews_and_follow_ups_newest_first(world):
    referral = ReferralFactory(
        child=world.child_a2,
        referrer=world.officer_a,
        created_at=dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC),
    )
    ReferralEvent.objects.create(
        referral=referral,
        from_status="ON_AGENDA",
        to_status="APPROVED",
        by=world.manager_a,
        at=dt.datetime(2026, 7, 15, 16, tzinfo=dt.UTC),
        reason="Panel agreed",
    )
    panel = Panel.objects.create(local_authority=la("838"), name="Dorset AP panel", kind="AP")
    meeting = Meeting.objects.create(panel=panel, date=dt.date(2026, 7, 15))
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    Decision.objects.create(
        agenda_item=item,
        outcome="APPROVED",
        reasons="Needs met by tier 2",
        approved_tier=2,
        proposed_weekly_cost=Decimal(500),
        value_for_money_note="Cheapest suitable",
        members_present=4,
        decided_by=world.manager_a,
        decided_at=dt.datetime(2026, 7, 15, 15, tzinfo=dt.UTC),
    )
    placement = _plan(world, referral=referral)
    outcome = OutcomeFactory(placement=placement, description="Attendance")
    placement_reviews.record_review(
        actor=world.officer_a,
        at=dt.datetime(2026, 10, 13, tzinfo=dt.UTC),
        placement=placement,
        data={
            "held_date": dt.date(2026, 10, 12),
            "scores": {outcome.pk: 4},
            "decision": "END",
            "child_views": "Ready",
            "family_views": "Agree",
        },
    )
    placement_endings.end_placement(
        actor=world.officer_a,
        at=dt.datetime(2026, 10, 14, tzinfo=dt.UTC),
        placement=placement,
        end_date=dt.date(2026, 10, 14),
        reason="COMPLETED",
        destination="HOME_SCHOOL",
        transition_plan="Phased",
    )
    placement_follow_ups.record_follow_up(
        actor=world.officer_a,
        at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        follow_up=placement.follow_ups.get(weeks_after=6),
        data={
            "done_date": dt.date(2026, 11, 25),
            "still_attending": True,
            "destination_sustained": True,
        },
    )
    entries = selectors.child_timeline(user=world.officer_a, child=world.child_a2)
    assert [e.kind for e in entries] == [
        "follow_up",
        "placement",
        "review",
        "referral",
        "decision",
        "referral",
    ]
    assert entries[1].title == "Placement ended: Provider X"
    assert "Attendance: 4 of 5" in entries[2].detail
    assert entries[3].title == "Referral approved"
    assert entries[4].title == "Dorset AP panel: approved"
    assert entries[5].title.startswith("Referral made")


# --- sixth day and the caseworker's home -----------------------------------------------------

FIRST_DAY = dt.date(2026, 10, 5)  # a Monday: the sixth school day is Monday 12 October


def _pex(world, child=None):
    return ReferralFactory(
        child=child or world.child_a2,
        referrer=world.officer_a,
        route="PEX",
        primary_reason="PEX",
        first_day_of_exclusion=FIRST_DAY,
        status="SUBMITTED",
    )


def test_sixth_day_deadline_is_listed_until_a_placement_starts(world):
    referral = _pex(world)
    rows = selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 7))
    assert [(r.referral, r.due_date, r.missed) for r in rows] == [
        (referral, dt.date(2026, 10, 12), False)
    ]
    rows = selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 12))
    assert rows[0].missed is True  # owed from the sixth day itself
    rows = selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 14))
    assert rows[0].missed is True
    _plan(world, start_date=dt.date(2026, 10, 13), planned_end_date=dt.date(2026, 12, 1))
    assert selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 14)) == []


def test_sixth_day_far_ahead_is_not_listed_yet(world):
    _pex(world)
    assert selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 9, 1)) == []


def test_placement_running_since_before_the_exclusion_meets_the_sixth_day(world):
    _plan(world, start_date=dt.date(2026, 9, 7))
    _pex(world)
    assert selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 14)) == []


def test_placement_that_ended_before_the_exclusion_does_not_meet_the_sixth_day(world):
    _plan(world, start_date=dt.date(2026, 9, 7), status="ENDED", end_date=dt.date(2026, 10, 2))
    _pex(world)
    assert (
        len(selectors.list_sixth_day_deadlines(la_id=_dorset(world), on=dt.date(2026, 10, 14))) == 1
    )


def test_caseworker_home_gathers_the_days_work(world):
    mine = ReferralFactory(child=world.child_a2, referrer=world.officer_a, status="SUBMITTED")
    ReferralFactory(child=world.child_a2, referrer=world.officer_a, status="DECLINED")
    theirs = ReferralFactory(child=world.child_a2, referrer=world.manager_a, status="SUBMITTED")
    panel = Panel.objects.create(local_authority=la("838"), name="Dorset AP panel", kind="AP")
    upcoming = Meeting.objects.create(panel=panel, date=dt.date(2026, 10, 22))
    Meeting.objects.create(panel=panel, date=dt.date(2026, 9, 1))
    ending = _plan(world, child=world.child_a, planned_end_date=dt.date(2026, 10, 30))
    pex = _pex(world)  # child_a2 has no placement: the sixth day was missed on 12 October
    home = selectors.caseworker_home(user=world.officer_a, on=dt.date(2026, 10, 21))
    assert home.my_referrals == [mine, pex]
    assert theirs not in home.my_referrals
    assert home.upcoming_meetings == [upcoming]
    assert ending in home.ending_soon
    assert ending in home.reviews_overdue  # started 7 September, never reviewed
    assert [row.referral.route for row in home.sixth_day] == ["PEX"]
