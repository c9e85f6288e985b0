"""The spend page as files: a CSV of every group (the totals, the budget and each breakdown's
rows with their value-for-money figures) and a workbook with a summary sheet and the same
table. Written through `core.exports`, so no provider's name becomes a live formula. Totals
only: no child is named."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from aptrack.commissioning.spend import DIMENSIONS, Group, Spend
from aptrack.core import exports

COLUMNS = [
    "financial_year",
    "as_at",
    "breakdown",
    "group",
    "children",
    "placements",
    "approved",
    "committed",
    "forecast",
    "attended_days",
    "cost_per_attended_day",
    "placements_paid_for",
    "cost_per_placement",
    "sustained_reintegrations",
    "cost_per_sustained_reintegration",
    "budget",
]
MONEY_COLUMNS = {
    "approved",
    "committed",
    "forecast",
    "cost_per_attended_day",
    "cost_per_placement",
    "cost_per_sustained_reintegration",
    "budget",
}


def _group_row(result: Spend, breakdown: str, group: Group) -> list[Any]:
    return [
        result.year.short,
        result.on,
        breakdown,
        group.label,
        group.children,
        group.placements,
        group.actual,
        group.committed,
        group.forecast,
        group.attended_days,
        group.cost_per_attended_day,
        group.paid_placements,
        group.cost_per_placement,
        group.sustained,
        group.cost_per_sustained_reintegration,
        None,
    ]


def rows(result: Spend) -> Iterator[list[Any]]:
    """The table both files hold, one list per row, in COLUMNS' order."""
    yield _group_row(result, "Total", result.total)
    yield _group_row(result, "Total", result.high_needs)
    budget: list[Any] = [None] * len(COLUMNS)
    budget[:4] = [result.year.short, result.on, "Budget", "AP budget (high-needs block)"]
    budget[-1] = result.budget
    yield budget
    for dimension in DIMENSIONS:
        for group in result.breakdown(dimension.key):
            yield _group_row(result, dimension.title, group)


def _text(name: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if name in MONEY_COLUMNS else str(value)
    return "" if value is None else value


def write_csv(result: Spend, stream: Any) -> None:
    writer = exports.csv_writer(stream)
    writer.writerow(COLUMNS)
    for row in rows(result):
        writer.writerow([_text(name, value) for name, value in zip(COLUMNS, row, strict=True)])


def workbook(result: Spend, *, la_name: str) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    high_needs = result.high_needs
    lines: list[tuple[str, Any, str]] = [
        ("Local authority", la_name, ""),
        ("Financial year", result.year.label, ""),
        ("As at", result.on, "d mmmm yyyy"),
        ("AP budget (high-needs block)", result.budget, "money"),
        ("High-needs spend approved", high_needs.actual, "money"),
        ("High-needs spend committed", high_needs.committed, "money"),
        ("High-needs forecast for the year", high_needs.forecast, "money"),
        ("Forecast as a share of the budget", result.forecast_share, "percent"),
        ("Forecast less budget (above 0: overspend)", result.variance, "money"),
        ("All funders: approved", result.total.actual, "money"),
        ("All funders: committed", result.total.committed, "money"),
        ("All funders: forecast", result.total.forecast, "money"),
        ("Placements with no weekly cost (not in committed)", result.unpriced, ""),
    ]
    summary["A1"] = "Spend and value for money"
    summary["A1"].font = Font(bold=True, size=14)
    for index, (label, value, kind) in enumerate(lines, start=3):
        summary.cell(row=index, column=1, value=label)
        cell = summary.cell(row=index, column=2)
        if kind == "percent" and value is not None:
            cell.value, cell.number_format = float(value / 100), "0.0%"
        elif kind == "money" and value is not None:
            cell.value, cell.number_format = float(value), '"£"#,##0.00'
        else:
            cell.value = value
            if kind:
                cell.number_format = kind
    summary.column_dimensions["A"].width = 52
    summary.column_dimensions["B"].width = 28
    table = book.create_sheet("Spend by group")
    for column, name in enumerate(COLUMNS, start=1):
        table.cell(row=1, column=column, value=name).font = Font(bold=True)
        table.column_dimensions[get_column_letter(column)].width = max(12, len(name) + 2)
    for row_number, row in enumerate(rows(result), start=2):
        for column, (name, value) in enumerate(zip(COLUMNS, row, strict=True), start=1):
            cell = table.cell(row=row_number, column=column)
            cell.value = float(value) if isinstance(value, Decimal) else value
            if name in MONEY_COLUMNS:
                cell.number_format = '"£"#,##0.00'
            elif name == "as_at":
                cell.number_format = "yyyy-mm-dd"
    table.freeze_panes = "E2"
    book.properties.title = f"AP spend, {la_name}, {result.year.label}"
    return exports.workbook_bytes(book)
