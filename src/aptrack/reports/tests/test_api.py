import pytest
import time_machine
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.alerts.models import Alert
from aptrack.reports.models import ProviderReport
from aptrack.reports.tests.conftest import AT, AUTUMN_1

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(AT, tick=False):
        yield


def _token(user) -> dict[str, str]:
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _report(placement, outcome) -> dict:
    return {
        "placement_id": placement.pk,
        "half_term_start": AUTUMN_1.isoformat(),
        "english": "Reads a chapter a week",
        "maths": "Fractions",
        "wellbeing": "Settled",
        "next_steps": "GCSE English",
        "child_words": "Nobody shouts",
        "progress": [{"outcome_id": outcome.pk, "score": 3}],
    }


def test_a_provider_system_sends_a_report(client, world, placement, outcome):
    response = client.post(
        "/api/v1/reports",
        _report(placement, outcome),
        content_type="application/json",
        **_token(world.provider_x),
    )
    assert response.status_code == 201, response.content
    assert response.json()["half_term_name"] == "Autumn 1"
    assert response.json()["progress"] == [{"outcome_id": outcome.pk, "score": 3, "note": ""}]
    listed = client.get("/api/v1/reports", **_token(world.officer_a)).json()
    assert [item["child_words"] for item in listed["items"]] == ["Nobody shouts"]
    assert client.get("/api/v1/reports", **_token(world.officer_b)).json()["items"] == []


def test_only_the_provider_sends_reports_and_errors_name_the_field(
    client, world, placement, outcome
):
    body = _report(placement, outcome)
    assert (
        client.post(
            "/api/v1/reports", body, content_type="application/json", **_token(world.officer_a)
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/reports", body, content_type="application/json", **_token(world.provider_z)
        ).status_code
        == 404
    )
    body["half_term_start"] = "2027-01-04"
    refused = client.post(
        "/api/v1/reports", body, content_type="application/json", **_token(world.provider_x)
    )
    assert refused.status_code == 400
    assert "half_term" in refused.json()["errors"]
    assert not ProviderReport.objects.exists()


def test_a_safeguarding_concern_through_the_api_alerts_the_la(client, world, placement):
    response = client.post(
        "/api/v1/incidents",
        {
            "placement_id": placement.pk,
            "category": "SAFEGUARDING",
            "occurred_at": "2026-11-05T09:00:00",  # no offset: UK time
            "what_happened": "Disclosure",
            "actions_taken": "DSL told",
        },
        content_type="application/json",
        **_token(world.provider_x),
    )
    assert response.status_code == 201, response.content
    assert response.json()["alert_raised"] is True
    assert Alert.objects.get().local_authority_id == world.child_a.home_la_id
    assert len(client.get("/api/v1/incidents", **_token(world.social_worker)).json()["items"]) == 1
    assert client.get("/api/v1/incidents", **_token(world.school_y)).json()["items"] == []
