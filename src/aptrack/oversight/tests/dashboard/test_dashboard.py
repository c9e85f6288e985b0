"""The dashboard and drill-down pages: who may see them, the period form, and lists that match
their numbers and never show another LA's child."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse

from aptrack.oversight.dashboard import views
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.tests import dashboard_data
from aptrack.oversight.tests.dashboard_data import AUTUMN

dataset = dashboard_data.dataset
pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")
CHILDREN = reverse("oversight:children")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _names(response):
    return re.findall(r'href="/children/\d+/">([^<]+)</a>', response.content.decode())


def _listed(response):
    return int(re.search(r'role="status">(\d+) child', response.content.decode()).group(1))


@pytest.mark.parametrize("persona", ["manager_a", "officer_a", "qa_lead_a", "officer_b"])
def test_la_staff_see_their_own_las_dashboard(client, world, persona):
    response = _get(client, client and getattr(world, persona), DASHBOARD)
    assert response.status_code == 200
    la = getattr(world, persona).organisation.local_authority
    assert la.name in response.content.decode()
    assert 'role="img"' in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["provider_x", "school_y", "social_worker", "virtual_school_head_a", "panel_member", "analyst"],
)
def test_everyone_else_is_refused(client, world, persona):
    assert _get(client, getattr(world, persona), DASHBOARD).status_code == 403
    assert (
        _get(client, getattr(world, persona), CHILDREN, measure="children_in_ap").status_code == 403
    )


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "sign-in" in response.url


def test_dashboard_shows_the_figures_with_tables_and_links(client, world, dataset):
    response = _get(client, world.manager_a, DASHBOARD, period="this-term")
    html = response.content.decode()
    assert "Alternative provision oversight: Autumn term 2026" in html
    assert "Children in AP now" in html
    # Every table value links to the drill-down for the same period.
    links = re.findall(r'href="(/oversight/children/\?[^"]+)"', html)
    assert len(links) > 30
    assert all("period=this-term" in unescape(link) for link in links)
    assert '<caption class="govuk-table__caption' in html
    assert html.count('class="app-chart" id=') == len(
        re.findall(r'<h3 class="govuk-heading-s" id="[^"]+-heading"', html)
    )


def test_the_numbers_on_the_page_match_the_lists_behind_them(client, world, dataset):
    client.force_login(world.manager_a)
    html = client.get(DASHBOARD, {"period": "this-term"}).content.decode()
    checked = 0
    for href, shown in re.findall(r'href="(/oversight/children/\?[^"]+)"[^>]*>([\d,]+)<', html):
        url = urlparse(unescape(href))
        response = client.get(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})
        assert response.status_code == 200
        assert _listed(response) == int(shown.replace(",", "")), href
        checked += 1
    assert checked > 25


def test_drill_down_lists_the_children_behind_a_row(client, world, dataset):
    response = _get(
        client, world.manager_a, CHILDREN, period="this-term", measure="by_tier", value="3"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "By tier: Tier 3: transitional" in html
    assert _names(response) == [f"{dataset.c2.legal_last_name}, {dataset.c2.legal_first_name}"]
    assert "Far Tuition" in html


def test_drill_down_never_shows_another_las_child(client, world, dataset):
    def listed_ids(response):  # by id: generated names can repeat across LAs
        return {
            int(pk) for pk in re.findall(r'href="/children/(\d+)/">', response.content.decode())
        }

    dorset = _get(
        client, world.manager_a, CHILDREN, period="this-term", measure="children_in_ap_period"
    )
    hackney_ids = {world.child_b.pk, dataset.hackney_child.pk}
    assert not hackney_ids & listed_ids(dorset)
    assert _listed(dorset) == 5  # dataset's c1 to c4, and world's child_a
    hackney = _get(
        client, world.officer_b, CHILDREN, period="this-term", measure="children_in_ap_period"
    )
    assert listed_ids(hackney) == hackney_ids


def test_qa_leads_see_numbers_but_not_children(client, world, dataset):
    response = _get(client, world.qa_lead_a, CHILDREN, period="this-term", measure="children_in_ap")
    assert response.status_code == 200
    assert _names(response) == []
    assert "Your role shows figures, not children’s records" in response.content.decode()


def test_drill_down_is_paginated(client, world, dataset, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = _get(
        client, world.manager_a, CHILDREN, period="this-term", measure="children_in_ap_period"
    )
    assert len(_names(first)) == 2
    assert "page=2" in first.content.decode()
    third = client.get(
        CHILDREN, {"period": "this-term", "measure": "children_in_ap_period", "page": 3}
    )
    assert len(_names(third)) == 1


def test_a_wrong_period_shows_errors_and_no_figures(client, world):
    response = _get(
        client,
        world.manager_a,
        DASHBOARD,
        period="custom",
        **{"start-day": "31", "start-month": "2", "start-year": "2026"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Start date must be a real date" in html
    assert "Enter the end date of the period" in html
    assert "Headlines" not in html


def test_custom_periods_carry_into_the_drill_down(client, world, dataset):
    params = {
        "period": "custom",
        "start-day": "1",
        "start-month": "10",
        "start-year": "2026",
        "end-day": "31",
        "end-month": "10",
        "end-year": "2026",
    }
    html = _get(client, world.manager_a, DASHBOARD, **params).content.decode()
    assert "1 Oct 2026 to 31 Oct 2026" in html
    assert "start-day=1&amp;start-month=10" in html


@pytest.mark.parametrize(
    "params",
    [
        {"measure": "nonsense"},
        {"measure": "by_tier", "value": "9x"},
        {},
        {"measure": "by_tier", "period": "soon"},
    ],
)
def test_unknown_figures_are_not_found(client, world, params):
    assert _get(client, world.manager_a, CHILDREN, **params).status_code == 404


def test_the_dashboard_page_takes_a_bounded_number_of_queries(
    client, world, dataset, django_assert_max_num_queries
):
    client.force_login(world.manager_a)
    with django_assert_max_num_queries(50):
        assert client.get(DASHBOARD).status_code == 200


def test_the_now_cohort_is_chosen_on_the_form(client, world, dataset):
    html = _get(
        client, world.manager_a, DASHBOARD, period="this-term", cohort="now"
    ).content.decode()
    assert "Who is in AP now, and where" in html
    assert "cohort=now" in html
    board = build_dashboard(
        la=dataset.dorset, period=AUTUMN, today=dashboard_data.TODAY, cohort="now"
    )
    assert board.breakdown("by_tier").total == 4  # c1, c2, c4 and world's child_a
