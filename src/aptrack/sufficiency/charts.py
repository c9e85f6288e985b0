"""The sufficiency page's charts, drawn by the dashboard's SVG bar chart (accessible: a title,
a description listing every value, and each value written beside its bar)."""

from decimal import Decimal

from markupsafe import Markup

from aptrack.oversight.dashboard.charts import bar_chart
from aptrack.oversight.measures.catalogue import Breakdown, Row
from aptrack.sufficiency.selectors import Line, Sufficiency


def _chart(key: str, title: str, rows: list[tuple[str, int | Decimal]], unit: str) -> Markup:
    breakdown = Breakdown(
        key=key,
        title=title,
        unit=unit,
        rows=[Row(label=label, value=value, count=0, drilldown=None) for label, value in rows],
        chart="bar",
    )
    return bar_chart(breakdown, chart_id=f"chart-{key}", labelledby=f"{key}-heading")


def page_charts(result: Sufficiency) -> dict[str, Markup]:
    projection = result.projection
    terms: list[tuple[str, int | Decimal]] = [(t.label, n) for t, n in projection.terms]
    terms[-1] = (f"{terms[-1][0]} (so far)", terms[-1][1])
    terms.append((f"{projection.next_term.label} (projected)", projection.projected))
    by_tier: list[Line] = result.breakdowns["tier"]
    by_stage: list[Line] = result.breakdowns["key_stage"]
    return {
        "trend": _chart("trend", "Referrals by term, with next term projected", terms, "count"),
        "awaiting": _chart(
            "awaiting",
            "Children awaiting placement and vacancies, by tier",
            [
                row
                for line in by_tier
                for row in (
                    (f"{line.label}: awaiting", line.awaiting),
                    (f"{line.label}: vacancies", line.vacancies),
                )
            ],
            "count",
        ),
        "waits": _chart(
            "waits",
            "Median wait from referral to start, in days, by key stage",
            [(line.label, line.median_wait) for line in by_stage if line.median_wait is not None],
            "days",
        ),
    }
