"""A user of one LA, provider or school never sees another's child: every path that shows
child data, for every persona."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.children import permissions, selectors
from aptrack.children.permissions import scope_children
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.conftest import EXPECTED_VISIBLE
from aptrack.placements.permissions import scope_placements

CHILDREN = ("child_a", "child_a2", "child_b")


def _ids(world, names):
    return {getattr(world, name).pk for name in names}


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_scope_function_gives_each_persona_exactly_their_children(world, persona):
    user = world.personas()[persona]
    assert set(scope_children(user).values_list("pk", flat=True)) == _ids(
        world, EXPECTED_VISIBLE[persona]
    )


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_children_list_page_shows_only_visible_children(client, world, persona):
    client.force_login(world.personas()[persona])
    body = client.get(reverse("children:list")).content.decode()
    for name in CHILDREN:
        child = getattr(world, name)
        link = reverse("children:detail", args=[child.pk])
        assert (f'href="{link}"' in body) == (name in EXPECTED_VISIBLE[persona]), name


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_children_search_cannot_reach_other_children(client, world, persona):
    client.force_login(world.personas()[persona])
    for name in CHILDREN:
        child = getattr(world, name)
        body = client.get(reverse("children:list"), {"q": child.upn}).content.decode()
        link = reverse("children:detail", args=[child.pk])
        assert (f'href="{link}"' in body) == (name in EXPECTED_VISIBLE[persona])


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_child_record_page_is_not_found_outside_scope(client, world, persona):
    client.force_login(world.personas()[persona])
    for name in CHILDREN:
        child = getattr(world, name)
        response = client.get(reverse("children:detail", args=[child.pk]))
        assert response.status_code == (200 if name in EXPECTED_VISIBLE[persona] else 404)


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_child_edit_page_only_for_la_editors_in_scope(client, world, persona):
    client.force_login(world.personas()[persona])
    for name in CHILDREN:
        child = getattr(world, name)
        response = client.get(reverse("children:edit", args=[child.pk]))
        visible = name in EXPECTED_VISIBLE[persona]
        editor = persona in {"officer_a", "manager_a", "officer_b"}
        expected = 404 if not visible else (200 if editor else 403)
        assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_home_page_counts_only_visible_children(client, world, persona):
    client.force_login(world.personas()[persona])
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    (panel,) = (
        panel
        for panel in response.context_data["home_panels"]
        if panel["template"] == "children/home_panel.html"
    )
    assert panel["context"]["children_count"] == len(EXPECTED_VISIBLE[persona])


def _token(user):
    _, token = account_services.issue_api_token(user=user, name="test", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_api_list_and_detail_are_scoped(client, world, persona):
    headers = _token(world.personas()[persona])
    listed = client.get("/api/v1/children", **headers).json()
    assert {item["id"] for item in listed["items"]} == _ids(world, EXPECTED_VISIBLE[persona])
    for name in CHILDREN:
        child = getattr(world, name)
        response = client.get(f"/api/v1/children/{child.pk}", **headers)
        assert response.status_code == (200 if name in EXPECTED_VISIBLE[persona] else 404)


@pytest.mark.parametrize("persona", sorted(EXPECTED_VISIBLE))
def test_api_update_outside_scope_is_not_found(client, world, persona):
    headers = _token(world.personas()[persona])
    child = world.child_b
    payload = {
        "legal_first_name": "Changed",
        "legal_last_name": child.legal_last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": "M",
        "home_la_code": "204",
        "version": child.version,
    }
    response = client.put(
        f"/api/v1/children/{child.pk}",
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )
    expected = {"officer_b": 200, "provider_z": 403}.get(persona, 404)
    assert response.status_code == expected


def test_api_without_token_is_refused(client, world):
    assert client.get("/api/v1/children").status_code == 401
    assert client.get("/api/v1/children", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_pages_need_sign_in(client, world):
    for url in (reverse("children:list"), reverse("children:detail", args=[world.child_a.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_la_sees_the_school_commissioned_placements_it_answers_for_and_no_other_las(world):
    """A school's commission is the LA's where the child lives (`placements.rules.la_placements_q`):
    that LA's officers see the child and the placement to oversee it; the school's own LA
    does not see a pupil living in another LA, and no LA sees another LA's child."""
    school = world.school_y.organisation  # a Dorset school
    dorset_pupil = ChildFactory(home_la=world.child_a.home_la, home_school=school.establishment)
    hackney_pupil = ChildFactory(home_la=world.child_b.home_la, home_school=school.establishment)
    placements = {
        child: PlacementFactory(
            child=child,
            provider=world.provider_z.organisation,
            commissioning_la=None,
            commissioning_school=school,
        )
        for child in (dorset_pupil, hackney_pupil)
    }
    for officer, theirs, not_theirs in (
        (world.officer_a, dorset_pupil, hackney_pupil),
        (world.officer_b, hackney_pupil, dorset_pupil),
    ):
        children = set(scope_children(officer))
        assert theirs in children and not_theirs not in children
        seen = set(scope_placements(officer))
        assert placements[theirs] in seen and placements[not_theirs] not in seen
    assert world.child_b not in set(scope_children(world.officer_a))
    assert {world.child_a, world.child_a2}.isdisjoint(scope_children(world.officer_b))


def test_a_child_read_through_one_users_scope_is_not_visible_to_another(world):
    """The record reads the child through the officer's scope once and takes it as known
    after; that knowledge is the reader's alone, and lapses if their organisation changes."""
    child = selectors.get_child(user=world.officer_a, child_id=world.child_a.pk)
    assert child is not None and permissions.can_view_child(world.officer_a, child)
    assert not permissions.can_view_child(world.officer_b, child)
    assert not scope_placements(world.officer_b, child=child).exists()

    world.officer_a.organisation = world.officer_b.organisation
    world.officer_a.organisation_id = world.officer_b.organisation_id
    assert not permissions.can_view_child(world.officer_a, child)
