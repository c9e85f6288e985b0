import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.children import upn
from aptrack.children.models import Child
from aptrack.notices.models import Notice
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db

NEW_UPN = upn.make("838", "4101", "21", "778")


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def _exclusion_form(first_day):
    return {
        "upn": NEW_UPN,
        "legal_first_name": "Ptolemy",
        "legal_last_name": "Gisborne",
        **_date("date_of_birth", dt.date(2012, 2, 2)),
        "sex": "M",
        "kind": "PEX",
        **_date("first_day", first_day),
        "exclusion_reason": "PA",
    }


def test_a_school_notifies_an_exclusion_and_the_la_sees_it_on_the_caseworker_home(client, world):
    today = timezone.localdate()
    client.force_login(world.school_y)
    assert client.get(reverse("notices:exclusion_new")).status_code == 200
    response = client.post(reverse("notices:exclusion_new"), _exclusion_form(today))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Notice.objects.filter(child__upn=NEW_UPN).exists()

    client.force_login(world.officer_a)
    home = client.get(reverse("placements:home")).content.decode()
    assert "Gisborne" in home
    listing = client.get(reverse("notices:list")).content.decode()
    assert "Gisborne" in listing and "Physical assault against an adult" in listing


def test_a_bad_exclusion_form_names_the_field_and_writes_nothing(client, world):
    client.force_login(world.school_y)
    data = _exclusion_form(timezone.localdate())
    data["upn"] = "A123"
    response = client.post(reverse("notices:exclusion_new"), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Child.objects.filter(legal_last_name="Gisborne").exists()


def test_a_school_tells_the_la_of_ap_it_commissions(client, world):
    client.force_login(world.school_y)
    response = client.post(
        reverse("notices:school_ap_new"),
        {
            "upn": world.child_a.upn,
            "provider_name": "Quayside Boxing Club",
            "provider_address": "2 Quay Road",
            "provider_postcode": "DT4 8AA",
            **_date("start_date", dt.date(2026, 12, 1)),
            "hours_per_week": "10",
            "ap_reason": "BEHAVIOUR",
            **_date("review_date", dt.date(2027, 1, 15)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    placement = Placement.objects.get(commissioning_school=world.school_y.organisation)
    client.force_login(world.officer_a)
    listing = client.get(reverse("notices:list")).content.decode()
    assert "Quayside Boxing Club" in listing and "New provider: to check" in listing
    assert client.get(reverse("placements:detail", args=[placement.pk])).status_code == 200
    # The LA's pages take a placement with no commissioning LA in their stride.
    assert client.get(reverse("placements:home")).status_code == 200
    assert client.get(reverse("placements:list")).status_code == 200
    assert client.get(reverse("oversight:dashboard")).status_code == 200
    assert client.get(reverse("children:detail", args=[world.child_a.pk])).status_code == 200
    client.force_login(world.school_y)
    assert client.get(reverse("placements:detail", args=[placement.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["officer_a", "provider_x", "social_worker", "analyst"])
def test_only_school_staff_open_the_notice_forms(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("notices:exclusion_new")).status_code == 403
    assert client.get(reverse("notices:school_ap_new")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_a", 200), ("school_y", 200), ("provider_x", 403), ("qa_lead_a", 403)],
)
def test_who_reads_the_notices(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("notices:list")).status_code == status


def test_another_las_officer_does_not_see_the_notice(client, world):
    client.force_login(world.school_y)
    client.post(reverse("notices:exclusion_new"), _exclusion_form(timezone.localdate()))
    client.force_login(world.officer_b)
    assert "Gisborne" not in client.get(reverse("notices:list")).content.decode()


def _api(client, user, payload):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return client.post(
        "/api/v1/notices",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


API_EXCLUSION = {
    "kind": "PEX",
    "upn": NEW_UPN,
    "legal_first_name": "Ptolemy",
    "legal_last_name": "Gisborne",
    "date_of_birth": "2012-02-02",
    "sex": "M",
    "first_day": "2026-12-01",
    "exclusion_reason": "VA",
    "governors_meeting_date": "2026-12-12",
}


def test_a_school_system_posts_an_exclusion_notice(client, world):
    response = _api(client, world.school_y, API_EXCLUSION)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "PEX" and body["home_la_code"] == "838"
    assert body["referral_id"] is not None


def test_a_school_system_posts_school_ap_by_urn_and_bad_input_names_the_field(client, world):
    response = _api(
        client,
        world.school_y,
        {
            "kind": "SCHOOL_AP",
            "upn": world.child_a.upn,
            "provider_urn": "999998",
            "start_date": "2026-12-01",
            "hours_per_week": "12.5",
            "ap_reason": "MEDICAL",
            "review_date": "2027-01-10",
        },
    )
    assert response.status_code == 400
    assert "provider_urn" in response.json()["errors"]


@pytest.mark.parametrize("persona", ["officer_a", "provider_x"])
def test_only_a_schools_token_posts_notices(client, world, persona):
    assert _api(client, getattr(world, persona), API_EXCLUSION).status_code == 403
    assert not Notice.objects.exists()


def test_an_la_system_reads_its_notices_and_another_las_does_not(client, world):
    assert _api(client, world.school_y, API_EXCLUSION).status_code == 201
    for persona, expected in (("officer_a", [NEW_UPN]), ("officer_b", []), ("school_y", [NEW_UPN])):
        _, token = account_services.issue_api_token(
            user=getattr(world, persona), name="LA", at=timezone.now()
        )
        response = client.get("/api/v1/notices", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        assert [item["upn"] for item in response.json()["items"]] == expected
    _, token = account_services.issue_api_token(user=world.provider_x, name="P", at=timezone.now())
    assert client.get("/api/v1/notices", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
