"""Charts drawn on the server as SVG, so they work without JavaScript, print, and go into PDFs
(WeasyPrint draws inline SVG).

Accessibility: every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that lists
every value in words, is labelled by the visible heading above it (``aria-labelledby``), and
writes each value as text beside its bar, so nothing depends on colour (one colour, GOV.UK
blue, for every bar). The data table beside each chart (``panel``) is the accessible version
and links each value to the children behind it.

- ``bar_chart``: horizontal bars, one per row (breakdowns by tier, route, provider...);
- ``column_chart``: vertical columns, one per month;
- ``line_chart``: a line through the months, each point labelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from markupsafe import Markup, escape

from aptrack.oversight.measures.catalogue import Breakdown, Figure, Row

BLUE = "#1d70b8"  # GOV.UK blue
TEXT = "#0b0c0c"  # GOV.UK text colour
MID_GREY = "#b1b4b6"  # GOV.UK mid grey: axis
FONT = 'font-family="GDS Transport, arial, sans-serif"'

WIDTH = 520
LABEL_WIDTH = 200
VALUE_WIDTH = 80
VALUE_CHAR_WIDTH = 9  # a character of a bold 14px value, generously
BAR_HEIGHT = 22
GAP = 10
LINE_CHARS = 26  # a label wraps onto a second line after about this many characters
MAX_LABEL_CHARS = 2 * LINE_CHARS
MAX_BARS = 20  # a bar chart shows the first 20 rows; the table beside it has them all


# --- numbers as words -------------------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    return None


def format_value(value: Any, unit: str) -> str:
    """A value as the page shows it: 12, 57.5%, £12,345, 3.4 weeks; text (a suppressed "c") as is."""
    number = _number(value)
    if number is None:
        return "No data" if value is None else str(value)
    if unit == "percent":
        return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if unit == "gbp":
        return f"£{number.quantize(Decimal('1'), rounding=ROUND_HALF_UP):,}"
    if unit == "weeks":
        return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} weeks"
    if unit == "days":
        return f"{number:,} days"
    return f"{number:,}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def _short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """The label, or as many whole words as fit with an ellipsis."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _wrap(label: str) -> list[str]:
    """A label on one line, or two (the second shortened) when it is long."""
    if len(label) <= LINE_CHARS:
        return [label]
    first, rest = "", label
    for word in label.split(" "):
        if first and len(first) + 1 + len(word) > LINE_CHARS:
            break
        first = f"{first} {word}".strip()
    rest = label[len(first) :].strip()
    if not first:  # one very long word
        first, rest = label[:LINE_CHARS], label[LINE_CHARS:]
    return [first, _short(rest, LINE_CHARS)] if rest else [first]


def _describe(breakdown: Breakdown, rows: list[Row]) -> str:
    parts = [f"{row.label}: {format_value(row.value, breakdown.unit)}" for row in rows]
    hidden = len(breakdown.rows) - len(rows)
    more = f" The table lists {hidden} more." if hidden > 0 else ""
    return (
        (f"{breakdown.title}. " + "; ".join(parts) + "." + more)
        if parts
        else f"{breakdown.title}. No data."
    )


def _open_svg(
    chart_id: str, height: int, breakdown: Breakdown, rows: list[Row], labelledby: str | None
) -> str:
    labelled = escape(labelledby or f"{chart_id}-title")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{labelled}" aria-describedby="{escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-title">{escape(breakdown.title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(_describe(breakdown, rows))}</desc>'
    )


def _scale(rows: list[Row]) -> Decimal:
    values = [_number(row.value) or Decimal(0) for row in rows]
    top = max(values, default=Decimal(0))
    return top if top > 0 else Decimal(1)


# --- charts -------------------------------------------------------------------------------------------


def bar_chart(
    breakdown: Breakdown, *, chart_id: str | None = None, labelledby: str | None = None
) -> Markup:
    """Horizontal bars with the label on the left and the value as text at the end of each bar."""
    chart_id = chart_id or f"chart-{slug(breakdown.key)}"
    rows = breakdown.rows[:MAX_BARS]
    lines = [_wrap(row.label) for row in rows]
    tall = [BAR_HEIGHT + (16 if len(wrapped) > 1 else 0) for wrapped in lines]
    height = sum(t + GAP for t in tall) + GAP if rows else BAR_HEIGHT + 2 * GAP
    top = Decimal(100) if breakdown.unit == "percent" else _scale(rows)
    # Room for the longest value written after its bar (millions of pounds are wide).
    longest = max((len(format_value(row.value, breakdown.unit)) for row in rows), default=0)
    room = WIDTH - LABEL_WIDTH - max(VALUE_WIDTH, VALUE_CHAR_WIDTH * longest + 12)
    parts = [_open_svg(chart_id, height, breakdown, rows, labelledby)]
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" stroke="{MID_GREY}" stroke-width="1"/>'
    )
    y = GAP
    for row, wrapped, row_height in zip(rows, lines, tall, strict=True):
        middle = y + row_height / 2
        value = _number(row.value) or Decimal(0)
        length = int(room * min(value / top, Decimal(1))) if value > 0 else 0
        first_line = middle + 5 - (8 if len(wrapped) > 1 else 0)
        spans = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{first_line + 16 * i:.0f}">{escape(line)}</tspan>'
            for i, line in enumerate(wrapped)
        )
        parts.append(f'<text text-anchor="end" font-size="14" fill="{TEXT}">{spans}</text>')
        bar_y = middle - BAR_HEIGHT / 2
        if length:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y:.0f}" width="{length}" height="{BAR_HEIGHT}" fill="{BLUE}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle + 5:.0f}" font-size="14" font-weight="bold" '
            f'fill="{TEXT}">{escape(format_value(row.value, breakdown.unit))}</text>'
        )
        y += row_height + GAP
    if not rows:
        parts.append(
            f'<text x="{LABEL_WIDTH + 8}" y="{GAP + 16}" font-size="14" fill="{TEXT}">No data</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


COLUMN_AREA = 180
AXIS_LABELS = 40


def _columns(breakdown: Breakdown) -> tuple[list[Row], Decimal, float]:
    rows = breakdown.rows
    top = Decimal(100) if breakdown.unit == "percent" else _scale(rows)
    slot = (WIDTH - 20) / max(len(rows), 1)
    return rows, top, slot


def _month_label(label: str) -> tuple[str, str]:
    """ "Sep 2026" as two lines; any other label on one line."""
    first, _, second = label.partition(" ")
    return (first, second) if second.isdigit() else (label, "")


def _axis_labels(rows: list[Row], slot: float) -> list[str]:
    parts = []
    base = 20 + COLUMN_AREA
    for index, row in enumerate(rows):
        x = 10 + slot * index + slot / 2
        line_1, line_2 = _month_label(row.label)
        parts.append(
            f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="13" fill="{TEXT}">'
            f"{escape(_short(line_1, 10))}</text>"
        )
        if line_2:
            parts.append(
                f'<text x="{x:.1f}" y="{base + 32}" text-anchor="middle" font-size="12" fill="{TEXT}">'
                f"{escape(line_2)}</text>"
            )
    return parts


def column_chart(
    breakdown: Breakdown, *, chart_id: str | None = None, labelledby: str | None = None
) -> Markup:
    """Vertical columns (one a month), each with its value written above it."""
    chart_id = chart_id or f"chart-{slug(breakdown.key)}"
    rows, top, slot = _columns(breakdown)
    height = 20 + COLUMN_AREA + AXIS_LABELS
    base = 20 + COLUMN_AREA
    parts = [_open_svg(chart_id, height, breakdown, rows, labelledby)]
    parts.append(
        f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="{MID_GREY}" stroke-width="1"/>'
    )
    width = min(max(slot * 0.6, 4), 48)
    for index, row in enumerate(rows):
        value = _number(row.value) or Decimal(0)
        tall = float(COLUMN_AREA * min(value / top, Decimal(1))) if value > 0 else 0.0
        x = 10 + slot * index + (slot - width) / 2
        if tall:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - tall:.1f}" width="{width:.1f}" height="{tall:.1f}" fill="{BLUE}"/>'
            )
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{base - tall - 5:.1f}" text-anchor="middle" font-size="13" '
            f'font-weight="bold" fill="{TEXT}">{escape(format_value(row.value, breakdown.unit))}</text>'
        )
    parts += _axis_labels(rows, slot)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def line_chart(
    breakdown: Breakdown, *, chart_id: str | None = None, labelledby: str | None = None
) -> Markup:
    """A line through the values, each point marked and labelled with its value."""
    chart_id = chart_id or f"chart-{slug(breakdown.key)}"
    rows, top, slot = _columns(breakdown)
    height = 20 + COLUMN_AREA + AXIS_LABELS
    base = 20 + COLUMN_AREA
    points = []
    for index, row in enumerate(rows):
        value = _number(row.value) or Decimal(0)
        points.append(
            (10 + slot * index + slot / 2, base - float(COLUMN_AREA * min(value / top, Decimal(1))))
        )
    parts = [_open_svg(chart_id, height, breakdown, rows, labelledby)]
    parts.append(
        f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="{MID_GREY}" stroke-width="1"/>'
    )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    for (x, y), row in zip(points, rows, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{TEXT}">{escape(format_value(row.value, breakdown.unit))}</text>'
        )
    parts += _axis_labels(rows, slot)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


CHARTS = {"bar": bar_chart, "column": column_chart, "line": line_chart}


def chart(breakdown: Breakdown, **kwargs: Any) -> Markup:
    return CHARTS.get(breakdown.chart, bar_chart)(breakdown, **kwargs)


# --- what the templates render -----------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    label: str
    value: str
    count: int | None
    href: str | None
    share: str = ""  # "12.5%" of the breakdown's total, when it has one


@dataclass(frozen=True)
class Panel:
    """A breakdown ready for the ``oversight/_panel.html`` macro: heading, chart and table."""

    id: str
    heading_id: str
    title: str
    unit: str
    unit_heading: str
    group_heading: str
    share_heading: str  # "" when the breakdown has no total
    svg: Markup
    rows: list[TableRow]
    note: str
    shows_children: bool  # whether the value column already is the number of children


GROUP_HEADINGS = {
    "by_tier": "Tier",
    "spend_by_tier": "Tier",
    "by_route": "Route",
    "by_reason": "Primary reason",
    "by_provider_type": "Type of provider",
    "attendance_by_provider_type": "Type of provider",
    "by_provider_kind": "Kind of provision",
    "by_area": "Area",
    "by_provider": "Provider",
    "spend_by_provider": "Provider",
    "attendance_by_provider": "Provider",
    "by_year_group": "Year group",
    "by_sen": "Special educational needs",
    "by_looked_after": "Care",
    "by_fsm": "Free school meals",
    "by_sex": "Sex",
    "by_ethnicity": "Ethnicity",
    "referrals_by_month": "Month",
    "placements_by_month": "Month",
    "destinations": "Destination",
    "forecast_by_funder": "Funder",
    "forecast_by_tier": "Tier",
    "forecast_by_route": "Route",
    "forecast_by_provider_type": "Type of provider",
    "forecast_by_provider": "Provider",
    "cost_per_day_by_tier": "Tier",
    "cost_per_placement_by_tier": "Tier",
    "cost_per_sustained_by_tier": "Tier",
}
# The value column of a breakdown whose unit's heading would mislead ("Spend" for a unit cost).
VALUE_HEADINGS = {
    "cost_per_day_by_tier": "Cost per day",
    "cost_per_placement_by_tier": "Cost per placement",
    "cost_per_sustained_by_tier": "Cost per sustained return",
}
UNIT_HEADINGS = {
    "count": "Children",
    "percent": "Rate",
    "gbp": "Spend",
    "weeks": "Weeks",
    "days": "Days",
}


def _href(drill_prefix: str | None, query: str | None) -> str | None:
    if drill_prefix is None or not query:
        return None
    return f"{drill_prefix}{query}"


def _share(row: Row, total: int | None) -> str:
    number = _number(row.value)
    if not total or number is None:
        return ""
    return format_value((number * 100 / total), "percent")


def panel(breakdown: Breakdown, *, drill_prefix: str | None = None, id_prefix: str = "") -> Panel:
    """``drill_prefix`` is the drill-down URL with the period's query and a trailing "&"
    (``/oversight/children/?period=this-term&``); None leaves the table without links (a PDF)."""
    panel_id = f"{id_prefix}{slug(breakdown.key)}"
    heading_id = f"{panel_id}-heading"
    return Panel(
        id=panel_id,
        heading_id=heading_id,
        title=breakdown.title,
        unit=breakdown.unit,
        unit_heading=VALUE_HEADINGS.get(breakdown.key, UNIT_HEADINGS.get(breakdown.unit, "Value")),
        group_heading=GROUP_HEADINGS.get(breakdown.key, "Group"),
        share_heading=f"% of {breakdown.total}" if breakdown.total else "",
        svg=chart(breakdown, chart_id=f"{panel_id}-chart", labelledby=heading_id),
        rows=[
            TableRow(
                label=row.label,
                value=format_value(row.value, breakdown.unit),
                count=row.count,
                href=_href(drill_prefix, row.drilldown),
                share=_share(row, breakdown.total),
            )
            for row in breakdown.rows
        ],
        note=breakdown.note,
        shows_children=breakdown.unit == "count",
    )


@dataclass(frozen=True)
class FigureCard:
    key: str
    label: str
    value: str
    detail: str  # "130 of 160 children"
    href: str | None


def figure_card(figure: Figure, *, drill_prefix: str | None = None) -> FigureCard:
    detail = ""
    if figure.of is not None and figure.unit == "percent":
        detail = f"{figure.count} of {figure.of} {'child' if figure.of == 1 else 'children'}"
    elif figure.of is not None:
        detail = f"of {figure.of} {'child' if figure.of == 1 else 'children'}"
    elif figure.unit in ("weeks", "gbp") and figure.count is not None:
        detail = f"{figure.count} {'child' if figure.count == 1 else 'children'}"
    if figure.unit == "percent" and not figure.of:
        detail = ""
    return FigureCard(
        key=figure.key,
        label=figure.label,
        value=format_value(figure.value, figure.unit),
        detail=detail,
        href=_href(drill_prefix, figure.drilldown) if figure.count else None,
    )
