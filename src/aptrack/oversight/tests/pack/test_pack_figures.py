"""The pack says what the dashboard says: every figure and breakdown row of the workbook and of
the PDF's page equals `build_dashboard`'s for the same LA, period and day; the publication copy
shows "c" for each that rests on 1 to 4 children."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.build import (
    MARKING_INTERNAL,
    MARKING_PUBLICATION,
    build_pack,
    every_figure,
)
from aptrack.oversight.pack.formatting import format_value
from aptrack.oversight.pack.pdf import pack_pdf, render_pack_html
from aptrack.oversight.pack.xlsx import UNIT_NAMES, pack_xlsx
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY, populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def dorset(world):
    populate(world)
    return la("838")


def _pack(authority, *, for_publication: bool):
    return build_pack(
        la=authority,
        period=AUTUMN,
        today=TODAY,
        for_publication=for_publication,
        generated_at=timezone.now(),
    )


def _cell(value, unit):
    if value is None or value == "c":
        return value
    if unit == "percent":
        return pytest.approx(float(Decimal(value) / 100))
    return pytest.approx(float(value))


def _expected(section):
    lines = [(f.label, f.value, f.unit, f.count, getattr(f, "of", None)) for f in section.figures]
    for breakdown in section.breakdowns:
        lines += [(r.label, r.value, breakdown.unit, r.count, None) for r in breakdown.rows]
    return lines


def _section_sheets(book, board):
    """Each section's sheet (names are cut to Excel's 31 characters; the title is in A2)."""
    sheets = book.worksheets[1:-1]
    assert [sheet["A2"].value for sheet in sheets] == [section.title for section in board.sections]
    return zip(board.sections, sheets, strict=True)


def _data_rows(sheet):
    units = set(UNIT_NAMES.values())
    return [
        (row[0], row[2]) for row in sheet.iter_rows(min_row=6, values_only=True) if row[1] in units
    ]


def test_internal_pack_figures_equal_the_dashboards(dorset):
    board = build_dashboard(la=dorset, period=AUTUMN, today=TODAY)
    pack = _pack(dorset, for_publication=False)
    assert every_figure(pack.dashboard) == every_figure(board)
    assert [line.figure for line in pack.headline] == board.headline()
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    assert book.sheetnames[0] == "Headline" and book.sheetnames[-1] == "Notes"
    headline = [
        (row[0], row[2])
        for row in book["Headline"].iter_rows(
            min_row=6, max_row=5 + len(board.headline()), values_only=True
        )
    ]
    assert headline == [(f.label, _cell(f.value, f.unit)) for f in board.headline()]
    checked = 0
    for section, sheet in _section_sheets(book, board):
        expected = [(label, _cell(value, unit)) for label, value, unit, _, _ in _expected(section)]
        assert _data_rows(sheet) == expected, section.key
        checked += len(expected)
    assert checked > 50
    assert book["Headline"]["A1"].value == MARKING_INTERNAL


def test_publication_pack_suppresses_every_small_number_and_what_would_give_one_back(dorset):
    board = build_dashboard(la=dorset, period=AUTUMN, today=TODAY)
    protected = suppression.suppress_dashboard(board)
    book = load_workbook(io.BytesIO(pack_xlsx(_pack(dorset, for_publication=True))))
    assert book["Headline"]["A1"].value == MARKING_PUBLICATION
    suppressed = secondary = 0
    for (section, sheet), hidden in zip(
        _section_sheets(book, board), protected.sections, strict=True
    ):
        cells = _data_rows(sheet)
        lines = zip(_expected(section), _expected(hidden), cells, strict=True)
        for (label, value, unit, count, of), (_, kept, *_), (shown_label, shown) in lines:
            assert shown_label == label
            small = suppression.is_small(count) or (unit == "percent" and suppression.is_small(of))
            if small:
                assert shown == "c", (section.key, label)
                suppressed += 1
            elif kept == "c":  # secondary: it would give a small number back by subtraction
                assert shown == "c", (section.key, label)
                secondary += 1
            else:
                assert shown == _cell(value, unit), (section.key, label)
    assert suppressed > 5  # the sample has plenty of small numbers
    assert 0 < secondary < suppressed * 2  # and hides a few more, not everything


def test_pdf_shows_the_dashboards_figures_and_its_marking(dorset):
    board = build_dashboard(la=dorset, period=AUTUMN, today=TODAY)
    internal = _pack(dorset, for_publication=False)
    html = render_pack_html(internal)
    assert MARKING_INTERNAL in html
    for figure in board.headline():
        assert f'<td class="num">{format_value(figure.value, figure.unit)}</td>' in html, figure.key
    assert "<svg" in html  # the dashboard's charts
    pdf = pack_pdf(internal)
    assert pdf.startswith(b"%PDF")
    published = _pack(dorset, for_publication=True)
    html = render_pack_html(published)
    assert MARKING_PUBLICATION in html and MARKING_INTERNAL not in html
    assert '<td class="num">c</td>' in html
    assert pack_pdf(published).startswith(b"%PDF")


def test_no_child_is_named_in_either_copy(dorset, world):
    for for_publication in (False, True):
        pack = _pack(dorset, for_publication=for_publication)
        html = render_pack_html(pack)
        book = load_workbook(io.BytesIO(pack_xlsx(pack)))
        text = " ".join(
            str(c.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if c.value
        )
        for child in (world.child_a, world.child_a2):
            for secret in (child.legal_last_name, child.upn):
                assert secret not in html and secret not in text
