"""The spend selectors on the hand-built case (`spend_case`): every figure in pounds and pence."""

import datetime as dt
from decimal import Decimal

import pytest

from aptrack.commissioning import spend
from aptrack.commissioning.tests import spend_case
from aptrack.commissioning.tests.spend_case import ON

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def case(world):
    return spend_case.build(world)


def _rows(result, dimension):
    return {
        row.label: (row.actual, row.committed, row.forecast, row.children)
        for row in result.breakdown(dimension)
    }


def test_the_financial_year_runs_april_to_march():
    assert spend.financial_year(dt.date(2027, 3, 31)).year == 2026
    year = spend.financial_year(dt.date(2026, 4, 1))
    assert (year.year, year.start, year.end) == (2026, dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert year.label == "April 2026 to March 2027" and year.short == "2026-27"


def test_actual_committed_and_forecast_against_the_budget(world, case):
    result = spend.get_spend(la_id=world.child_a.home_la_id, on=ON)
    assert result.year.year == 2026 and result.budget == D(20000)
    total = result.total
    assert (total.actual, total.committed, total.forecast) == (D("7800"), D("8260"), D("16060"))
    assert (total.children, total.placements, total.paid_placements) == (3, 3, 2)
    high_needs = result.high_needs
    assert (high_needs.actual, high_needs.committed, high_needs.forecast) == (
        D("7800"),
        D("4700"),
        D("12500"),
    )
    assert result.spent_share == D("39.0") and result.forecast_share == D("62.5")
    assert result.variance == D("-7500")
    assert result.unpriced == 1  # the world's placement of child A: no contract, no rate


def test_breakdowns(world, case):
    result = spend.get_spend(la_id=world.child_a.home_la_id, on=ON)
    assert _rows(result, spend.FUNDER) == {
        "LA high-needs block": (D("7800"), D("4700"), D("12500"), 2),
        "School": (D(0), D("3560"), D("3560"), 1),
    }
    assert [row.label for row in result.breakdown(spend.TIER)] == [
        "Tier 1: targeted support in a mainstream school",
        "Tier 2: time-limited placement with a planned return",
        "Tier 3: transitional placement to a new school or post-16",
        "Not recorded",
    ]
    tiers = {row.value: row.forecast for row in result.breakdown(spend.TIER)}
    assert tiers == {"1": D("3560"), "2": D("6400"), "3": D("6000"), "none": D("100")}
    assert _rows(result, spend.PROVIDER) == {
        "Harbour Learning": (D("7700"), D("4700"), D("12400"), 2),
        "Moorland Tuition": (D("100"), D("3560"), D("3660"), 1),
    }
    assert _rows(result, spend.PROVIDER_TYPE) == {
        "Registered (school) providers": (D("7700"), D("4700"), D("12400"), 2),
        "Unregistered (non-school) providers": (D("100"), D("3560"), D("3660"), 1),
    }
    assert _rows(result, spend.ROUTE) == {
        "Health needs (section 19)": (D("1700"), D("4700"), D("6400"), 1),
        "No referral recorded": (D("6100"), D("3560"), D("9660"), 2),
    }


def test_value_for_money(world, case):
    result = spend.get_spend(la_id=world.child_a.home_la_id, on=ON)
    total = result.total
    assert total.attended_days == D(67) and total.sustained == 1
    assert total.cost_per_attended_day == D("116.42")  # 7,800 / 67
    assert total.cost_per_placement == D("3900.00")
    assert total.cost_per_sustained_reintegration == D("7800.00")
    providers = {row.label: row for row in result.breakdown(spend.PROVIDER)}
    harbour = providers["Harbour Learning"]
    assert harbour.cost_per_attended_day == D("114.93")  # 7,700 / 67
    assert harbour.cost_per_placement == D("3850.00")
    assert harbour.cost_per_sustained_reintegration == D("7700.00")
    moorland = providers["Moorland Tuition"]
    assert moorland.cost_per_attended_day is None and moorland.cost_per_placement is None
    tiers = {row.value: row for row in result.breakdown(spend.TIER)}
    assert tiers["2"].cost_per_attended_day == D("100.00")  # 1,700 / 17 days
    assert tiers["3"].cost_per_sustained_reintegration == D("6000.00")
    assert tiers["2"].cost_per_sustained_reintegration is None


def test_children_behind_each_figure_and_row(world, case):
    la_id = world.child_a.home_la_id
    assert spend.children_behind(la_id=la_id, on=ON) == {
        case.child_a.pk,
        case.child_b.pk,
        case.child_c.pk,
    }
    assert spend.children_behind(la_id=la_id, on=ON, part=spend.HIGH_NEEDS) == {
        case.child_a.pk,
        case.child_c.pk,
    }
    assert spend.children_behind(la_id=la_id, on=ON, part=spend.ACTUAL) == {
        case.child_a.pk,
        case.child_c.pk,
    }
    assert spend.children_behind(la_id=la_id, on=ON, dimension=spend.TIER, value="1") == {
        case.child_b.pk
    }
    with pytest.raises(spend.UnknownGroup):
        spend.children_behind(la_id=la_id, on=ON, dimension="colour", value="1")


def test_another_la_sees_only_its_own(world, case):
    result = spend.get_spend(la_id=world.child_b.home_la_id, on=ON)
    assert result.total.actual == D("777") and result.budget == D(50000)
    assert case.child_a.pk not in spend.children_behind(la_id=world.child_b.home_la_id, on=ON)


def test_every_la_at_once_agrees(world, case):
    dorset, hackney = world.child_a.home_la_id, world.child_b.home_la_id
    found = spend.list_spend_by_la(la_ids=[dorset, hackney], on=ON)
    assert found[dorset] == spend.LaSpend(
        actual=7800, children=2, high_needs=7800, high_needs_children=2, budget=20000
    )
    assert found[hackney].actual == 777 and found[hackney].budget == 50000


def test_a_year_before_any_spend(world, case):
    result = spend.get_spend(la_id=world.child_a.home_la_id, on=dt.date(2026, 3, 31))
    assert result.year.year == 2025 and result.budget is None
    assert result.total.actual == 0 and result.forecast_share is None


def test_approving_lines_and_setting_a_budget_change_the_las_figures(world, case):
    from django.utils import timezone

    from aptrack.commissioning import services
    from aptrack.commissioning.models import HighNeedsBudget, InvoiceLine
    from aptrack.oversight.measures import store

    dorset, hackney = world.child_a.home_la_id, world.child_b.home_la_id
    before = store.versions([dorset, hackney])
    queried = InvoiceLine.objects.get(status="QUERIED")
    services.decide_lines(
        lines=[queried], decision="APPROVE", reason="Registers sent", by=world.finance_a,
        at=timezone.now(),
    )  # fmt: skip
    after = store.versions([dorset, hackney])
    assert after[dorset] != before[dorset] and after[hackney] == before[hackney]
    HighNeedsBudget.objects.filter(local_authority_id=dorset).update(amount=D(1))  # no signal
    budget = HighNeedsBudget.objects.get(local_authority_id=dorset)
    budget.save()
    assert store.versions([dorset])[dorset] != after[dorset]
