"""The workbook: a headline sheet with changes, a sheet per section, notes; numbers as numbers
with formats; "c" wherever a publication copy suppresses. Built from a hand-made dashboard so
every cell can be checked (test_pack_figures.py checks the real dashboard)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.pack.build import MARKING_INTERNAL, MARKING_PUBLICATION, build_pack, change
from aptrack.oversight.pack.xlsx import pack_xlsx
from aptrack.oversight.tests.pack_samples import patch_build_dashboard

pytestmark = pytest.mark.django_db
AUTUMN = Period.term(2026, 0)
TODAY = dt.date(2026, 11, 23)


def _book(monkeypatch: pytest.MonkeyPatch, *, for_publication: bool, period: Period = AUTUMN):
    patch_build_dashboard(monkeypatch)
    pack = build_pack(
        la=la("838"),
        period=period,
        today=TODAY,
        for_publication=for_publication,
        generated_at=timezone.now(),
    )
    return pack, load_workbook(io.BytesIO(pack_xlsx(pack)))


def _rows(sheet) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]}


def test_pack_compares_with_last_term_and_last_year_at_the_same_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = patch_build_dashboard(monkeypatch)
    build_pack(
        la=la("838"), period=AUTUMN, today=TODAY, for_publication=False, generated_at=timezone.now()
    )
    assert calls == [
        (AUTUMN, TODAY),  # 83 days into the Autumn term
        (Period.term(2025, 2), dt.date(2026, 6, 23)),  # 83 days into the Summer term
        (Period.term(2025, 0), dt.date(2025, 11, 23)),  # Autumn 2025 to 23 November, not all of it
    ]


def test_a_finished_period_is_compared_with_whole_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = patch_build_dashboard(monkeypatch)
    build_pack(
        la=la("838"),
        period=AUTUMN,
        today=dt.date(2027, 2, 1),
        for_publication=False,
        generated_at=timezone.now(),
    )
    assert calls[1:] == [
        (Period.term(2025, 2), dt.date(2026, 8, 31)),
        (Period.term(2025, 0), dt.date(2025, 12, 31)),
    ]


def test_a_year_is_compared_with_last_year_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pack, book = _book(monkeypatch, for_publication=False, period=Period.academic_year(2025))
    assert pack.last_term is None
    assert pack.last_year.period == Period.academic_year(2024)
    assert "not a single term" in " ".join(str(c.value) for c in book["Headline"]["A"] if c.value)


def test_internal_copy_shows_every_number_and_is_marked_official_sensitive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pack, book = _book(monkeypatch, for_publication=False)
    assert book.sheetnames == ["Headline", "Children in AP now", "Notes"]
    headline = book["Headline"]
    assert headline["A1"].value == MARKING_INTERNAL == "OFFICIAL-SENSITIVE: not for publication"
    assert headline.oddHeader.center.text == MARKING_INTERNAL
    assert [c.value for c in headline[5]] == [
        "Measure",
        "Unit",
        "Autumn term 2026",
        "Summer term 2026",
        "Change on Summer term 2026",
        "Autumn term 2025",
        "Change on Autumn term 2025",
    ]
    rows = _rows(headline)
    # This period doubles the sample's children; last term and last year are the sample.
    assert rows["Children in AP now"] == ("number", 80, 40, 40, 40, 40)
    assert rows["Children in AP now with an EHCP"] == ("per cent", 0.8, 0.8, 0, 0.8, 0)
    assert rows["Permanently excluded children with provision by the sixth day"][1:] == (
        0.75,
        0.75,
        0,
        0.75,
        0,
    )
    assert rows["Attendance in AP in the period"] == ("per cent", None, None, None, None, None)
    assert rows["Spend on placements in the period to date"][1] == pytest.approx(123456.78)
    cells = {c.value: c for c in headline["A"]}
    row = cells["Children in AP now with an EHCP"].row
    assert headline.cell(row=row, column=3).number_format == "0.0%"
    assert headline.cell(row=row, column=5).number_format.startswith("+0.0")
    row = cells["Spend on placements in the period to date"].row
    assert headline.cell(row=row, column=3).number_format == '"£"#,##0'
    section = _rows(book["Children in AP now"])
    assert section["Looked-after children in AP now"] == ("number", 3)
    assert section["Tier 1"] == ("number", 2)
    assert section["Non-school providers"] == ("per cent", 0.44)


def test_publication_copy_shows_c_for_every_small_number(monkeypatch: pytest.MonkeyPatch) -> None:
    pack, book = _book(monkeypatch, for_publication=True)
    headline = book["Headline"]
    assert headline["A1"].value == MARKING_PUBLICATION
    rows = _rows(headline)
    # 75% of 4 children: suppressed, and so are the changes worked out from it.
    assert rows["Permanently excluded children with provision by the sixth day"][1:] == (
        "c",
        "c",
        "c",
        "c",
        "c",
    )
    assert rows["Children in AP now"] == ("number", 80, 40, 40, 40, 40)
    assert rows["Open-ended placements"][1:] == (0, 0, 0, 0, 0)  # zero is never suppressed
    section = _rows(book["Children in AP now"])
    assert section["Looked-after children in AP now"] == ("number", "c")
    assert section["Tier 1"] == ("number", "c")
    assert section["Tier 2"] == ("number", 60)
    assert section["Non-school providers"] == ("per cent", "c")
    for sheet in book.worksheets:
        for line in sheet.iter_rows(min_row=6):
            for cell in line[2:]:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert not (1 <= cell.value <= 4) or cell.number_format != "#,##0", (
                        sheet.title,
                        cell.coordinate,
                    )
    notes = " ".join(str(c.value) for c in book["Notes"]["A"] if c.value)
    assert 'shown as "c"' in notes and "Source: aptrack" in notes


def test_changes_are_c_when_either_side_is_suppressed_and_blank_when_missing() -> None:
    from aptrack.oversight.measures.catalogue import Figure

    def fig(value: object) -> Figure:
        return Figure("k", "K", value, "count", None, None)  # type: ignore[arg-type]

    assert change(fig(10), fig(7)) == 3
    assert change(fig(Decimal("50.0")), fig(Decimal("57.5"))) == Decimal("-7.5")
    assert change(fig("c"), fig(7)) == "c"
    assert change(fig(10), fig("c")) == "c"
    assert change(fig(None), fig(7)) is None
    assert change(fig(10), None) is None
