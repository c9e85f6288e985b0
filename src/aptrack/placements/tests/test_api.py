import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.placements.models import Placement
from aptrack.placements.tests.factories import START, PlanFactory
from aptrack.providers.models import ProviderApproval

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _headers(user):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, user, path, payload):
    return client.post(
        f"/api/v1/placements{path}",
        data=json.dumps(payload),
        content_type="application/json",
        **_headers(user),
    )


def _payload(world, setting, **changes):
    payload = {
        "child_id": world.child_a2.pk,
        "referral_id": setting.referral.pk,
        "provider_id": setting.provider.pk,
        "site_id": setting.site.pk,
        "tier": 2,
        "start_date": START.isoformat(),
        "planned_end_date": (START + dt.timedelta(weeks=10)).isoformat(),
        "hours_per_week": "25",
        "exit_plan": "Back to school",
        "readiness_criteria": "Attending",
        "outcomes": [
            {"description": "Attend", "measure": "Register", "baseline": "40%", "target": "90%"}
        ],
    }
    payload.update(changes)
    return payload


def test_list_is_scoped_per_persona(client, world):
    for persona, visible in [
        (world.officer_a, {world.child_a.pk}),
        (world.officer_b, {world.child_b.pk}),
        (world.provider_x, {world.child_a.pk}),
        (world.analyst, set()),
    ]:
        response = client.get("/api/v1/placements", **_headers(persona))
        assert response.status_code == 200
        assert {row["child_id"] for row in response.json()["items"]} == visible


def test_one_placement_is_missing_outside_scope_and_its_view_audited(client, world):
    placement = Placement.objects.get(child=world.child_a)
    assert (
        client.get(f"/api/v1/placements/{placement.pk}", **_headers(world.officer_b)).status_code
        == 404
    )
    response = client.get(f"/api/v1/placements/{placement.pk}", **_headers(world.provider_x))
    assert response.status_code == 200
    assert response.json()["provider_name"] == "Provider X"
    assert AuditEvent.objects.filter(
        child_id=world.child_a.pk, action=AuditAction.VIEWED, channel="API"
    ).exists()


def test_officer_plans_a_placement(client, world, setting):
    response = _post(client, world.officer_a, "", _payload(world, setting))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["weekly_cost"], body["provider_id"]) == (
        "PLANNED",
        500.0,
        setting.provider.pk,
    )
    assert [o["description"] for o in body["outcomes"]] == ["Attend"]
    assert body["commissioning_la_code"] == "838"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_per_week": "41"}, "hours_per_week"),
        ({"planned_end_date": START.isoformat()}, "planned_end_date"),
        ({"site_id": 999999}, "site_id"),
        ({"child_id": 999999}, "child_id"),
    ],
)
def test_bad_input_answers_400_naming_the_field(client, world, setting, changes, field):
    response = _post(client, world.officer_a, "", _payload(world, setting, **changes))
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_paused_provider_answers_400(client, world, setting):
    ProviderApproval.objects.filter(provider=setting.provider).update(status="REFERRALS_PAUSED")
    response = _post(client, world.officer_a, "", _payload(world, setting))
    assert response.status_code == 400
    assert "no new placements" in response.json()["errors"]["provider_id"][0]


def test_non_compliant_provider_answers_400(client, world, setting):
    setting.non_compliant.add(setting.provider.pk)
    response = _post(client, world.officer_a, "", _payload(world, setting))
    assert response.status_code == 400
    assert "compliance evidence" in response.json()["errors"]["provider_id"][0]


def test_provider_staff_cannot_plan(client, world, setting):
    assert _post(client, world.provider_x, "", _payload(world, setting)).status_code == 403


def test_end_answers_409_on_a_stale_version_then_ends(client, world):
    placement = PlanFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        start_date=dt.date(2026, 7, 13),
    )
    end = {
        "end_date": "2026-07-17",
        "reason": "COMPLETED",
        "destination": "HOME_SCHOOL",
        "transition_plan": "Phased return",
    }
    assert (
        _post(client, world.officer_a, f"/{placement.pk}/end", {**end, "version": 9}).status_code
        == 409
    )
    bad = _post(
        client,
        world.officer_a,
        f"/{placement.pk}/end",
        {**end, "end_date": "2026-08-01", "version": 1},
    )
    assert bad.status_code == 400 and "end_date" in bad.json()["errors"]
    response = _post(client, world.officer_a, f"/{placement.pk}/end", {**end, "version": 1})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["destination"]) == ("ENDED", "HOME_SCHOOL")
    again = _post(client, world.officer_a, f"/{placement.pk}/end", {**end, "version": 2})
    assert again.status_code == 409  # a move its status does not allow, as for referrals
    assert "ended" in again.json()["detail"]


def test_other_la_cannot_end_and_provider_cannot_end(client, world):
    placement = Placement.objects.get(child=world.child_a)
    end = {
        "end_date": "2026-09-01",
        "reason": "COMPLETED",
        "destination": "HOME_SCHOOL",
        "transition_plan": "Phased",
        "version": 1,
    }
    assert _post(client, world.officer_b, f"/{placement.pk}/end", end).status_code == 404
    assert _post(client, world.provider_x, f"/{placement.pk}/end", end).status_code == 403


def test_start_a_planned_placement(client, world):
    placement = PlanFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        status="PLANNED",
        start_date=dt.date(2026, 9, 1),
    )
    response = _post(client, world.officer_a, f"/{placement.pk}/start", {"version": 1})
    assert response.status_code == 200 and response.json()["status"] == "ACTIVE"
