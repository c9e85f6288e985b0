import datetime as dt

import pytest

from aptrack.audit.models import AuditEvent, Channel
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import la
from aptrack.panels import permissions, services
from aptrack.panels.models import (
    Agency,
    AgendaItem,
    Attendance,
    Decision,
    MeetingStatus,
    PanelMember,
)
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory, quorate
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals import services as referral_services
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
S = ReferralStatus
APPROVAL = {
    "outcome": "APPROVED",
    "reasons": "A small setting meets his needs",
    "approved_tier": 2,
    "proposed_weekly_cost": 450,
    "value_for_money_note": "£450 a week against £1,100 for the independent school",
}


def _submitted(world, child=None):
    return ReferralFactory(
        child=child or world.child_a, referrer=world.officer_a, status=S.SUBMITTED
    )


def _add(world, meeting, referral, actor=None):
    return services.add_to_agenda(
        actor=actor or world.officer_a,
        at=AT,
        channel=Channel.WEB,
        meeting=meeting,
        referral=referral,
    )


def _decide(world, item, actor=None, **data):
    return services.record_decision(
        actor=actor or world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=item,
        data={**APPROVAL, **data},
    )


def _present(meeting, *agencies):
    members = [PanelMemberFactory(panel=meeting.panel, agency=agency) for agency in agencies]
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member, present=True)
    return members


# --- the agenda --------------------------------------------------------------------------------


def test_agenda_items_are_numbered_in_order_and_the_referral_moves(world, dorset_meeting):
    first = _add(world, dorset_meeting, _submitted(world))
    second = _add(world, dorset_meeting, _submitted(world, world.child_a2))
    assert (first.position, second.position) == (1, 2)
    first.referral.refresh_from_db()
    assert first.referral.status == S.ON_AGENDA
    event = first.referral.events.get()
    assert event.reason == "Added to the agenda of Dorset AP panel on 3 December 2026"
    assert event.by == world.officer_a


def test_an_agenda_takes_only_its_own_la_s_referrals(world, dorset_meeting):
    hackney = ReferralFactory(child=world.child_b, referrer=world.officer_b, status=S.SUBMITTED)
    with pytest.raises(services.ReferralFromAnotherLA) as refused:
        _add(world, dorset_meeting, hackney)
    assert "goes to that authority's panel" in str(refused.value)
    hackney.refresh_from_db()
    assert hackney.status == S.SUBMITTED
    assert not AgendaItem.objects.exists()


def test_a_closed_meeting_takes_no_more_items(world, dorset_meeting):
    dorset_meeting.status = MeetingStatus.CLOSED
    dorset_meeting.save()
    with pytest.raises(services.MeetingClosed):
        _add(world, dorset_meeting, _submitted(world))


def test_a_referral_deferred_at_this_meeting_goes_to_a_later_one(world, dorset_meeting):
    quorate(dorset_meeting)
    item = _add(world, dorset_meeting, _submitted(world))
    _decide(world, item, outcome="DEFERRED", reasons="Awaiting the EP report")
    with pytest.raises(services.AlreadyOnAgenda):
        _add(world, dorset_meeting, item.referral)
    later = MeetingFactory(panel=dorset_meeting.panel, date=dt.date(2027, 1, 7))
    assert _add(world, later, item.referral).position == 1


@pytest.mark.parametrize("persona", ["panel_member", "officer_b", "provider_x", "qa_lead_a"])
def test_only_the_panel_s_la_sets_the_agenda(world, dorset_meeting, persona):
    with pytest.raises(services.PanelNotAllowed):
        _add(world, dorset_meeting, _submitted(world), actor=getattr(world, persona))


# --- attendance and quorum ---------------------------------------------------------------------


def test_attendance_marks_every_active_member_and_starts_the_meeting(world, dorset_meeting):
    chair = dorset_meeting.panel.members.get()
    health = PanelMemberFactory(panel=dorset_meeting.panel, agency=Agency.HEALTH)
    services.record_attendance(
        actor=world.panel_member, at=AT, meeting=dorset_meeting, present_member_ids=[chair.pk]
    )
    marks = dict(
        Attendance.objects.filter(meeting=dorset_meeting).values_list("member_id", "present")
    )
    assert marks == {chair.pk: True, health.pk: False}
    dorset_meeting.refresh_from_db()
    assert dorset_meeting.status == MeetingStatus.IN_PROGRESS


def test_attendance_is_for_the_panel_s_members_only(world, dorset_meeting):
    stranger = PanelMemberFactory(panel=PanelFactory())
    with pytest.raises(services.PanelInvalid):
        services.record_attendance(
            actor=world.officer_a, at=AT, meeting=dorset_meeting, present_member_ids=[stranger.pk]
        )


def test_a_decision_without_enough_members_is_refused(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    _present(dorset_meeting, Agency.HEALTH, Agency.SCHOOL)  # 2 of 3 members, 2 of 2 agencies
    with pytest.raises(services.QuorumNotMet) as refused:
        _decide(world, item)
    assert str(refused.value) == (
        "The panel is not quorate, so it cannot decide: 2 of the 3 members needed are present, from 2 of the "
        "2 agencies needed. Record who is present, or carry the item forward to a later meeting."
    )
    item.referral.refresh_from_db()
    assert item.referral.status == S.ON_AGENDA
    assert not Decision.objects.exists()


def test_a_decision_without_enough_agencies_is_refused(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    _present(dorset_meeting, Agency.HEALTH, Agency.HEALTH, Agency.HEALTH)  # 3 members, 1 agency
    with pytest.raises(services.QuorumNotMet) as refused:
        _decide(world, item)
    assert "from 1 of the 2 agencies needed" in str(refused.value)


def test_members_marked_absent_do_not_count(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    members = _present(dorset_meeting, Agency.HEALTH, Agency.SCHOOL, Agency.COLLEGE)
    Attendance.objects.filter(member=members[0]).update(present=False)
    with pytest.raises(services.QuorumNotMet):
        _decide(world, item)


# --- decisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["APPROVED", "DECLINED", "DEFERRED"])
def test_a_quorate_decision_moves_the_referral(world, dorset_meeting, outcome):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    decision = _decide(world, item, outcome=outcome, reasons="The panel's reasons")
    referral = item.referral
    referral.refresh_from_db()
    assert referral.status == outcome
    event = referral.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.by, event.at) == (
        S.ON_AGENDA,
        outcome,
        world.panel_member,
        AT,
    )
    assert event.reason.endswith("by Dorset AP panel on 3 December 2026: The panel's reasons")
    assert decision.members_present == 3
    assert decision.decided_by == world.panel_member
    assert AuditEvent.objects.filter(
        object_type="panels.Decision", child_id=referral.child_id
    ).exists()
    if outcome != "APPROVED":
        assert decision.approved_tier is None


def test_an_approval_records_provider_tier_cost_and_value_for_money(world, dorset_meeting):
    provider = ProviderFactory()
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    decision = _decide(world, item, proposed_provider=provider)
    assert (decision.approved_tier, decision.proposed_provider, decision.proposed_weekly_cost) == (
        2,
        provider,
        450,
    )
    assert decision.value_for_money_note.startswith("£450 a week")


@pytest.mark.parametrize(
    "missing", ["approved_tier", "proposed_weekly_cost", "value_for_money_note"]
)
def test_an_approval_needs_tier_cost_and_value_for_money(world, dorset_meeting, missing):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    with pytest.raises(services.PanelInvalid) as refused:
        _decide(world, item, **{missing: None})
    assert list(refused.value.errors) == [missing]


def test_every_decision_needs_reasons(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    with pytest.raises(services.PanelInvalid) as refused:
        _decide(world, item, outcome="DECLINED", reasons="  ")
    assert refused.value.errors == {"reasons": ["Enter the reasons for the decision"]}


def test_an_item_is_decided_once(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    _decide(world, item)
    with pytest.raises(services.AgendaItemSettled):
        _decide(world, item, outcome="DECLINED")


def test_a_referral_withdrawn_while_on_the_agenda_cannot_be_decided(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    referral_services.withdraw_referral(
        actor=world.officer_a,
        at=AT,
        channel=Channel.WEB,
        referral=item.referral,
        reason="Moved out of area",
    )
    with pytest.raises(referral_services.ReferralMoveNotAllowed) as refused:
        _decide(world, item)
    assert str(refused.value) == "This referral is withdrawn, so it cannot be approved."


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("panel_member", True),  # the chair
        ("manager_a", True),
        ("officer_a", False),
        ("officer_b", False),
        ("provider_x", False),
    ],
)
def test_who_records_decisions(world, dorset_meeting, persona, allowed):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    if allowed:
        _decide(world, item, actor=getattr(world, persona))
    else:
        with pytest.raises(services.PanelNotAllowed):
            _decide(world, item, actor=getattr(world, persona))


def test_a_member_who_is_not_the_chair_does_not_record_decisions(world, dorset_meeting):
    dorset_meeting.panel.members.filter(user=world.panel_member).update(is_chair=False)
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    with pytest.raises(services.PanelNotAllowed):
        _decide(world, item)


def test_a_chair_who_joined_after_the_meeting_does_not_record_its_decisions(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    chair = dorset_meeting.panel.members.filter(user=world.panel_member)
    chair.update(joined_date=dorset_meeting.date + dt.timedelta(days=1))
    assert not permissions.can_record_decision(world.panel_member, dorset_meeting)
    with pytest.raises(services.PanelNotAllowed):
        _decide(world, item)
    chair.update(joined_date=dorset_meeting.date)  # joined on the day: theirs to decide
    assert permissions.can_record_decision(world.panel_member, dorset_meeting)


# --- carrying forward and closing --------------------------------------------------------------


def test_an_inquorate_meeting_carries_an_item_forward(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    carried = services.carry_forward_item(
        actor=world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=item,
        reason="Not quorate: health apologies",
    )
    assert carried.carried_forward_at == AT
    item.referral.refresh_from_db()
    assert item.referral.status == S.DEFERRED
    assert (
        "Carried forward from Dorset AP panel"
        in item.referral.events.order_by("-pk").first().reason
    )
    quorate(dorset_meeting)
    with pytest.raises(services.AgendaItemSettled):
        _decide(world, item)


def test_carrying_forward_needs_a_reason(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    with pytest.raises(services.PanelInvalid):
        services.carry_forward_item(
            actor=world.officer_a, at=AT, channel=Channel.WEB, agenda_item=item, reason=""
        )


def test_a_meeting_with_undecided_items_cannot_close(world, dorset_meeting):
    quorate(dorset_meeting)
    decided = _add(world, dorset_meeting, _submitted(world))
    _add(world, dorset_meeting, _submitted(world, world.child_a2))
    _decide(world, decided)
    with pytest.raises(services.MeetingHasUndecidedItems) as refused:
        services.close_meeting(actor=world.panel_member, at=AT, meeting=dorset_meeting)
    assert (
        str(refused.value)
        == "Decide or carry forward every item before you close the meeting: item 2 has no decision"
    )
    dorset_meeting.refresh_from_db()
    assert dorset_meeting.status != MeetingStatus.CLOSED


def test_a_meeting_closes_once_every_item_is_decided_carried_forward_or_withdrawn(
    world, dorset_meeting
):
    quorate(dorset_meeting)
    decided = _add(world, dorset_meeting, _submitted(world))
    carried = _add(world, dorset_meeting, _submitted(world, world.child_a2))
    withdrawn = _add(world, dorset_meeting, _submitted(world, ChildFactory(home_la=la("838"))))
    _decide(world, decided, outcome="DECLINED", reasons="Needs met in school with outreach")
    services.carry_forward_item(
        actor=world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=carried,
        reason="Out of time",
    )
    referral_services.withdraw_referral(
        actor=world.officer_a,
        at=AT,
        channel=Channel.WEB,
        referral=withdrawn.referral,
        reason="Place found at a special school",
    )
    closed = services.close_meeting(actor=world.panel_member, at=AT, meeting=dorset_meeting)
    assert closed.status == MeetingStatus.CLOSED
    with pytest.raises(services.MeetingClosed):
        services.record_attendance(
            actor=world.officer_a, at=AT, meeting=dorset_meeting, present_member_ids=[]
        )
    with pytest.raises(services.MeetingClosed):
        services.close_meeting(actor=world.officer_a, at=AT, meeting=dorset_meeting)


def test_a_planned_meeting_that_did_not_sit_closes_with_its_items_carried_forward(
    world, dorset_meeting
):
    item = _add(world, dorset_meeting, _submitted(world))
    services.carry_forward_item(
        actor=world.officer_a,
        at=AT,
        channel=Channel.WEB,
        agenda_item=item,
        reason="Meeting cancelled: snow",
    )
    assert (
        services.close_meeting(actor=world.officer_a, at=AT, meeting=dorset_meeting).status
        == MeetingStatus.CLOSED
    )


def test_a_meeting_still_to_come_cannot_be_closed(world, dorset_meeting):
    with pytest.raises(services.MeetingNotYetHeld) as refused:
        services.close_meeting(
            actor=world.officer_a, at=AT - dt.timedelta(days=11), meeting=dorset_meeting
        )
    assert str(refused.value) == "The meeting is on 3 December 2026: it can be closed from that day"
    dorset_meeting.refresh_from_db()
    assert dorset_meeting.status != MeetingStatus.CLOSED
    assert (
        services.close_meeting(actor=world.officer_a, at=AT, meeting=dorset_meeting).status
        == MeetingStatus.CLOSED
    )


def test_a_decision_in_a_closed_meeting_is_refused(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    dorset_meeting.status = MeetingStatus.CLOSED
    dorset_meeting.save()
    with pytest.raises(services.MeetingClosed):
        _decide(world, item)


# --- actions, panels, members ------------------------------------------------------------------


def test_an_action_has_an_owner_and_a_due_date_after_the_meeting(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    with pytest.raises(services.PanelInvalid) as refused:
        services.add_action(
            actor=world.panel_member,
            at=AT,
            meeting=dorset_meeting,
            data={
                "description": "Ask for the EP report",
                "owner": "",
                "due_date": dt.date(2026, 12, 1),
            },
        )
    assert set(refused.value.errors) == {"owner", "due_date"}
    action = services.add_action(
        actor=world.panel_member,
        at=AT,
        meeting=dorset_meeting,
        data={
            "description": "Ask for the EP report",
            "owner": "Sam, inclusion team",
            "due_date": dt.date(2026, 12, 17),
            "agenda_item": item,
        },
    )
    assert action.agenda_item == item
    done = services.complete_action(
        actor=world.officer_a, at=AT, action=action, done_date=dt.date(2026, 12, 10)
    )
    assert done.done_date == dt.date(2026, 12, 10)


def test_a_panel_s_agency_quorum_cannot_exceed_its_member_quorum(world):
    with pytest.raises(services.PanelInvalid) as refused:
        services.create_panel(
            actor=world.manager_a,
            at=AT,
            data={"name": "AP panel", "kind": "AP", "quorum": 2, "quorum_agencies": 3},
        )
    assert "quorum_agencies" in refused.value.errors
    panel = services.create_panel(
        actor=world.manager_a,
        at=AT,
        data={"name": "AP panel", "kind": "AP", "quorum": 4, "quorum_agencies": 3},
    )
    assert panel.local_authority == world.manager_a.organisation.local_authority


def test_panels_are_set_up_by_la_officers_and_managers_only(world):
    for persona in ("panel_member", "provider_x", "qa_lead_a", "school_y"):
        with pytest.raises(services.PanelNotAllowed):
            services.create_panel(
                actor=getattr(world, persona),
                at=AT,
                data={"name": "AP panel", "kind": "AP", "quorum": 3, "quorum_agencies": 2},
            )


def test_a_member_s_account_must_be_from_the_panel_s_area(world, dorset_meeting):
    panel = dorset_meeting.panel
    with pytest.raises(services.PanelInvalid) as refused:
        services.add_member(
            actor=world.officer_a,
            at=AT,
            panel=panel,
            data={"user": world.officer_b, "agency": "LA", "name": ""},
        )
    assert "user" in refused.value.errors
    with pytest.raises(services.PanelInvalid):
        services.add_member(
            actor=world.officer_a,
            at=AT,
            panel=panel,
            data={"user": world.panel_member, "agency": "SOCIAL_CARE"},
        )  # already a member
    member = services.add_member(
        actor=world.officer_a,
        at=AT,
        panel=panel,
        data={"user": world.manager_a, "agency": "LA", "name": "", "is_chair": True},
    )
    assert member.name == world.manager_a.display_name


def test_a_member_who_leaves_no_longer_sees_the_panel(world, dorset_meeting):
    from aptrack.panels.permissions import scope_panels

    member = PanelMember.objects.get(user=world.panel_member)
    assert scope_panels(world.panel_member).exists()
    services.remove_member(actor=world.officer_a, at=AT, member=member)
    assert not scope_panels(world.panel_member).exists()


def test_a_decision_for_a_meeting_still_to_come_is_refused(world, dorset_meeting):
    item = _add(world, dorset_meeting, _submitted(world))
    quorate(dorset_meeting)
    with pytest.raises(services.MeetingNotYetHeld) as excinfo:
        services.record_decision(
            actor=world.panel_member,
            at=AT - dt.timedelta(days=1),
            channel=Channel.WEB,
            agenda_item=item,
            data=APPROVAL,
        )
    assert str(excinfo.value) == services.MEETING_NOT_YET_HELD.format(date="3 December 2026")
    assert not Decision.objects.exists()
    assert _decide(world, item).outcome == "APPROVED"
