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


def _sent_exclusion(client, world) -> Notice:
    client.force_login(world.school_y)
    response = client.post(reverse("notices:exclusion_new"), _exclusion_form(timezone.localdate()))
    notice = Notice.objects.get(child__upn=NEW_UPN)
    # The school lands on the notice it sent.
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:detail", args=[notice.pk])
    return notice


def test_a_notice_shows_what_the_school_sent_and_links_to_what_it_started(client, world):
    notice = _sent_exclusion(client, world)
    url = reverse("notices:detail", args=[notice.pk])
    client.force_login(world.officer_a)
    listing = client.get(reverse("notices:list")).content.decode()
    assert f'href="{url}"' in listing
    page = client.get(url).content.decode()
    assert "Permanent exclusion: Ptolemy Gisborne" in page
    assert "PA: Physical assault against an adult" in page
    assert world.school_y.organisation.name in page and "Not arranged yet" in page
    assert f'href="{reverse("children:detail", args=[notice.child_id])}"' in page
    assert f'href="{reverse("referrals:detail", args=[notice.referral_id])}"' in page
    assert f'href="{reverse("notices:list")}"' in page  # the back link


def test_reading_a_notice_is_on_the_childs_audit_trail(client, world):
    from aptrack.audit.models import AuditAction, AuditEvent

    notice = _sent_exclusion(client, world)
    url = reverse("notices:detail", args=[notice.pk])
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 200
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=world.officer_a)
    assert list(viewed.values_list("child_id", "where")) == [(notice.child_id, url)]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a", 200),
        ("manager_a", 200),
        ("school_y", 200),
        ("officer_b", 404),  # another LA's officer
        ("provider_x", 403),
        ("social_worker", 403),
        ("analyst", 403),
    ],
)
def test_a_notice_is_read_by_its_school_and_the_childs_home_la_only(client, world, persona, status):
    notice = _sent_exclusion(client, world)
    client.force_login(getattr(world, persona))
    response = client.get(reverse("notices:detail", args=[notice.pk]))
    assert response.status_code == status
    assert ("Gisborne" in response.content.decode()) is (status == 200)


def test_another_school_does_not_read_the_notice(client, world):
    from aptrack.accounts.roles import Role
    from aptrack.accounts.tests.factories import UserFactory
    from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory

    notice = _sent_exclusion(client, world)
    la = world.child_a.home_la
    other = OrganisationFactory(
        kind="SCHOOL", local_authority=la, establishment=EstablishmentFactory(local_authority=la)
    )
    client.force_login(UserFactory(organisation=other, role=Role.SCHOOL_STAFF))
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404


def test_a_school_ap_notice_shows_the_provider_to_check_and_the_placement(client, world):
    client.force_login(world.school_y)
    client.post(
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
    notice = Notice.objects.get(kind="SCHOOL_AP")
    client.force_login(world.officer_a)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "Quayside Boxing Club" in page and "New provider: to check" in page
    assert "1 December 2026" in page and "15 January 2027" in page
    assert f'href="{reverse("placements:detail", args=[notice.placement_id])}"' in page


def test_an_empty_list_says_what_notices_are(client, world):
    client.force_login(world.officer_a)
    assert "No school has sent a notice" in client.get(reverse("notices:list")).content.decode()
    client.force_login(world.school_y)
    assert "Your school has sent no notices yet" in (
        client.get(reverse("notices:list")).content.decode()
    )
