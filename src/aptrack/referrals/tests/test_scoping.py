"""Who sees which referral, persona by persona, on the pages and through the API."""

import dataclasses

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.audit.models import Channel
from aptrack.panels import services as panel_services
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory, quorate
from aptrack.referrals.permissions import scope_referrals
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

# The referrals of the world each persona may see. Roles outside referrals get 403 instead.
EXPECTED_VISIBLE = {
    "officer_a": {"ref_a", "ref_a2", "ref_school"},
    "manager_a": {"ref_a", "ref_a2", "ref_school"},
    "officer_b": {"ref_b"},
    "school_y": {"ref_a", "ref_school"},  # its own pupil only, whoever commissioned
    "panel_member": set(),  # until a referral is on an agenda of their panel
}
NO_ACCESS = {
    "provider_x",
    "provider_z",
    "social_worker",
    "virtual_school_head_a",
    "qa_lead_a",
    "analyst",
    "finance_a",
}


@dataclasses.dataclass
class Referrals:
    ref_a: object
    ref_a2: object
    ref_b: object
    ref_school: object


@pytest.fixture
def refs(world):
    school = world.school_y.organisation
    return Referrals(
        ref_a=ReferralFactory(child=world.child_a, referrer=world.officer_a),
        ref_a2=ReferralFactory(child=world.child_a2, referrer=world.officer_a),
        ref_b=ReferralFactory(child=world.child_b, referrer=world.officer_b),
        ref_school=ReferralFactory(
            child=world.child_a, referrer=world.school_y, commissioning_school=school
        ),
    )


def _headers(user):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_personas_cover_every_role(world):
    assert set(EXPECTED_VISIBLE) | NO_ACCESS == set(world.personas())


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_scope_per_persona(world, refs, persona):
    visible = set(scope_referrals(getattr(world, persona)).values_list("pk", flat=True))
    assert visible == {getattr(refs, name).pk for name in EXPECTED_VISIBLE[persona]}


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_list_and_detail_pages_per_persona(client, world, refs, persona):
    client.force_login(getattr(world, persona))
    body = client.get(reverse("referrals:list")).content.decode()
    for name in ("ref_a", "ref_a2", "ref_b", "ref_school"):
        referral = getattr(refs, name)
        link = f'href="{reverse("referrals:detail", args=[referral.pk])}"'
        expected = name in EXPECTED_VISIBLE[persona]
        assert (link in body) is expected, name
        status = client.get(reverse("referrals:detail", args=[referral.pk])).status_code
        assert status == (200 if expected else 404), name


@pytest.mark.parametrize("persona", sorted(NO_ACCESS))
def test_other_roles_are_refused_outright(client, world, refs, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("referrals:list")).status_code == 403
    assert client.get(reverse("referrals:detail", args=[refs.ref_a.pk])).status_code == 403
    assert client.get(reverse("referrals:new")).status_code == 403


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_api_per_persona(client, world, refs, persona):
    headers = _headers(getattr(world, persona))
    listed = {row["id"] for row in client.get("/api/v1/referrals", **headers).json()["items"]}
    assert listed == {getattr(refs, name).pk for name in EXPECTED_VISIBLE[persona]}
    for name in ("ref_a", "ref_b"):
        status = client.get(f"/api/v1/referrals/{getattr(refs, name).pk}", **headers).status_code
        assert status == (200 if name in EXPECTED_VISIBLE[persona] else 404)


@pytest.mark.parametrize("persona", ["provider_x", "analyst"])
def test_api_refuses_other_roles(client, world, refs, persona):
    headers = _headers(getattr(world, persona))
    assert client.get("/api/v1/referrals", **headers).status_code == 403
    assert client.get(f"/api/v1/referrals/{refs.ref_a.pk}", **headers).status_code == 403


def test_officer_b_never_sees_dorset_referrals_even_by_filtering(client, world, refs):
    # A surname no other child has: generated names can repeat, and officer B's own Hackney
    # child sharing it would rightly be listed.
    world.child_a.legal_last_name = "Quennell-Abernathy"
    world.child_a.save(update_fields=["legal_last_name"])
    client.force_login(world.officer_b)
    body = client.get(
        reverse("referrals:list"), {"q": world.child_a.legal_last_name}
    ).content.decode()
    assert reverse("referrals:detail", args=[refs.ref_a.pk]) not in body
    assert "0 referrals" in body


def test_a_panel_member_sees_a_referral_only_while_it_is_on_their_panel_s_open_agenda(
    client, world, refs, dorset_meeting
):
    at = timezone.now()
    referral = refs.ref_a
    referral.status = ReferralStatus.SUBMITTED
    referral.save()
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(world.panel_member)
    assert client.get(url).status_code == 404  # submitted, not yet on an agenda

    item = panel_services.add_to_agenda(
        actor=world.officer_a, at=at, channel=Channel.WEB, meeting=dorset_meeting, referral=referral
    )
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("children:detail", args=[world.child_a.pk])).status_code == 404
    )  # no register

    quorate(dorset_meeting)
    panel_services.record_decision(
        actor=world.panel_member,
        at=at,
        channel=Channel.WEB,
        agenda_item=item,
        data={"outcome": "DECLINED", "reasons": "Needs met in school"},
    )
    assert client.get(url).status_code == 200  # decided, but the meeting is still open
    panel_services.close_meeting(actor=world.panel_member, at=at, meeting=dorset_meeting)
    assert client.get(url).status_code == 404


def test_a_member_of_another_panel_does_not_see_it(client, world, refs, dorset_meeting):
    other_panel = PanelFactory(
        local_authority=dorset_meeting.panel.local_authority, name="Fair Access Panel", kind="FAP"
    )
    PanelMemberFactory(panel=other_panel, user=world.panel_member)
    dorset_meeting.panel.members.filter(user=world.panel_member).update(is_active=False)
    referral = refs.ref_a
    referral.status = ReferralStatus.SUBMITTED
    referral.save()
    panel_services.add_to_agenda(
        actor=world.officer_a,
        at=timezone.now(),
        channel=Channel.WEB,
        meeting=dorset_meeting,
        referral=referral,
    )
    MeetingFactory(panel=other_panel)
    client.force_login(world.panel_member)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
