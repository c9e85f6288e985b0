import json

import pytest
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus


def _headers(user):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, user, path, payload=None):
    return client.post(
        f"/api/v1/referrals{path}",
        data=json.dumps(payload or {}),
        content_type="application/json",
        **_headers(user),
    )


def _payload(world, **overrides):
    payload = {
        "child_id": world.child_a.pk,
        "route": "PEX",
        "first_day_of_exclusion": "2026-11-02",
        "primary_reason": "PEX",
        "needs_summary": "Permanently excluded for persistent disruption",
        "family_views": "Want a fresh start",
        "child_views": "I want to do my GCSEs",
        "consent_given": True,
        "proposed_tier": 2,
        "estimated_weekly_cost": "520.00",
    }
    payload.update(overrides)
    return payload


def test_an_officer_starts_a_referral(client, world):
    response = _post(client, world.officer_a, "", _payload(world))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["commissioning_la_code"], body["estimated_weekly_cost"]) == (
        "DRAFT",
        "838",
        "520.00",
    )
    assert body["events"][0]["to_status"] == "DRAFT"
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, channel="API", child_id=world.child_a.pk
    ).exists()


def test_a_school_starts_a_referral_for_its_pupil(client, world):
    response = _post(
        client,
        world.school_y,
        "",
        _payload(
            world,
            route="EARLY_INTERVENTION",
            primary_reason="BEHAVIOUR",
            first_day_of_exclusion=None,
        ),
    )
    assert response.status_code == 201
    assert (
        response.json()["commissioning_school_urn"] == world.school_y.organisation.establishment.urn
    )


def test_bad_input_answers_400_naming_the_fields(client, world):
    response = _post(
        client,
        world.officer_a,
        "",
        _payload(world, first_day_of_exclusion=None, primary_reason="MEDICAL"),
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"first_day_of_exclusion", "primary_reason"}
    assert not Referral.objects.exists()


def test_schema_errors_answer_422(client, world):
    response = _post(client, world.officer_a, "", _payload(world, route="NOPE", proposed_tier=7))
    assert response.status_code == 422


def test_roles_that_cannot_refer_get_403_and_children_out_of_scope_404(client, world):
    assert _post(client, world.provider_x, "", _payload(world)).status_code == 403
    assert _post(client, world.panel_member, "", _payload(world)).status_code == 403
    assert _post(client, world.officer_b, "", _payload(world)).status_code == 404


def test_submitting_answers_400_until_ready_then_200_then_409(client, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a, consent_given=False)
    response = _post(client, world.officer_a, f"/{referral.pk}/submit")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"consent_given"}
    referral.consent_given = True
    referral.save()
    response = _post(client, world.officer_a, f"/{referral.pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "SUBMITTED"
    response = _post(client, world.officer_a, f"/{referral.pk}/submit")
    assert response.status_code == 409
    assert response.json()["detail"] == "This referral is submitted, so it cannot be submitted."


def test_withdrawing_needs_a_reason(client, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.ON_AGENDA)
    response = _post(client, world.officer_a, f"/{referral.pk}/withdraw", {"reason": " "})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = _post(
        client, world.officer_a, f"/{referral.pk}/withdraw", {"reason": "Exclusion overturned"}
    )
    assert response.status_code == 200
    assert response.json()["events"][0]["reason"] == "Exclusion overturned"
    assert (
        _post(client, world.officer_a, f"/{referral.pk}/withdraw", {"reason": "Again"}).status_code
        == 409
    )


def test_another_la_gets_404_and_the_school_403_on_an_la_referral(client, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    assert _post(client, world.officer_b, f"/{referral.pk}/submit").status_code == 404
    assert _post(client, world.school_y, f"/{referral.pk}/submit").status_code == 403
    assert (
        _post(client, world.analyst, f"/{referral.pk}/withdraw", {"reason": "x"}).status_code == 403
    )


def test_the_list_filters_by_status_and_views_are_audited(client, world):
    ReferralFactory(child=world.child_a, referrer=world.officer_a)
    submitted = ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=S.SUBMITTED)
    body = client.get("/api/v1/referrals?status=SUBMITTED", **_headers(world.officer_a)).json()
    assert [row["id"] for row in body["items"]] == [submitted.pk]
    client.get(f"/api/v1/referrals/{submitted.pk}", **_headers(world.manager_a))
    events = AuditEvent.objects.filter(action=AuditAction.VIEWED, child_id=world.child_a2.pk)
    assert {(event.channel, event.actor, event.where) for event in events} == {
        ("API", world.officer_a, "/api/v1/referrals"),
        ("API", world.manager_a, f"/api/v1/referrals/{submitted.pk}"),
    }
    assert not AuditEvent.objects.filter(
        action=AuditAction.VIEWED, child_id=world.child_a.pk
    ).exists()
