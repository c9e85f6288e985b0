"""The committee pack as a workbook: a headline sheet with the changes, a sheet per dashboard
section (its figures, then each breakdown as a table), and a notes sheet on suppression and
sources. Numbers are stored as numbers with formats; percentages as fractions shown as "0.0%".
Written through `core.exports`, so no text (a provider's name) becomes a live formula."""

import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from aptrack.core import exports
from aptrack.oversight.measures.catalogue import Section
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.build import Pack, group_header

FORMATS = {
    "count": "#,##0",
    "percent": "0.0%",
    "days": "#,##0.0",
    "weeks": "#,##0.0",
    "gbp": '"£"#,##0',
}
UNIT_NAMES = {
    "count": "number",
    "percent": "per cent",
    "days": "days",
    "weeks": "weeks",
    "gbp": "pounds",
}
CHANGE_FORMATS = {
    "count": "+#,##0;-#,##0;0",
    "percent": '+0.0" pts";-0.0" pts";0.0" pts"',
    "days": "+#,##0.0;-#,##0.0;0.0",
    "weeks": "+#,##0.0;-#,##0.0;0.0",
    "gbp": '+"£"#,##0;-"£"#,##0;"£"0',
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MARKING = Font(bold=True, color="D4351C")
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")
RIGHT = Alignment(horizontal="right")
WRAP = Alignment(wrap_text=True, vertical="top")


def pack_xlsx(pack: Pack) -> bytes:
    book = Workbook()
    headline = book.active
    assert headline is not None
    headline.title = "Headline"
    _headline_sheet(headline, pack)
    used = {"Headline", "Notes"}
    for section in pack.dashboard.sections:
        sheet = book.create_sheet(_sheet_name(section.title, used))
        _section_sheet(sheet, pack, section)
    _notes_sheet(book.create_sheet("Notes"), pack)
    for sheet in book.worksheets:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddHeader.center.text = pack.marking
        sheet.oddFooter.center.text = pack.marking
    book.properties.title = f"Committee pack: {pack.dashboard.la.name}, {pack.period.label}"
    book.properties.keywords = pack.marking
    return exports.workbook_bytes(book)


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Section"
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _preamble(sheet: Worksheet, pack: Pack, title: str) -> int:
    """Marking, title and period lines; returns the next free row."""
    sheet["A1"] = pack.marking
    sheet["A1"].font = MARKING
    sheet["A2"] = title
    sheet["A2"].font = TITLE
    sheet["A3"] = (
        f"{pack.dashboard.la.name}, {pack.period.label} "
        f"({pack.period.start:%-d %B %Y} to {pack.period.end:%-d %B %Y}); "
        f"'now' figures as at {pack.as_at:%-d %B %Y}"
    )
    return 5


def _header(sheet: Worksheet, row: int, names: list[str]) -> None:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: int | Decimal | str | None,
    unit: str,
    *,
    change: bool = False,
) -> None:
    """A number in its unit's format, "c" right-aligned, or blank for no data."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        cell.value = None
        return
    if suppression.is_suppressed(value):
        cell.value = suppression.SUPPRESSED
        cell.alignment = RIGHT
        return
    number = Decimal(value)
    if unit == "percent":
        number = number / 100
    cell.value = (
        int(number) if number == number.to_integral_value() and unit != "percent" else float(number)
    )
    cell.number_format = (CHANGE_FORMATS if change else FORMATS).get(unit, "General")


def _headline_sheet(sheet: Worksheet, pack: Pack) -> None:
    row = _preamble(sheet, pack, "Headline figures")
    term_label = pack.last_term.period.label if pack.last_term else "Last term"
    year_label = pack.last_year.period.label
    _header(
        sheet,
        row,
        [
            "Measure",
            "Unit",
            pack.period.label,
            term_label,
            f"Change on {term_label}" if pack.last_term else "Change on last term",
            year_label,
            f"Change on {year_label}",
        ],
    )
    sheet.freeze_panes = sheet.cell(row=row + 1, column=2)
    for line in pack.headline:
        row += 1
        unit = line.figure.unit
        sheet.cell(row=row, column=1, value=line.figure.label)
        sheet.cell(row=row, column=2, value=UNIT_NAMES.get(unit, unit))
        _put(sheet, row, 3, line.figure.value, unit)
        _put(sheet, row, 4, line.last_term.value if line.last_term else None, unit)
        _put(sheet, row, 5, line.change_on_term, unit, change=True)
        _put(sheet, row, 6, line.last_year.value if line.last_year else None, unit)
        _put(sheet, row, 7, line.change_on_year, unit, change=True)
    row += 2
    sheet.cell(
        row=row,
        column=1,
        value=(
            "Changes are this period's figure less the earlier one (percentage points for "
            "percentages). A blank means no data; 'c' means suppressed."
            if pack.last_term
            else "There is no change on last term: the period is not a single term. A blank means no data."
        ),
    ).alignment = WRAP
    _widths(sheet, [52, 12, 18, 18, 18, 18, 18])


def _section_sheet(sheet: Worksheet, pack: Pack, section: Section) -> None:
    row = _preamble(sheet, pack, section.title)
    if section.note:
        sheet.cell(row=row, column=1, value=section.note).alignment = WRAP
        row += 2
    if section.figures:
        _header(sheet, row, ["Measure", "Unit", pack.period.label])
        for figure in section.figures:
            row += 1
            sheet.cell(row=row, column=1, value=figure.label)
            sheet.cell(row=row, column=2, value=UNIT_NAMES.get(figure.unit, figure.unit))
            _put(sheet, row, 3, figure.value, figure.unit)
        row += 2
    for breakdown in section.breakdowns:
        sheet.cell(row=row, column=1, value=breakdown.title).font = BOLD
        row += 1
        _header(sheet, row, [group_header(breakdown), "Unit", pack.period.label])
        for line in breakdown.rows:
            row += 1
            sheet.cell(row=row, column=1, value=line.label)
            sheet.cell(row=row, column=2, value=UNIT_NAMES.get(breakdown.unit, breakdown.unit))
            _put(sheet, row, 3, line.value, breakdown.unit)
        if not breakdown.rows:
            row += 1
            sheet.cell(row=row, column=1, value="No data for the period")
        if breakdown.note:
            row += 1
            sheet.cell(row=row, column=1, value=breakdown.note).alignment = WRAP
        row += 2
    _widths(sheet, [52, 12, 18])


def _notes_sheet(sheet: Worksheet, pack: Pack) -> None:
    row = _preamble(sheet, pack, "Notes")
    for note in pack.notes:
        sheet.cell(row=row, column=1, value=note).alignment = WRAP
        row += 2
    computed = (
        f" from figures computed {pack.computed_at:%-d %B %Y at %H:%M}" if pack.computed_at else ""
    )
    sheet.cell(
        row=row, column=1, value=f"Produced {pack.generated_at:%-d %B %Y at %H:%M}{computed}."
    )
    _widths(sheet, [110])


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
