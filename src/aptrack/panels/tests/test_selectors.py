import datetime as dt

import pytest

from aptrack.audit.models import Channel
from aptrack.panels import selectors, services
from aptrack.panels.models import MeetingStatus
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, quorate
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 11, 23)


@pytest.fixture
def agenda(world, dorset_meeting):
    pex = ReferralFactory(
        child=world.child_a,
        referrer=world.officer_a,
        status=ReferralStatus.SUBMITTED,
        route="PEX",
        primary_reason="PEX",
        first_day_of_exclusion=dt.date(2026, 11, 2),
        estimated_weekly_cost=480,
    )
    ebsa = ReferralFactory(
        child=world.child_a2,
        referrer=world.officer_a,
        status=ReferralStatus.SUBMITTED,
        route="EBSA",
        primary_reason="MEDICAL",
    )
    items = [
        services.add_to_agenda(
            actor=world.officer_a, at=AT, channel=Channel.WEB, meeting=dorset_meeting, referral=r
        )
        for r in (pex, ebsa)
    ]
    return items


def test_the_pack_has_each_referral_with_its_child_views_tier_and_cost(
    world, dorset_meeting, agenda
):
    pack = selectors.get_meeting_pack(meeting=dorset_meeting, on=ON)
    assert [entry.child for entry in pack.items] == [world.child_a, world.child_a2]
    first = pack.items[0]
    assert first.referral.family_views and first.referral.child_views
    assert first.referral.estimated_weekly_cost == 480
    assert (first.sixth_day, first.sixth_day_estimated) == (dt.date(2026, 11, 9), False)
    assert pack.items[1].sixth_day is None
    assert first.year_group == world.child_a.year_group(dorset_meeting.date)
    assert [m.name for m in pack.members] == ["Pat Chair"]
    assert not pack.quorum.met


def test_the_pack_estimates_the_sixth_day_in_weekdays_where_term_dates_run_out(
    world, dorset_meeting
):
    """The pack shows the duty's one due date (`referrals.selectors.sixth_day_due`), never
    nothing: beyond the LA's term dates it is counted in weekdays and marked estimated."""
    late = ReferralFactory(
        child=world.child_a,
        referrer=world.officer_a,
        status=ReferralStatus.SUBMITTED,
        route="PEX",
        primary_reason="PEX",
        first_day_of_exclusion=dt.date(2029, 1, 8),
    )
    services.add_to_agenda(
        actor=world.officer_a, at=AT, channel=Channel.WEB, meeting=dorset_meeting, referral=late
    )
    [entry] = selectors.get_meeting_pack(meeting=dorset_meeting, on=ON).items
    assert (entry.sixth_day, entry.sixth_day_estimated) == (dt.date(2029, 1, 15), True)


def test_the_minutes_have_attendance_decisions_and_actions(world, dorset_meeting, agenda):
    members = quorate(dorset_meeting)
    services.record_decision(
        actor=world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=agenda[0],
        data={
            "outcome": "APPROVED",
            "reasons": "Full-time place needed from the sixth day",
            "approved_tier": 2,
            "proposed_weekly_cost": 480,
            "value_for_money_note": "Cheapest registered option",
        },
    )
    services.carry_forward_item(
        actor=world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=agenda[1],
        reason="Health report awaited",
    )
    services.add_action(
        actor=world.panel_member,
        at=AT,
        meeting=dorset_meeting,
        data={
            "description": "Confirm start date",
            "owner": "AP officer",
            "due_date": dt.date(2026, 12, 4),
        },
    )
    minutes = selectors.get_minutes(meeting=dorset_meeting)
    assert {m.pk for m in minutes.present} == {m.pk for m in members}
    assert [m.name for m in minutes.absent] == ["Pat Chair"]
    assert minutes.quorum.met
    assert minutes.agencies_present == ["Health", "Local authority", "Social care"]
    approved, carried = minutes.items
    first, last = world.child_a.legal_first_name[0], world.child_a.legal_last_name[0]
    assert approved.child_initials == f"{first}.{last}.".upper()
    assert (approved.outcome, approved.decision.reasons) == (
        "Approved",
        "Full-time place needed from the sixth day",
    )
    assert (carried.outcome, carried.carried_forward_reason) == (
        "Carried forward",
        "Health report awaited",
    )
    assert [a.owner for a in minutes.actions] == ["AP officer"]


def test_upcoming_meetings_are_those_of_panels_i_manage_or_sit_on(world, dorset_meeting):
    closed = MeetingFactory(
        panel=dorset_meeting.panel, date=dt.date(2026, 12, 10), status=MeetingStatus.CLOSED
    )
    past = MeetingFactory(panel=dorset_meeting.panel, date=dt.date(2026, 11, 1))
    hackney = MeetingFactory(panel=PanelFactory(local_authority=world.child_b.home_la))
    for user in (world.officer_a, world.panel_member):
        assert list(selectors.list_upcoming_meetings(user=user, on=ON)) == [dorset_meeting]
        assert list(selectors.list_meetings_to_close(user=user, on=ON)) == [past]
    assert list(selectors.list_upcoming_meetings(user=world.officer_b, on=ON)) == [hackney]
    assert list(selectors.list_upcoming_meetings(user=world.provider_x, on=ON)) == []
    assert closed not in selectors.list_upcoming_meetings(user=world.officer_a, on=ON)


def test_referrals_ready_for_the_agenda_are_the_panel_la_s_submitted_and_deferred(
    world, dorset_meeting
):
    submitted = ReferralFactory(
        child=world.child_a, referrer=world.officer_a, status=ReferralStatus.SUBMITTED
    )
    deferred = ReferralFactory(
        child=world.child_a2, referrer=world.officer_a, status=ReferralStatus.DEFERRED
    )
    ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=ReferralStatus.DRAFT)
    ReferralFactory(child=world.child_b, referrer=world.officer_b, status=ReferralStatus.SUBMITTED)
    assert set(selectors.list_referrals_ready_for_agenda(meeting=dorset_meeting)) == {
        submitted,
        deferred,
    }
