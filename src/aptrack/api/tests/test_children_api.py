import json

import pytest
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children import upn
from aptrack.children.models import Child

pytestmark = pytest.mark.django_db


def _headers(user):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, user, payload):
    return client.post(
        "/api/v1/children",
        data=json.dumps(payload),
        content_type="application/json",
        **_headers(user),
    )


PAYLOAD = {
    "legal_first_name": "Zara",
    "legal_last_name": "Synthetic",
    "date_of_birth": "2011-02-03",
    "sex": "F",
    "home_la_code": "838",
    "upn": upn.make("838", "4002", "22", "500"),
}


def test_officer_creates_a_child(client, world):
    response = _post(client, world.officer_a, PAYLOAD)
    assert response.status_code == 201
    assert response.json()["home_la_code"] == "838"
    assert Child.objects.filter(legal_last_name="Synthetic").exists()


def test_bad_input_answers_400_naming_the_field(client, world):
    response = _post(client, world.officer_a, {**PAYLOAD, "upn": "X123", "home_la_code": "000"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "home_la_code" in errors
    assert not Child.objects.filter(legal_last_name="Synthetic").exists()


def test_schema_errors_answer_422_with_the_location(client, world):
    response = _post(
        client, world.officer_a, {**PAYLOAD, "date_of_birth": "31/02/2011", "sex": "Q"}
    )
    assert response.status_code == 422
    locations = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert ("body", "payload", "date_of_birth") in locations
    assert ("body", "payload", "sex") in locations


def test_provider_cannot_create(client, world):
    assert _post(client, world.provider_x, PAYLOAD).status_code == 403


def test_detail_view_is_audited_as_api(client, world):
    client.get(f"/api/v1/children/{world.child_a.pk}", **_headers(world.provider_x))
    event = AuditEvent.objects.get(child_id=world.child_a.pk, action=AuditAction.VIEWED)
    assert event.channel == "API"
    assert event.actor == world.provider_x


def test_revoked_token_is_refused(client, world):
    record, token = account_services.issue_api_token(
        user=world.officer_a, name="old", at=timezone.now()
    )
    record.revoked_at = timezone.now()
    record.save()
    assert client.get("/api/v1/children", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_openapi_document_is_published(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/children" in document["paths"]


@pytest.mark.parametrize(
    "typed", ["H8012000010\uff101", "H80120000100\u00b2"], ids=["full-width", "superscript"]
)
def test_a_upn_with_non_ascii_digits_answers_400_naming_the_upn(client, world, typed):
    response = _post(client, world.officer_a, {**PAYLOAD, "upn": typed})
    assert response.status_code == 400
    assert "0 to 9 only" in " ".join(response.json()["errors"]["upn"])
    assert not Child.objects.filter(legal_last_name="Synthetic").exists()


def test_an_update_names_the_version_it_read_and_a_stale_missing_or_malformed_one_saves_nothing(
    client, world
):
    headers = _headers(world.officer_a)
    created = _post(client, world.officer_a, PAYLOAD).json()
    url = f"/api/v1/children/{created['id']}"

    def put(**changes):
        return client.put(
            url, data=json.dumps({**PAYLOAD, **changes}), content_type="application/json", **headers
        )

    for bad in ({}, {"version": "abc"}, {"version": 0}, {"version": 2**63}, {"version": None}):
        response = put(legal_first_name="Never", **bad)
        assert response.status_code == 422, bad  # a schema error, naming the field
        assert "version" in response.content.decode()
    assert put(legal_first_name="One", version=1).status_code == 200
    stale = put(legal_first_name="Two", version=1)
    assert stale.status_code == 409 and "Someone else changed this record" in stale.json()["detail"]
    assert Child.objects.get(pk=created["id"]).legal_first_name == "One"
