"""Recording reads costs one insert per request, however many children were shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children import upn
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _audit_queries(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"] for query in queries.captured_queries if "audit_auditevent" in query["sql"]
    ]


def test_a_web_search_costs_one_extra_query(client, world):
    client.force_login(world.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("children:list"), {"q": world.child_a.upn})
    assert response.status_code == 200
    audit = _audit_queries(queries)
    assert len(audit) == 1 and audit[0].startswith("INSERT")
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED).count() == 1


def test_a_thousand_child_api_page_costs_one_extra_query(client, world):
    Child.objects.bulk_create(
        ChildFactory.build(
            home_la=world.child_a.home_la, upn=upn.make("838", "4100", "24", f"{n:03d}")
        )
        for n in range(1000)
    )
    _, token = account_services.issue_api_token(user=world.officer_a, name="MIS", at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v1/children", {"limit": 1000}, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert response.status_code == 200
    shown = {item["id"] for item in response.json()["items"]}
    assert len(shown) == 1000
    audit = _audit_queries(queries)
    assert len(audit) == 1 and audit[0].startswith("INSERT")
    recorded = AuditEvent.objects.filter(action=AuditAction.VIEWED, where="/api/v1/children")
    assert set(recorded.values_list("child_id", flat=True)) == shown
    assert recorded.count() == 1000
