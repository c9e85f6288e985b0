import datetime as dt

import pytest
from django.urls import reverse

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.providers.models import Provider, ProviderSite
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def _link(child):
    return f'href="{reverse("children:detail", args=[child.pk])}"'


@pytest.fixture
def provider_x(world):
    provider = ProviderFactory(organisation=world.provider_x.organisation, name="Provider X")
    # A Hackney child placed with provider X too: Dorset users must not see them on its page.
    PlacementFactory(
        child=world.child_b,
        provider=provider.organisation,
        commissioning_la=world.child_b.home_la,
        start_date=dt.date(2026, 9, 7),
    )
    return provider


def test_provider_page_lists_only_children_the_user_may_see(client, world, provider_x):
    url = reverse("providers:detail", args=[provider_x.pk])
    for persona, visible, hidden in [
        (world.officer_a, world.child_a, world.child_b),
        (world.officer_b, world.child_b, world.child_a),
    ]:
        client.force_login(persona)
        body = client.get(url).content.decode()
        assert _link(visible) in body
        assert _link(hidden) not in body
    client.force_login(world.analyst)
    body = client.get(url).content.decode()
    assert _link(world.child_a) not in body and _link(world.child_b) not in body


def test_provider_staff_see_their_children(client, world, provider_x):
    client.force_login(world.provider_x)
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    assert _link(world.child_a) in body and _link(world.child_b) in body


def test_list_shows_occupancy_and_filters_non_school(client, world, provider_x):
    client.force_login(world.officer_a)
    response = client.get(reverse("providers:list"), {"registered": "no"})
    rows = list(response.context_data["page"].object_list)
    assert [p.name for p in rows] == ["Provider X"]
    assert rows[0].occupancy == 2
    response = client.get(reverse("providers:list"), {"registered": "yes"})
    assert list(response.context_data["page"].object_list) == []


def test_a_long_list_is_paged_keeping_the_filters(client, world):
    for n in range(26):
        ProviderFactory(name=f"Paged provider {n:02d}", kind="UNREGISTERED")
    client.force_login(world.officer_a)
    page = client.get(reverse("providers:list"), {"registered": "no"}).content.decode()
    assert "govuk-pagination" in page
    assert 'href="?registered=no&amp;page=2"' in page  # the next page, still non-school only
    second = client.get(reverse("providers:list"), {"registered": "no", "page": 2})
    assert len(second.context_data["page"].object_list) == 1


def test_only_la_roles_add_providers(client, world):
    client.force_login(world.provider_x)
    assert client.get(reverse("providers:new")).status_code == 403
    client.force_login(world.officer_a)
    assert client.get(reverse("providers:new")).status_code == 200


def test_adding_a_provider_with_no_identity_reshows_errors(client, world):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("providers:new"),
        {
            "name": "New",
            "kind": "TUITION",
            "home_la": str(world.child_a.home_la_id),
            "offers_tier_2": "on",
        },
    )
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Give exactly one of URN, UKPRN or setting type" in body
    assert not Provider.objects.filter(name="New").exists()


def test_adding_a_provider(client, world):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("providers:new"),
        {
            "name": "New Tuition",
            "kind": "TUITION",
            "home_la": str(world.child_a.home_la_id),
            "setting_type": "OOT",
            "offers_tier_2": "on",
            "key_stages": ["KS3", "KS4"],
            "hours_per_week": "15",
        },
    )
    provider = Provider.objects.get(name="New Tuition")
    assert response.status_code == 302
    assert provider.key_stages == ["KS3", "KS4"]


def test_site_out_of_area_is_flagged(client, world, provider_x):
    ProviderSite.objects.create(
        provider=provider_x,
        name="Hackney hub",
        address_line_1="1 Mare St",
        postcode="E8 1AA",
        local_authority=world.child_b.home_la,
    )
    client.force_login(world.officer_a)
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    assert "Out of area" in body


def test_site_form_checks_postcode(client, world, provider_x):
    client.force_login(world.provider_x)
    response = client.post(
        reverse("providers:site_new", args=[provider_x.pk]),
        {
            "name": "Main",
            "address_line_1": "1 High St",
            "postcode": "NOT A CODE",
            "local_authority": str(world.child_a.home_la_id),
        },
    )
    assert "Enter a real postcode" in response.content.decode()


def test_only_managers_and_qa_leads_change_standing(client, world, provider_x):
    url = reverse("providers:approval", args=[provider_x.pk])
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403
    client.force_login(world.manager_a)
    response = client.post(
        url,
        {
            "status": "APPROVED",
            "effective_date-day": "1",
            "effective_date-month": "9",
            "effective_date-year": "2026",
            "reason": "Annual audit passed",
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    assert "Annual audit passed" in body


def test_unknown_provider_is_not_found(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("providers:detail", args=[999999])).status_code == 404


def test_key_stages_render_as_checkboxes(client, world):
    client.force_login(world.officer_a)
    body = client.get(reverse("providers:new")).content.decode()
    assert 'type="checkbox" value="KS3"' in body or (
        'name="key_stages"' in body and "govuk-checkboxes__input" in body
    )
    assert 'class="govuk-radios__input" id="id_key_stages' not in body


@pytest.mark.parametrize("status", ["PLANNED", "CANCELLED"])
def test_occupancy_counts_only_placements_running_today(client, world, provider_x, status):
    """A planned or cancelled placement takes no place (placements.rules.running_on_q)."""
    client.force_login(world.officer_a)
    before = client.get(reverse("providers:detail", args=[provider_x.pk])).context_data["occupancy"]
    listed = (
        client.get(reverse("providers:list"), {"registered": "no"})
        .context_data["page"]
        .object_list[0]
    )
    assert listed.occupancy == before
    child = ChildFactory(home_la=world.child_a.home_la)
    PlacementFactory(
        child=child,
        provider=provider_x.organisation,
        status=status,
        start_date=dt.date(2026, 9, 1),
        end_date=None,
    )
    response = client.get(reverse("providers:detail", args=[provider_x.pk]))
    assert response.context_data["occupancy"] == before
    assert child not in response.context_data["children"]
    listed = (
        client.get(reverse("providers:list"), {"registered": "no"})
        .context_data["page"]
        .object_list[0]
    )
    assert listed.occupancy == before
