"""The spend page's chart: the high-needs forecast against the AP budget, drawn on the server as
SVG in the dashboard's style (GOV.UK blue bars, each value written beside its bar, a title and a
description listing every value, labelled by the heading above it), so it works without
JavaScript and nothing depends on colour."""

from decimal import Decimal

from markupsafe import Markup, escape

from aptrack.commissioning.spend import Spend
from aptrack.core.govuk.formatting import gbp

BLUE = "#1d70b8"  # GOV.UK blue: approved
LIGHT_BLUE = "#5694ca"  # GOV.UK light blue: committed
TEXT = "#0b0c0c"
MID_GREY = "#b1b4b6"
FONT = 'font-family="GDS Transport, arial, sans-serif"'
WIDTH, LABEL, VALUE, BAR, GAP = 680, 170, 230, 24, 14


def budget_chart(result: Spend, *, chart_id: str, labelledby: str) -> Markup:
    """Bars for the budget, the approved spend, and the forecast (approved then committed)."""
    high_needs = result.high_needs
    budget = result.budget
    rows: list[tuple[str, list[tuple[Decimal, str]], str]] = [
        ("AP budget", [(budget or Decimal(0), BLUE)], gbp(budget, pence=False, empty="None set")),
        ("Approved so far", [(high_needs.actual, BLUE)], gbp(high_needs.actual, pence=False)),
        (
            "Forecast",
            [(high_needs.actual, BLUE), (high_needs.committed, LIGHT_BLUE)],
            f"{gbp(high_needs.forecast, pence=False)} "
            f"({gbp(high_needs.committed, pence=False)} committed)",
        ),
    ]
    top = max([budget or Decimal(0), high_needs.forecast, Decimal(1)])
    room = WIDTH - LABEL - VALUE
    height = len(rows) * (BAR + GAP) + GAP
    title = "High-needs spend on AP against the budget"
    desc = (
        f"{title}, {result.year.label}. "
        + "; ".join(f"{label}: {text}" for label, _, text in rows)
        + "."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{escape(chart_id)}" '
        f'role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{escape(labelledby)}" '
        f'aria-describedby="{escape(chart_id)}-desc" {FONT}>'
        f"<title>{escape(title)}</title>"
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<line x1="{LABEL}" y1="0" x2="{LABEL}" y2="{height}" stroke="{MID_GREY}"/>',
    ]
    y = GAP
    for label, segments, text in rows:
        middle = y + BAR / 2
        parts.append(
            f'<text x="{LABEL - 8}" y="{middle + 5:.0f}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        x = float(LABEL)
        for amount, colour in segments:
            length = float(room * min(amount / top, Decimal(1))) if amount > 0 else 0.0
            if length:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{colour}"/>'
                )
            x += length
        parts.append(
            f'<text x="{x + 6:.1f}" y="{middle + 5:.0f}" font-size="14" font-weight="bold" '
            f'fill="{TEXT}">{escape(text)}</text>'
        )
        y += BAR + GAP
    if budget:
        at = LABEL + float(room * min(budget / top, Decimal(1)))
        parts.append(
            f'<line x1="{at:.1f}" y1="0" x2="{at:.1f}" y2="{height}" stroke="{TEXT}" '
            f'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
