"""The service navigation in groups: a few entries in the bar whatever the role, each group's
pages as a sub navigation on its pages, and never a link that answers 403."""

import re

import pytest
from django.urls import reverse

from aptrack.children.models import Child
from aptrack.core import navigation as registry
from aptrack.core.context_processors import navigation
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db

PERSONAS = [
    "officer_a",
    "manager_a",
    "officer_b",
    "provider_x",
    "provider_z",
    "school_y",
    "social_worker",
    "virtual_school_head_a",
    "qa_lead_a",
    "panel_member",
    "analyst",
    "finance_a",
]
# Seven entries and the signed-in user's name fit one row of the bar at 1280px (the browser
# test measures it).
MOST_ENTRIES = 7


def _bar(client, user, url: str) -> tuple[str, dict]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), navigation(response.wsgi_request)


def _sub_navigation(body: str) -> list[tuple[str, bool]]:
    """(text, current) of each sub navigation link in the page."""
    if "app-sub-navigation" not in body:
        return []
    nav = body[body.index("app-sub-navigation") :]
    nav = nav[: nav.index("</nav>")]
    return [
        (text, bool(current))
        for current, text in re.findall(
            r'class="moj-sub-navigation__link" href="[^"]+"( aria-current="page")?>([^<]+)</a>',
            nav,
        )
    ]


def test_every_page_in_the_navigation_is_in_a_registered_group():
    groups = {group.key for group, _ in registry.navigation_groups(lambda name: True)}
    assert {item.group for item in registry.navigation_items()} == groups


def test_an_officer_has_seven_groups_and_their_pages_under_them(client, world):
    _, context = _bar(client, world.officer_a, reverse("core:home"))
    assert [item["text"] for item in context["navigation"]] == [
        "Children",
        "Referrals",
        "Placements",
        "Providers",
        "Commissioning",
        "Oversight",
        "Notifications",
    ]
    # A group's link is its first page the officer may open.
    hrefs = {item["text"]: item["href"] for item in context["navigation"]}
    assert hrefs["Commissioning"] == reverse("sufficiency:page")
    assert hrefs["Oversight"] == reverse("oversight:dashboard")


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_one_has_more_than_seven_entries_or_a_link_they_cannot_open(client, world, persona):
    user = getattr(world, persona)
    _, context = _bar(client, user, reverse("core:home"))
    assert len(context["navigation"]) <= MOST_ENTRIES
    for item in context["navigation"]:
        body, _ = _bar(client, user, item["href"])  # 200, or _bar fails
        for text, _current in _sub_navigation(body):
            href = re.search(rf'href="([^"]+)"(?: aria-current="page")?>{re.escape(text)}<', body)
            assert client.get(href.group(1)).status_code in {200, 302}, (persona, text)


def test_a_group_of_one_page_shows_that_pages_own_name(client, world):
    _, context = _bar(client, world.qa_lead_a, reverse("core:home"))
    texts = [item["text"] for item in context["navigation"]]
    # Attendance is the only Placements page a QA lead opens, Sufficiency the only
    # Commissioning one: the bar names the page, not a group that would mislead.
    assert texts == ["Attendance", "Providers", "Sufficiency", "Oversight", "Notifications"]


def test_the_sub_navigation_lists_the_groups_pages_and_marks_this_one(client, world):
    body, context = _bar(client, world.officer_a, reverse("placements:list"))
    assert _sub_navigation(body) == [
        ("Placements", True),
        ("Provider reports", False),
        ("Attendance", False),
        ("Alerts", False),
    ]
    placements = next(item for item in context["navigation"] if item["text"] == "Placements")
    assert placements["current"] and placements["active"]
    assert context["sub_navigation"]["label"] == "Placements pages"

    body, _ = _bar(client, world.officer_a, reverse("reports:overdue"))
    assert ("Provider reports", True) in _sub_navigation(body)


def test_the_longest_matching_address_is_the_current_page(client, world):
    # Contracts live under /invoices/contracts/: the page is Contracts, not Invoices.
    body, _ = _bar(client, world.finance_a, reverse("commissioning:contracts"))
    assert _sub_navigation(body) == [("Invoices", False), ("Contracts", True), ("Spend", False)]


def test_a_record_page_marks_its_group_without_a_sub_navigation(client, world):
    placement = Placement.objects.filter(child=world.child_a).first()
    for url in (
        reverse("placements:detail", args=[placement.pk]),
        # Under /reports/, not under any page of the bar: the app's group.
        reverse("reports:placement", args=[placement.pk]),
    ):
        body, context = _bar(client, world.officer_a, url)
        active = [item["text"] for item in context["navigation"] if item["active"]]
        assert active == ["Placements"], url
        assert not any(item["current"] for item in context["navigation"])
        assert "app-sub-navigation" not in body
        assert 'href="/placements/" aria-current="true"' in body


def test_a_page_outside_every_group_marks_none(client, world):
    child = Child.objects.get(pk=world.child_a.pk)
    placement = Placement.objects.filter(child=child).first()
    _, context = _bar(client, world.officer_a, reverse("documents:placement", args=[placement.pk]))
    assert not any(item["active"] for item in context["navigation"])


def test_the_providers_pages_include_quality_assurance_and_returns(client, world):
    body, _ = _bar(client, world.officer_a, reverse("providers:list"))
    assert _sub_navigation(body) == [
        ("Providers", True),
        ("Quality assurance", False),
        ("Returns", False),
    ]
