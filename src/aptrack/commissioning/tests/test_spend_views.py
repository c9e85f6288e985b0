"""The spend page: who sees it, that it shows the selectors' figures for the user's own LA
only, and its downloads."""

import csv
import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.commissioning.tests import spend_case
from aptrack.organisations.models import Organisation

pytestmark = pytest.mark.django_db
URL = "commissioning:spend"


@pytest.fixture
def case(world):
    with mock.patch("django.utils.timezone.localdate", return_value=spend_case.ON):
        yield spend_case.build(world)


def _get(client, user, **query):
    client.force_login(user)
    return client.get(reverse(URL), query)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("finance_a", 200),
        ("manager_a", 200),
        ("officer_a", 403),
        ("qa_lead_a", 403),
        ("provider_x", 403),
        ("school_y", 403),
        ("analyst", 403),
    ],
)
def test_who_may_see_the_spend_page(client, world, persona, status):
    assert _get(client, world.personas()[persona]).status_code == status


def test_the_page_shows_the_las_figures(client, world, case):
    response = _get(client, world.finance_a)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "April 2026 to March 2027",
        "27 November 2026",
        "£20,000",  # the budget
        "£7,800",  # approved (high-needs block)
        "£4,700",  # committed
        "£12,500",  # forecast
        "62.5% of the budget",
        "Forecast underspend",
        "£7,500",
        "£16,060.00",  # every funder's forecast
        "Harbour Learning",
        "£114.93",  # Harbour's cost per day attended
        "£3,850.00",  # Harbour's cost per placement
        "1 placement has no weekly cost",
    ):
        assert text in page, text
    assert "Ashdown" not in page and "Brackley" not in page  # no child named
    assert "£777" not in page  # Hackney's


def test_another_las_finance_officer_sees_none_of_it(client, world, case):
    hackney = Organisation.objects.get(name="Hackney Council")
    officer = UserFactory(organisation=hackney, role=Role.LA_FINANCE)
    page = _get(client, officer).content.decode()
    assert "£777" in page
    for text in ("£7,800", "Harbour Learning", "Moorland Tuition", "£20,000"):
        assert text not in page, text
    rows = list(csv.reader(io.StringIO(_get(client, officer, download="csv").content.decode())))
    assert not any("Harbour Learning" in row for row in rows)


def test_csv_download(client, world, case):
    response = _get(client, world.finance_a, year="2026", download="csv")
    assert response["Content-Disposition"] == 'attachment; filename="ap-spend-838-2026-27.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total, high_needs, budget = rows[:3]
    assert (total["approved"], total["committed"], total["forecast"]) == (
        "7800.00",
        "8260.00",
        "16060.00",
    )
    assert (total["attended_days"], total["cost_per_attended_day"]) == ("67", "116.42")
    assert high_needs["forecast"] == "12500.00" and budget["budget"] == "20000.00"
    harbour = next(r for r in rows if r["group"] == "Harbour Learning")
    assert (harbour["breakdown"], harbour["forecast"], harbour["cost_per_placement"]) == (
        "By provider",
        "12400.00",
        "3850.00",
    )


def test_workbook_download(client, world, case):
    response = _get(client, world.manager_a, download="xlsx")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["AP budget (high-needs block)"] == 20000
    assert summary["High-needs forecast for the year"] == 12500
    assert summary["Forecast as a share of the budget"] == pytest.approx(0.625)
    table = list(book["Spend by group"].iter_rows(values_only=True))
    assert table[1][3:9] == ("All", 3, 3, 7800, 8260, 16060)


def test_an_earlier_year_and_a_bad_one(client, world, case):
    page = _get(client, world.finance_a, year="2025").content.decode()
    assert "April 2025 to March 2026" in page and "31 March 2026" in page
    assert _get(client, world.finance_a, year="1999").status_code == 400
