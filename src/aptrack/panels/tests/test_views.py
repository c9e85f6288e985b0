import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from markupsafe import escape

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.panels.models import (
    Agency,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Panel,
    PanelKind,
    PanelMember,
)
from aptrack.panels.tests.factories import PanelMemberFactory, quorate
from aptrack.referrals.models import PrimaryReason, Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus


def _assert_error_page(response, *texts):
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error: " in body
    for text in texts:
        assert text in body, text
    return body


def _on_agenda(world, meeting, child=None):
    referral = ReferralFactory(
        child=child or world.child_a, referrer=world.officer_a, status=S.ON_AGENDA
    )
    return AgendaItem.objects.create(
        meeting=meeting, referral=referral, position=meeting.agenda.count() + 1
    )


def _decision_data(item, **overrides):
    data = {
        "outcome": "APPROVED",
        "reasons": "Small group teaching meets her needs",
        "approved_tier": "2",
        "proposed_weekly_cost": "450",
        "value_for_money_note": "Half the cost of the independent option",
    }
    data.update(overrides)
    return {f"item-{item.pk}-{key}": value for key, value in data.items()}


def test_a_chair_runs_a_meeting_from_its_agenda_to_recorded_decisions(client, world):
    """The issue's 'done when', through the pages only."""
    client.force_login(world.manager_a)
    client.post(
        reverse("panels:new"),
        {"name": "Dorset AP panel", "kind": "AP", "quorum": "3", "quorum_agencies": "2"},
    )
    panel = Panel.objects.get()
    for name, agency, user, chair in [
        ("Pat Chair", "SOCIAL_CARE", world.panel_member, True),
        ("Dr Health", "HEALTH", None, False),
        ("Head Teacher", "SCHOOL", None, False),
    ]:
        client.post(
            reverse("panels:member_new", args=[panel.pk]),
            {
                "name": name,
                "agency": agency,
                "user": str(user.pk) if user else "",
                "is_chair": "on" if chair else "",
            },
        )
    assert panel.members.count() == 3
    panel.members.update(joined_date=dt.date(2026, 11, 2))  # they joined before the meeting below
    client.post(
        reverse("panels:meeting_new", args=[panel.pk]),
        {"date-day": "3", "date-month": "12", "date-year": "2026", "location": "County Hall"},
    )
    meeting = Meeting.objects.get()
    approve = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.SUBMITTED)
    decline = ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=S.SUBMITTED)
    for referral in (approve, decline):
        assert (
            client.post(
                reverse("panels:agenda_add", args=[meeting.pk]), {"referral": str(referral.pk)}
            ).status_code
            == 302
        )

    client.force_login(world.panel_member)  # the chair takes over
    meeting_url = reverse("panels:meeting", args=[meeting.pk])
    body = client.get(meeting_url).content.decode()
    assert "Not quorate" in body and "Record the decision on item 1" in body
    assert client.get(reverse("panels:pack", args=[meeting.pk])).status_code == 200
    members = list(panel.members.values_list("pk", flat=True))
    client.post(
        reverse("panels:attendance", args=[meeting.pk]), {"present": [str(pk) for pk in members]}
    )
    assert "Quorate" in client.get(meeting_url).content.decode()
    first, second = meeting.agenda.order_by("position")
    assert (
        client.post(
            reverse("panels:decision", args=[meeting.pk, first.pk]), _decision_data(first)
        ).status_code
        == 302
    )
    response = client.post(
        reverse("panels:decision", args=[meeting.pk, second.pk]),
        _decision_data(
            second,
            outcome="DECLINED",
            reasons="Needs met with outreach in school",
            approved_tier="",
            proposed_weekly_cost="",
            value_for_money_note="",
        ),
    )
    assert response.status_code == 302
    client.post(
        reverse("panels:action_new", args=[meeting.pk]),
        {
            "description": "Arrange a start date",
            "owner": "AP officer",
            "due_date-day": "10",
            "due_date-month": "12",
            "due_date-year": "2026",
            "agenda_item": str(first.pk),
        },
    )
    assert client.post(reverse("panels:close", args=[meeting.pk])).status_code == 302

    approve.refresh_from_db()
    decline.refresh_from_db()
    meeting.refresh_from_db()
    assert (approve.status, decline.status, meeting.status) == (
        S.APPROVED,
        S.DECLINED,
        MeetingStatus.CLOSED,
    )
    # Closed: the chair no longer sees its children, decisions or actions (docs/rules.md).
    minutes = client.get(reverse("panels:minutes", args=[meeting.pk])).content.decode()
    assert "Small group teaching meets her needs" not in minutes
    assert "Arrange a start date" not in minutes
    assert client.get(reverse("panels:pack", args=[meeting.pk])).status_code == 403
    client.force_login(world.manager_a)
    minutes = client.get(reverse("panels:minutes", args=[meeting.pk])).content.decode()
    assert "Small group teaching meets her needs" in minutes
    assert "Needs met with outreach in school" in minutes
    assert "Arrange a start date" in minutes
    assert world.child_a.full_name not in minutes  # initials only


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a", 200),
        ("manager_a", 200),
        ("panel_member", 200),
        ("officer_b", 404),
        ("provider_x", 403),
        ("analyst", 403),
        ("school_y", 403),
        ("qa_lead_a", 403),
        ("social_worker", 403),
    ],
)
def test_who_sees_a_panel_and_its_meeting(client, world, dorset_meeting, persona, status):
    client.force_login(getattr(world, persona))
    assert (
        client.get(reverse("panels:detail", args=[dorset_meeting.panel.pk])).status_code == status
    )
    assert client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).status_code == status
    assert client.get(reverse("panels:minutes", args=[dorset_meeting.pk])).status_code == status
    assert client.get(reverse("panels:list")).status_code == (403 if status == 403 else 200)


def test_officer_b_does_not_see_dorset_panels_listed(client, world, dorset_meeting):
    client.force_login(world.officer_b)
    assert "Dorset AP panel" not in client.get(reverse("panels:list")).content.decode()


def test_a_member_who_is_not_on_the_panel_gets_404(client, world, dorset_meeting):
    PanelMember.objects.filter(user=world.panel_member).update(is_active=False)
    client.force_login(world.panel_member)
    assert client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).status_code == 404


def test_an_officer_cannot_record_decisions_and_a_member_cannot_set_the_agenda(
    client, world, dorset_meeting
):
    item = _on_agenda(world, dorset_meeting)
    quorate(dorset_meeting)
    client.force_login(world.officer_a)
    assert (
        "Record the decision"
        not in client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
    )
    assert (
        client.post(
            reverse("panels:decision", args=[dorset_meeting.pk, item.pk]), _decision_data(item)
        ).status_code
        == 403
    )
    dorset_meeting.panel.members.filter(user=world.panel_member).update(is_chair=False)
    client.force_login(world.panel_member)
    assert (
        client.post(
            reverse("panels:agenda_add", args=[dorset_meeting.pk]), {"referral": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("panels:decision", args=[dorset_meeting.pk, item.pk]), _decision_data(item)
        ).status_code
        == 403
    )


# --- bad input, shown again with the error summary ---------------------------------------------


def test_setting_up_a_panel_with_a_bad_quorum(client, world):
    client.force_login(world.officer_a)
    body = _assert_error_page(
        client.post(
            reverse("panels:new"),
            {"name": "AP panel", "kind": "AP", "quorum": "2", "quorum_agencies": "3"},
        ),
        "Agencies needed cannot be more than the members needed",
        'href="#id_quorum_agencies"',
    )
    assert "Set up a panel" in body
    assert not Panel.objects.exists()


def test_arranging_a_meeting_without_a_date(client, world, dorset_meeting):
    client.force_login(world.officer_a)
    _assert_error_page(
        client.post(
            reverse("panels:meeting_new", args=[dorset_meeting.panel.pk]),
            {"date-day": "31", "date-month": "2", "date-year": "2027"},
        ),
        "Date of the meeting must be a real date",
        'href="#id_date-day"',
    )


def test_adding_another_la_s_referral_is_refused_on_the_page(client, world, dorset_meeting):
    hackney = ReferralFactory(child=world.child_b, referrer=world.officer_b, status=S.SUBMITTED)
    client.force_login(world.officer_a)
    _assert_error_page(
        client.post(
            reverse("panels:agenda_add", args=[dorset_meeting.pk]), {"referral": str(hackney.pk)}
        ),
        "Select a valid choice",
        'href="#id_referral"',
    )  # not even offered
    assert not AgendaItem.objects.exists()


def test_a_decision_without_quorum_is_shown_again_with_the_reason(client, world, dorset_meeting):
    item = _on_agenda(world, dorset_meeting)
    client.force_login(world.panel_member)
    body = _assert_error_page(
        client.post(
            reverse("panels:decision", args=[dorset_meeting.pk, item.pk]), _decision_data(item)
        ),
        "The panel is not quorate, so it cannot decide: 0 of the 3 members needed are present",
    )
    assert f'id="id_item-{item.pk}-reasons"' in body
    assert '<details class="govuk-details govuk-!-margin-bottom-0" open>' in body
    assert not Decision.objects.exists()


def test_an_approval_without_its_cost_links_the_error_to_the_field(client, world, dorset_meeting):
    item = _on_agenda(world, dorset_meeting)
    quorate(dorset_meeting)
    client.force_login(world.manager_a)
    _assert_error_page(
        client.post(
            reverse("panels:decision", args=[dorset_meeting.pk, item.pk]),
            _decision_data(item, proposed_weekly_cost="", value_for_money_note=""),
        ),
        f'href="#id_item-{item.pk}-proposed_weekly_cost"',
        f'href="#id_item-{item.pk}-value_for_money_note"',
    )


def test_attendance_and_actions_bad_input(client, world, dorset_meeting):
    client.force_login(world.officer_a)
    _assert_error_page(
        client.post(
            reverse("panels:attendance", args=[dorset_meeting.pk]), {"present": ["999999"]}
        ),
        "Select a valid choice",
    )
    body = _assert_error_page(
        client.post(reverse("panels:attendance", args=[dorset_meeting.pk]), {}),
        'href="#id_present"',
        "Select the members who are present",
    )
    assert 'id="id_present" name="present" type="checkbox"' in body
    action = {
        "description": "Chase report",
        "owner": "",
        "due_date-day": "1",
        "due_date-month": "12",
        "due_date-year": "2026",
    }
    url = reverse("panels:action_new", args=[dorset_meeting.pk])
    _assert_error_page(client.post(url, action), 'href="#id_owner"', "Enter who owns the action")
    _assert_error_page(
        client.post(url, {**action, "owner": "AP officer"}),
        'href="#id_due_date-day"',
        "Due date must be on or after the day of the meeting",
    )


def test_carrying_forward_needs_a_reason_then_defers(client, world, dorset_meeting):
    item = _on_agenda(world, dorset_meeting)
    client.force_login(world.panel_member)
    url = reverse("panels:carry_forward", args=[dorset_meeting.pk, item.pk])
    assert client.get(url).status_code == 200
    _assert_error_page(client.post(url, {"reason": ""}), 'href="#id_reason"')
    assert client.post(url, {"reason": "Not quorate"}).status_code == 302
    item.referral.refresh_from_db()
    assert item.referral.status == S.DEFERRED


def test_closing_with_undecided_items_is_refused_on_the_page(client, world, dorset_meeting):
    _on_agenda(world, dorset_meeting)
    client.force_login(world.officer_a)
    assert (
        "Item 1" in client.get(reverse("panels:close", args=[dorset_meeting.pk])).content.decode()
    )
    _assert_error_page(
        client.post(reverse("panels:close", args=[dorset_meeting.pk])),
        "Decide or carry forward every item before you close the meeting: item 1 has no decision",
    )


# --- the pack and the minutes ------------------------------------------------------------------


def test_the_pack_is_printable_and_each_child_s_view_is_audited(client, world, dorset_meeting):
    item = _on_agenda(world, dorset_meeting)
    PanelMemberFactory(panel=dorset_meeting.panel, name="Dr Health", agency=Agency.HEALTH)
    client.force_login(world.officer_a)
    body = client.get(reverse("panels:pack", args=[dorset_meeting.pk])).content.decode()
    assert '<link rel="stylesheet" href="/static/panels/print.css">' in body
    assert "<style" not in body
    assert escape(world.child_a.full_name) in body
    assert (
        str(escape(item.referral.family_views)) in body
        and str(escape(item.referral.child_views)) in body
    )
    assert "Dr Health, Health" in body
    assert 'class="govuk-grid-row app-pack-item"' in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED,
        child_id=world.child_a.pk,
        where=reverse("panels:pack", args=[dorset_meeting.pk]),
    ).exists()


def test_the_print_stylesheet_is_served(client, world):
    from django.contrib.staticfiles import finders

    path = finders.find("panels/print.css")
    assert path is not None
    assert "@media print" in Path(path).read_text()


def test_the_minutes_render_while_the_meeting_is_open_as_a_draft(client, world, dorset_meeting):
    _on_agenda(world, dorset_meeting)
    client.force_login(world.panel_member)
    body = client.get(reverse("panels:minutes", args=[dorset_meeting.pk])).content.decode()
    assert "Draft: these minutes are final once the meeting is closed." in body
    assert "Not yet decided" in body


def test_actions_are_marked_done(client, world, dorset_meeting):
    from aptrack.panels.models import PanelAction

    action = PanelAction.objects.create(
        meeting=dorset_meeting, description="Chase", owner="Me", due_date=dt.date(2026, 12, 10)
    )
    client.force_login(world.officer_a)
    assert (
        client.post(reverse("panels:action_done", args=[dorset_meeting.pk, action.pk])).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.done_date is not None


def test_an_officer_is_told_who_records_decisions(client, world, dorset_meeting):
    _on_agenda(world, dorset_meeting)
    client.force_login(world.officer_a)
    body = client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
    assert (
        "Only the panel&#39;s chair (Pat Chair) or an LA manager of Dorset can record the panel&#39;s decisions"
        in body
    )


def test_a_meeting_still_to_come_offers_no_decision_form(client, world, dorset_meeting):
    import time_machine

    _on_agenda(world, dorset_meeting)
    quorate(dorset_meeting)
    client.force_login(world.manager_a)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        body = client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
    assert "Record the decision" not in body
    assert "The panel decides at the meeting on 3 December 2026" in body


def test_a_meeting_still_to_come_cannot_be_closed_from_its_pages(client, world, dorset_meeting):
    import time_machine

    close_url = reverse("panels:close", args=[dorset_meeting.pk])
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(world.officer_a)
        assert (
            close_url
            not in client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
        )
        page = client.get(close_url).content.decode()
        assert "it can be closed from that day" in page and "Close the meeting</button>" not in page
        _assert_error_page(
            client.post(close_url),
            "The meeting is on 3 December 2026: it can be closed from that day",
        )
    dorset_meeting.refresh_from_db()
    assert dorset_meeting.status != MeetingStatus.CLOSED
    client.force_login(world.officer_a)
    assert (
        close_url
        in client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
    )


def test_an_approval_leads_to_planning_the_placement(client, world, dorset_meeting):
    item = _on_agenda(world, dorset_meeting)
    quorate(dorset_meeting)
    client.force_login(world.manager_a)
    client.post(reverse("panels:decision", args=[dorset_meeting.pk, item.pk]), _decision_data(item))
    body = client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).content.decode()
    plan_url = f"{reverse('placements:new')}?referral={item.referral.pk}"
    assert f'href="{plan_url}"' in body
    referral_page = client.get(
        reverse("referrals:detail", args=[item.referral.pk])
    ).content.decode()
    assert f'href="{plan_url}"' in referral_page


def test_a_fair_access_panel_pack_shows_the_day_a_place_is_due_if_approved(
    client, world, dorset_meeting
):
    dorset_meeting.panel.kind = PanelKind.FAIR_ACCESS
    dorset_meeting.panel.save()
    item = _on_agenda(world, dorset_meeting)
    item.referral.route, item.referral.primary_reason = Route.HEALTH, PrimaryReason.MEDICAL
    item.referral.save()
    client.force_login(world.officer_a)
    body = client.get(reverse("panels:pack", args=[dorset_meeting.pk])).content.decode()
    # Meeting on Thursday 3 December 2026: 20 school days later, over Christmas, is 14 January 2027.
    assert "Fair Access: place by, if approved today" in body and "14 January 2027" in body
    assert "Illness absence this year" in body and "None recorded" in body
