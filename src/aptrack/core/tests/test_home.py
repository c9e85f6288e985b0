"""The signed-in home page and the service navigation: what each role is pointed to."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from aptrack.alerts import services as alert_services
from aptrack.core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _nav(client, user) -> tuple[str, list[str]]:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    texts = [item["text"] for item in navigation(response.wsgi_request)["navigation"]]
    return response.content.decode(), texts


def test_officer_home_counts_open_alerts_and_links_to_oversight(client, world):
    # Monday 23 November 2026 at 10:00: child_a has no mark, so an alert is raised for LA A.
    alert_services.run_attendance_checks(
        at=dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    )
    body, nav = _nav(client, world.officer_a)
    assert "1 open attendance alert<" in body
    assert {"Placements", "Oversight"} <= set(nav)  # Alerts is one of the Placements pages
    for name in (
        "oversight:dashboard",
        "oversight:pack_request",
        "improvement:list",
        "census:home",
    ):
        assert f'href="{reverse(name)}"' in body


def test_analyst_is_pointed_to_the_regional_view_only(client, world):
    body, nav = _nav(client, world.analyst)
    # Their one oversight page is in the bar under its own name.
    assert nav == ["Providers", "Regional and national view", "Notifications"]
    assert reverse("oversight:regional") in body
    assert reverse("oversight:dashboard") + '"' not in body


def test_provider_staff_have_no_alerts_or_oversight(client, world):
    body, nav = _nav(client, world.provider_x)
    assert "Alerts" not in nav and "Oversight" not in nav
    assert nav == ["Children", "Placements", "Providers", "Invoices", "Notifications"]
    assert "open attendance" not in body
