"""Requests the API refuses before reading them: bodies over Django's upload limit."""

import json

import pytest
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.attendance.models import MarkBatch

pytestmark = pytest.mark.django_db


def test_a_body_over_the_upload_limit_is_413_with_the_reason(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    token = account_services.issue_api_token(user=world.provider_x, name="MIS", at=timezone.now())[
        1
    ]
    mark = {
        "upn": world.child_a.upn,
        "date": "2026-11-23",
        "session": "AM",
        "code": "/",
        "comment": "x" * 200,
    }
    response = client.post(
        "/api/v1/attendance",
        data=json.dumps({"marks": [mark] * 100}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 413
    assert "over the 10 KB limit" in response.json()["detail"]
    assert not MarkBatch.objects.exists()
