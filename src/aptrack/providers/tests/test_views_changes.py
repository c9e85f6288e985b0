"""Changing a shared provider through the pages: each user is offered and may save only their
own part; pages never link to a page the user would be refused; every change is audited with
the organisation that made it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.core.concurrency import VERSION_MISSING
from aptrack.organisations.tests.factories import la
from aptrack.providers.models import Provider, ProviderApproval
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_x(world):
    """Based in Dorset and commissioned by Dorset (the world's child_a is placed there), with
    Dorset's own notes and rates."""
    provider = ProviderFactory(
        organisation=world.provider_x.organisation,
        name="Provider X",
        contact_email="office@x.example",
        hourly_rate=Decimal("30.00"),
    )
    ProviderApproval.objects.create(
        provider=provider,
        local_authority=la("838"),
        notes="Dorset's note",
        agreed_hourly_rate=Decimal("28.00"),
    )
    return provider


def _form_data(provider: Provider, **changes: object) -> dict[str, object]:
    """Everything the full provider form would post, from the provider as it is, with changes."""
    data: dict[str, object] = {
        "name": provider.name,
        "kind": provider.kind,
        "home_la": str(provider.home_la_id),
        "urn": "",
        "ukprn": provider.ukprn,
        "setting_type": provider.setting_type,
        "key_stages": provider.key_stages,
        "qualifications": provider.qualifications,
        "therapeutic_offer": provider.therapeutic_offer,
        "hours_per_week": provider.hours_per_week or "",
        "capacity": provider.capacity or "",
        "daily_rate": provider.daily_rate or "",
        "hourly_rate": provider.hourly_rate or "",
        "ofsted_judgement": provider.ofsted_judgement,
        "contact_email": provider.contact_email,
        "contact_phone": provider.contact_phone,
    }
    for name in ("offers_tier_1", "offers_tier_2", "offers_tier_3", "teaches_english_and_maths"):
        if getattr(provider, name):
            data[name] = "on"
    data.update(changes)
    return data


def test_another_las_officer_cannot_change_the_providers_name_or_contact(client, world, provider_x):
    client.force_login(world.officer_b)
    url = reverse("providers:edit", args=[provider_x.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        _form_data(
            provider_x,
            name='=HYPERLINK("x")',
            contact_email="h@hackney.example",
            version=provider_x.version,
        ),
    )
    assert response.status_code == 403
    provider_x.refresh_from_db()
    assert (provider_x.name, provider_x.contact_email) == ("Provider X", "office@x.example")
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    assert f'href="{url}"' not in body


def test_another_las_officer_changes_only_their_own_notes_and_rates(client, world, provider_x):
    client.force_login(world.officer_b)
    response = client.post(
        reverse("providers:relationship", args=[provider_x.pk]),
        {"notes": "Good with KS4", "agreed_daily_rate": "110.00", "agreed_hourly_rate": ""},
    )
    assert response.status_code == 302
    rows = {
        a.local_authority.code: (a.notes, a.agreed_daily_rate, a.agreed_hourly_rate)
        for a in provider_x.approvals.select_related("local_authority")
    }
    assert rows == {
        "838": ("Dorset's note", None, Decimal("28.00")),
        "204": ("Good with KS4", Decimal("110.00"), None),
    }
    event = AuditEvent.objects.get(
        object_type="providers.ProviderApproval", action=AuditAction.UPDATED
    )
    assert event.actor == world.officer_b
    assert event.changes["organisation"] == "Hackney Council"
    assert event.changes["fields"]["notes"] == {"old": "", "new": "Good with KS4"}
    # Hackney's page shows Hackney's notes, never Dorset's.
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    assert (
        "Good with KS4" in body and "Dorset&#39;s note" not in body and "Dorset's note" not in body
    )


def test_another_las_officer_cannot_move_standing_and_a_manager_moves_only_their_own(
    client, world, provider_x
):
    url = reverse("providers:approval", args=[provider_x.pk])
    standing = {
        "status": "NOT_APPROVED",
        "effective_date-day": "1",
        "effective_date-month": "10",
        "effective_date-year": "2026",
        "reason": "No safeguarding lead",
    }
    client.force_login(world.officer_b)
    assert client.post(url, standing).status_code == 403
    client.force_login(world.manager_a)
    assert client.post(url, standing).status_code == 302
    assert {
        a.local_authority.code: a.status
        for a in provider_x.approvals.select_related("local_authority")
    } == {"838": "NOT_APPROVED"}
    event = AuditEvent.objects.get(object_type="providers.ProviderApproval")
    assert event.changes["organisation"] == "Dorset Council"


def test_provider_staff_are_offered_and_change_only_their_contact_details_and_offer(
    client, world, provider_x
):
    client.force_login(world.provider_x)
    url = reverse("providers:edit", args=[provider_x.pk])
    form = client.get(url).context_data["form"]
    assert "contact_email" in form.fields and "offers_tier_2" in form.fields
    assert not {
        "name",
        "urn",
        "ukprn",
        "setting_type",
        "kind",
        "home_la",
        "ofsted_judgement",
    } & set(form.fields)
    response = client.post(
        url,
        _form_data(
            provider_x, name="Renamed", contact_phone="01305 111222", version=provider_x.version
        ),
    )
    assert response.status_code == 302
    provider_x.refresh_from_db()
    assert provider_x.contact_phone == "01305 111222"
    assert provider_x.name == "Provider X"  # not theirs to change: not in the form, not saved
    event = AuditEvent.objects.get(object_type="providers.Provider", action=AuditAction.UPDATED)
    assert event.changes["organisation"] == "Provider X"
    assert set(event.changes["fields"]) == {"contact_phone"}


def test_provider_staff_cannot_change_another_provider(client, world, provider_x):
    client.force_login(world.provider_z)
    url = reverse("providers:edit", args=[provider_x.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, _form_data(provider_x, contact_email="z@z.example", version=1)).status_code
        == 403
    )
    provider_x.refresh_from_db()
    assert provider_x.contact_email == "office@x.example"


def test_qa_lead_changes_registration_facts_audited_with_their_la(client, world, provider_x):
    client.force_login(world.qa_lead_a)
    url = reverse("providers:edit", args=[provider_x.pk])
    response = client.post(
        url,
        _form_data(
            provider_x,
            name="Provider X Learning",
            ofsted_judgement="2",
            **{"ofsted_date-day": "3", "ofsted_date-month": "3", "ofsted_date-year": "2026"},
            version=provider_x.version,
        ),
    )
    assert response.status_code == 302
    provider_x.refresh_from_db()
    assert (provider_x.name, provider_x.ofsted_judgement, provider_x.ofsted_date) == (
        "Provider X Learning",
        "2",
        dt.date(2026, 3, 3),
    )
    assert provider_x.organisation.name == "Provider X Learning"
    event = AuditEvent.objects.get(object_type="providers.Provider", action=AuditAction.UPDATED)
    assert event.actor == world.qa_lead_a and event.changes["organisation"] == "Dorset Council"
    assert event.changes["fields"]["name"] == {"old": "Provider X", "new": "Provider X Learning"}


@pytest.mark.parametrize("version", [None, "", "abc", "0", "99999999999"])
def test_a_provider_edit_without_a_good_version_saves_nothing_and_says_so(
    client, world, provider_x, version
):
    client.force_login(world.qa_lead_a)
    url = reverse("providers:edit", args=[provider_x.pk])
    data = _form_data(provider_x, name="Provider X Learning")
    if version is not None:
        data["version"] = version
    response = client.post(url, data)
    assert response.status_code == 200
    assert VERSION_MISSING in response.content.decode()
    provider_x.refresh_from_db()
    assert (provider_x.name, provider_x.version) == ("Provider X", 1)


def test_a_provider_edit_from_a_stale_page_is_refused_not_written_over(client, world, provider_x):
    client.force_login(world.qa_lead_a)
    url = reverse("providers:edit", args=[provider_x.pk])
    assert f'name="version" value="{provider_x.version}"' in client.get(url).content.decode()
    stale = provider_x.version
    assert (
        client.post(url, _form_data(provider_x, name="First save", version=stale)).status_code
        == 302
    )
    response = client.post(url, _form_data(provider_x, name="Second save", version=stale))
    assert response.status_code == 200
    assert "Someone else changed this provider" in response.content.decode()
    provider_x.refresh_from_db()
    assert provider_x.name == "First save"


@pytest.mark.parametrize(
    "persona",
    [
        "officer_a",
        "manager_a",
        "qa_lead_a",
        "officer_b",
        "provider_x",
        "provider_z",
        "school_y",
        "analyst",
    ],
)
def test_the_provider_page_links_only_to_changes_the_user_may_make(
    client, world, provider_x, persona
):
    client.force_login(getattr(world, persona))
    body = client.get(reverse("providers:detail", args=[provider_x.pk])).content.decode()
    for name in ("edit", "site_new", "approval", "relationship"):
        url = reverse(f"providers:{name}", args=[provider_x.pk])
        allowed = client.get(url).status_code == 200
        assert (f'href="{url}"' in body) == allowed, (persona, name)
