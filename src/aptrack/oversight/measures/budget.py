"""Spend against the AP budget and value for money: the dashboard's (and so the committee pack's)
section on money, read from the spend selectors (`commissioning.spend`, the one owner of
actual, committed and forecast spend and of the cost per outcome; docs/rules.md).

For the financial year (April to March) that the period's last day so far falls in, as at that
day: the AP budget, the spend approved, committed and forecast, the high-needs forecast as a
share of the budget (a headline), the forecast broken down by funder, tier, route, type of
provider and provider, and the cost per day attended, per placement and per sustained return to
mainstream school by tier. Each figure and row counts the children behind it (for small-number
suppression) and drills down to them; the money itself stays on the finance page.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from aptrack.children.models import Child
from aptrack.commissioning import spend
from aptrack.oversight.measures.base import Context, UnknownValue, drill, drilldown, money
from aptrack.oversight.measures.catalogue import CATALOGUE, Breakdown, Figure, Row, Section

LABELS = dict(CATALOGUE)
SECTION_KEY = "budget"
# Figure key: the part of the spend whose children it lists.
FIGURE_PARTS = {
    "approved_spend": spend.ACTUAL,
    "committed_spend": spend.COMMITTED,
    "forecast_spend": spend.FORECAST,
    "budget_forecast": spend.HIGH_NEEDS,
}
# Breakdown key: the spend's dimension (the forecast's rows add up to `forecast_spend`).
FORECAST_BREAKDOWNS = {
    "forecast_by_funder": spend.FUNDER,
    "forecast_by_tier": spend.TIER,
    "forecast_by_route": spend.ROUTE,
    "forecast_by_provider_type": spend.PROVIDER_TYPE,
    "forecast_by_provider": spend.PROVIDER,
}
# Value-for-money breakdowns by tier: key -> (title, the Group's figure).
VALUE_BREAKDOWNS = {
    "cost_per_day_by_tier": ("Cost per day attended, by tier", "cost_per_attended_day"),
    "cost_per_placement_by_tier": ("Cost per placement paid for, by tier", "cost_per_placement"),
    "cost_per_sustained_by_tier": (
        "Cost per sustained return to mainstream school, by tier",
        "cost_per_sustained_reintegration",
    ),
}
TITLES = {
    "forecast_by_funder": "Forecast spend by funder",
    "forecast_by_tier": "Forecast spend by tier",
    "forecast_by_route": "Forecast spend by route into AP",
    "forecast_by_provider_type": "Forecast spend by type of provider",
    "forecast_by_provider": "Forecast spend by provider",
}


def _figure(key: str, value: Decimal | None, unit: str, children: int | None) -> Figure:
    return Figure(
        key,
        LABELS[key],
        value,
        unit,
        children,
        drill(key) if children else None,
    )


def section(ctx: Context) -> Section:
    result = spend.get_spend(la_id=ctx.la_id, on=ctx.to_date)
    total, high_needs = result.total, result.high_needs
    figures = [
        _figure(
            "ap_budget", money(result.budget) if result.budget is not None else None, "gbp", None
        ),
        _figure("approved_spend", money(total.actual), "gbp", total.paid_children),
        _figure("committed_spend", money(total.committed), "gbp", total.committed_children),
        _figure("forecast_spend", money(total.forecast), "gbp", total.children),
        _figure("budget_forecast", result.forecast_share, "percent", high_needs.children),
    ]
    breakdowns = [
        Breakdown(
            key,
            TITLES[key],
            "gbp",
            [
                Row(group.label, money(group.forecast), group.children, drill(key, group.value))
                for group in result.breakdown(dimension)
            ],
            "bar",
            note="Approved plus committed, every funder.",
        )
        for key, dimension in FORECAST_BREAKDOWNS.items()
    ]
    for key, (title, attribute) in VALUE_BREAKDOWNS.items():
        rows = [
            Row(
                group.label, getattr(group, attribute), group.paid_children, drill(key, group.value)
            )
            for group in result.breakdown(spend.TIER)
            if getattr(group, attribute) is not None
        ]
        breakdowns.append(
            Breakdown(key, title, "gbp", rows, "bar", note="From the invoice lines approved.")
        )
    return Section(
        SECTION_KEY,
        "Spend against the AP budget",
        figures,
        breakdowns,
        note=(
            f"Financial year {result.year.label}, as at {ctx.to_date:%-d %B %Y}. Approved: invoice lines approved for service in the "
            "year. Committed: each placement's weekly cost for the school weeks not yet invoiced "
            "and approved, to its planned end. Forecast: the two together. Only the high-needs "
            "block's part is set against the budget. The spend page (for managers and finance "
            "officers) has every figure and the downloads."
        ),
    )


@drilldown(*FIGURE_PARTS, *FORECAST_BREAKDOWNS, *VALUE_BREAKDOWNS)
def _budget_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    if key in FIGURE_PARTS:
        ids = spend.children_behind(la_id=ctx.la_id, on=ctx.to_date, part=FIGURE_PARTS[key])
    else:
        dimension = FORECAST_BREAKDOWNS.get(key, spend.TIER)
        part = spend.FORECAST if key in FORECAST_BREAKDOWNS else spend.ACTUAL
        ids = spend.children_behind(
            la_id=ctx.la_id, on=ctx.to_date, part=part, dimension=dimension, value=value or ""
        )
    if value is not None and key not in FIGURE_PARTS and not ids:
        raise UnknownValue(value)
    return Child.objects.filter(pk__in=ids)
