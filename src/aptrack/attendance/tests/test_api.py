"""POST /api/v1/attendance: a provider's token, batches of marks, per-row refusals."""

import json

import pytest
import time_machine
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.api import attendance as api_attendance
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, MarkBatch
from aptrack.attendance.tests.conftest import AT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]
URL = "/api/v1/attendance"


@pytest.fixture
def fixed_clock():
    with time_machine.travel(AT, tick=False):
        yield


def _token(user):
    return account_services.issue_api_token(user=user, name="MIS", at=timezone.now())[1]


def _post(client, payload, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)


def _mark(upn, **overrides):
    return {"upn": upn, "date": "2026-11-23", "session": "AM", "code": "/", **overrides}


def test_no_token_is_401(client, world):
    assert _post(client, {"marks": [_mark(world.child_a.upn)]}).status_code == 401
    assert _post(client, {"marks": []}, token="apt_not-a-token").status_code == 401


def test_a_token_that_is_not_a_providers_is_403(client, world):
    for user in (world.officer_a, world.school_y):
        response = _post(client, {"marks": [_mark(world.child_a.upn)]}, token=_token(user))
        assert response.status_code == 403
    assert not AttendanceMark.objects.exists()


def test_a_provider_records_a_batch_and_the_same_batch_again_changes_nothing(client, world):
    token = _token(world.provider_x)
    payload = {
        "marks": [
            _mark(world.child_a.upn),
            _mark(world.child_a.upn, session="PM", code="L", minutes_late=7),
        ]
    }
    first = _post(client, payload, token)
    assert first.status_code == 200
    assert first.json() | {"batch_id": 0} == {
        "batch_id": 0,
        "rows": 2,
        "created": 2,
        "changed": 0,
        "unchanged": 0,
    }
    assert MarkBatch.objects.get().channel == "API"
    again = _post(client, payload, token)
    assert again.json()["unchanged"] == 2
    payload["marks"][0]["code"] = "I"
    changed = _post(client, payload, token)
    assert changed.json()["changed"] == 1
    assert AttendanceMarkVersion.objects.get().code == "/"


def test_another_providers_child_is_refused_by_row_and_nothing_is_written(client, world):
    response = _post(
        client,
        {
            "marks": [
                _mark(world.child_a.upn),
                _mark(world.child_b.upn),
                _mark(world.child_a.upn, session="XX"),
            ]
        },
        _token(world.provider_x),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Nothing was recorded. 2 of 3 rows have problems."
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "upn"), (3, "session")]
    assert "no child with this UPN is placed with this provider" in body["errors"][0]["reason"]
    assert not AttendanceMark.objects.exists()


def test_bad_values_are_row_errors_not_malformed_requests(client, world):
    response = _post(
        client,
        {"marks": [_mark(world.child_a.upn, date="31/02/2026", minutes_late="soon")]},
        _token(world.provider_x),
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"date", "minutes_late"}


def test_batches_over_the_cap_are_413(client, world, monkeypatch):
    monkeypatch.setattr(api_attendance, "MAX_MARKS", 2)
    response = _post(client, {"marks": [_mark(world.child_a.upn)] * 3}, _token(world.provider_x))
    assert response.status_code == 413
    assert not MarkBatch.objects.exists()


def test_an_empty_batch_is_refused(client, world):
    response = _post(client, {"marks": []}, _token(world.provider_x))
    assert response.status_code == 400
    assert response.json()["errors"][0]["reason"] == "There are no marks to record"
