"""What a panel member sees (docs/rules.md): the agenda items of meetings of panels they belong
to, held since they joined, and only while the meeting is open. Everything else about a meeting
stays visible; its children, routes, costs, decisions and actions do not."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from aptrack.panels.models import AgendaItem, Decision, MeetingStatus, PanelAction
from aptrack.panels.permissions import can_see_agenda, scope_agenda_items
from aptrack.panels.tests.factories import MEETING_DATE, MeetingFactory
from aptrack.referrals.permissions import scope_referrals
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

REASONS = "Small group teaching meets the needs set out in the plan"


def _item(world, meeting, child, position=1):
    referral = ReferralFactory(
        child=child,
        referrer=world.officer_a,
        status=ReferralStatus.ON_AGENDA,
        estimated_weekly_cost=Decimal("987.00"),
    )
    item = AgendaItem.objects.create(meeting=meeting, referral=referral, position=position)
    Decision.objects.create(
        agenda_item=item,
        outcome="DECLINED",
        reasons=REASONS,
        members_present=3,
        decided_by=world.manager_a,
        decided_at=dt.datetime(2026, 12, 3, 11, tzinfo=dt.UTC),
    )
    PanelAction.objects.create(
        meeting=meeting,
        agenda_item=item,
        description="Write to the family",
        owner="AP officer",
        due_date=dt.date(2026, 12, 10),
    )
    return item


def _pages(client, meeting):
    return {
        "meeting": client.get(reverse("panels:meeting", args=[meeting.pk])),
        "pack": client.get(reverse("panels:pack", args=[meeting.pk])),
        "minutes": client.get(reverse("panels:minutes", args=[meeting.pk])),
    }


def _shows_item(pages, item) -> bool:
    child = item.referral.child
    shown = [
        child.full_name in page.content.decode()
        or REASONS in page.content.decode()
        or "Write to the family" in page.content.decode()
        or "987" in page.content.decode()
        for page in pages.values()
        if page.status_code == 200
    ]
    return any(shown)


@pytest.mark.parametrize(
    ("status", "joined", "sees"),
    [
        (MeetingStatus.PLANNED, dt.date(2026, 11, 1), True),
        (MeetingStatus.IN_PROGRESS, MEETING_DATE, True),  # joined on the day
        (MeetingStatus.CLOSED, dt.date(2026, 11, 1), False),  # closed
        (
            MeetingStatus.PLANNED,
            MEETING_DATE + dt.timedelta(days=1),
            False,
        ),  # held before they joined
        (MeetingStatus.CLOSED, MEETING_DATE + dt.timedelta(days=1), False),
    ],
)
def test_a_panel_member_sees_an_agenda_only_while_open_and_from_when_they_joined(
    client, world, dorset_meeting, status, joined, sees
):
    dorset_meeting.status = status
    dorset_meeting.save()
    dorset_meeting.panel.members.filter(user=world.panel_member).update(joined_date=joined)
    item = _item(world, dorset_meeting, world.child_a)
    client.force_login(world.panel_member)
    pages = _pages(client, dorset_meeting)

    assert pages["meeting"].status_code == 200  # the meeting itself stays visible
    assert pages["minutes"].status_code == 200
    assert pages["pack"].status_code == (200 if sees else 403)
    assert _shows_item(pages, item) is sees
    assert can_see_agenda(world.panel_member, dorset_meeting) is sees
    assert scope_agenda_items(world.panel_member).filter(pk=item.pk).exists() is sees
    assert scope_referrals(world.panel_member).filter(pk=item.referral_id).exists() is sees
    referral_page = client.get(reverse("referrals:detail", args=[item.referral_id]))
    assert referral_page.status_code == (200 if sees else 404)
    if not sees:
        assert "only while the meeting is open" in pages["meeting"].content.decode()


def test_a_member_of_an_open_meeting_sees_only_its_children_not_those_of_closed_ones(
    client, world, dorset_meeting
):
    """The reported case: four children of earlier, closed meetings were named to a member."""
    closed = [
        MeetingFactory(
            panel=dorset_meeting.panel, date=dt.date(2026, 10, day), status=MeetingStatus.CLOSED
        )
        for day in (1, 8)
    ]
    dorset_meeting.panel.members.filter(user=world.panel_member).update(
        joined_date=dt.date(2026, 9, 1)
    )
    hidden = [
        _item(world, meeting, world.child_a2, position=position)
        for meeting in closed
        for position in (1, 2)
    ]
    shown = _item(world, dorset_meeting, world.child_a)
    client.force_login(world.panel_member)

    assert list(scope_agenda_items(world.panel_member)) == [shown]
    for meeting in closed:
        pages = _pages(client, meeting)
        assert not any(_shows_item(pages, item) for item in hidden)
    assert _shows_item(_pages(client, dorset_meeting), shown)


def test_a_removed_member_sees_no_meeting_and_no_agenda(client, world, dorset_meeting):
    item = _item(world, dorset_meeting, world.child_a)
    dorset_meeting.panel.members.filter(user=world.panel_member).update(is_active=False)
    client.force_login(world.panel_member)
    assert client.get(reverse("panels:meeting", args=[dorset_meeting.pk])).status_code == 404
    assert not scope_agenda_items(world.panel_member).exists()
    assert client.get(reverse("referrals:detail", args=[item.referral_id])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["officer_b", "provider_x", "school_y", "social_worker", "analyst", "qa_lead_a"]
)
def test_no_one_else_sees_a_panels_agenda(world, dorset_meeting, persona):
    _item(world, dorset_meeting, world.child_a)
    assert not scope_agenda_items(getattr(world, persona)).exists()


def test_the_la_that_runs_the_panel_sees_every_item_of_its_closed_meetings(
    client, world, dorset_meeting
):
    dorset_meeting.status = MeetingStatus.CLOSED
    dorset_meeting.save()
    item = _item(world, dorset_meeting, world.child_a)
    for persona in (world.officer_a, world.manager_a):
        client.force_login(persona)
        assert _shows_item(_pages(client, dorset_meeting), item)


def test_panel_members_get_no_children_register_even_for_children_they_see(
    client, world, dorset_meeting
):
    _item(world, dorset_meeting, world.child_a)
    client.force_login(world.panel_member)
    assert client.get(reverse("children:detail", args=[world.child_a.pk])).status_code == 404
