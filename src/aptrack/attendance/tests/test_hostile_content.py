"""No content can end a file early: every row is recorded or named (row, column, reason), and
a refused file writes nothing. PostgreSQL's COPY reads a line holding only `\\.` as the end of
its data; a file with one must not be taken as the rows before it."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from aptrack.attendance import services
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, MarkBatch
from aptrack.attendance.rules import FIELD_COUNT, Column
from aptrack.attendance.tests.conftest import HEADER, TODAY, record_file, record_rows, rejected
from aptrack.core import validators
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

DAYS = ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20")
HOSTILE = ("\\.", "\\N", "a\tb", "a\\b", "a\rb", "\\.\r\n\\.", "\\\\.")
COLUMNS = (
    Column.UPN,
    Column.DATE,
    Column.SESSION,
    Column.CODE,
    Column.MINUTES_LATE,
    Column.COMMENT,
)


def _rows(world, code="/"):
    return [
        [world.child_a.upn, day, session, code, "", ""] for day in DAYS for session in ("AM", "PM")
    ]


def _file(lines, newline="\r\n") -> bytes:
    return newline.join([HEADER, *lines, ""]).encode()


def _quoted(rows) -> bytes:
    """A file as a spreadsheet saves it: fields quoted only where they must be."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    return out.getvalue().encode()


def _nothing_written(marks_before: int) -> None:
    assert AttendanceMark.objects.count() == marks_before
    assert not AttendanceMarkVersion.objects.exists()


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_line_holding_only_the_copy_end_marker_is_named_and_nothing_is_recorded(world, newline):
    lines = [",".join(row) for row in _rows(world)]
    lines.insert(4, "\\.")  # row 6: header, then four marks
    report = rejected(record_file, world, _file(lines, newline))
    assert [(error.row, error.reason) for error in report.errors] == [
        (6, FIELD_COUNT.format(found=1, expected=6))
    ]
    assert report.rows == 11
    _nothing_written(0)


def test_the_end_marker_among_changed_marks_is_named_and_nothing_is_changed(world):
    record_file(world, _file([",".join(row) for row in _rows(world)]))
    lines = [",".join(row) for row in _rows(world, code="N")]
    lines.insert(7, "\\.")
    report = rejected(record_file, world, _file(lines))
    assert [error.row for error in report.errors] == [9]
    assert set(AttendanceMark.objects.values_list("code", flat=True)) == {"/", "\\"}  # AM, PM
    _nothing_written(10)


def test_a_quoted_end_marker_in_a_comment_is_recorded_as_sent_with_every_other_row(world):
    rows = _rows(world)
    rows[3][5] = "\\."
    report = record_file(world, _quoted(rows))
    assert (report.rows, report.created) == (10, 10)
    assert AttendanceMark.objects.filter(comment="\\.").count() == 1


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("column", COLUMNS)
def test_hostile_text_in_any_column_is_recorded_whole_or_named_with_nothing_saved(
    world, column, value
):
    rows = _rows(world)
    rows[4][COLUMNS.index(column)] = value  # row 6 of the file
    try:
        report = record_file(world, _quoted(rows))
    except services.MarksRejected as refused:
        errors = refused.report.errors
        assert 6 in {error.row for error in errors}, errors
        assert all(error.reason for error in errors)
        _nothing_written(0)
        assert not MarkBatch.objects.exists()
        return
    # Accepted: only a comment can hold such text, and then every row is there as sent.
    assert column == Column.COMMENT
    assert (report.rows, report.created) == (10, 10)
    assert AttendanceMark.objects.filter(comment=value.strip()).count() == 1


@pytest.mark.parametrize("value", ["\\.", "\\N", "a\tb", "a\\b", "a\rb"], ids=repr)
def test_hostile_text_in_a_comment_sent_as_values_is_recorded_as_sent(world, value):
    rows = [
        MarkRow(upn=world.child_a.upn, date=day, session="AM", code="/", comment=value)
        for day in DAYS
    ]
    report = record_rows(world, *rows)
    assert report.created == 5
    assert list(AttendanceMark.objects.values_list("comment", flat=True).distinct()) == [value]


@pytest.mark.parametrize(
    "value, reason",
    [
        ("a\x00b", validators.NUL_CHARACTER),
        ("a\ud800b", validators.LONE_SURROGATE.format(code=0xD800)),
    ],
    ids=["NUL", "surrogate"],
)
@pytest.mark.parametrize("column", COLUMNS)
def test_text_no_database_can_store_is_named_by_row_and_column(world, column, value, reason):
    fields = [world.child_a.upn, "2026-11-23", "AM", "/", "", ""]
    fields[COLUMNS.index(column)] = value
    good = MarkRow(upn=world.child_a.upn, date="2026-11-24", session="AM", code="/")
    report = rejected(record_rows, world, good, MarkRow(*fields))
    assert [(error.row, error.column, error.reason) for error in report.errors] == [
        (2, column, f"The value {reason}")
    ]
    _nothing_written(0)


def test_the_import_command_refuses_a_file_with_the_end_marker(tmp_path, world, capsys):
    provider = ProviderFactory(
        organisation=world.provider_x.organisation, setting_type="", ukprn="10012345"
    )
    lines = [",".join(row) for row in _rows(world)]
    lines.insert(2, "\\.")
    path = tmp_path / "marks.csv"
    path.write_bytes(_file(lines))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import-attendance",
            str(path),
            "--provider-id",
            str(provider.pk),
            "--today",
            TODAY.isoformat(),
        )
    assert "marks.csv row 4: The row has 1 fields" in capsys.readouterr().out
    _nothing_written(0)
