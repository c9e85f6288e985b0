"""Importing a marks CSV through `record_marks`: every refusal named by file, row and column;
all or nothing; idempotent; earlier versions kept; the encodings and layouts providers send."""

import datetime as dt

import pytest

from aptrack.attendance import marks_file, rules
from aptrack.attendance.models import (
    AttendanceMark,
    AttendanceMarkVersion,
    MarkBatch,
    PlacementWeek,
)
from aptrack.attendance.rules import Column
from aptrack.attendance.tests.conftest import AT, HEADER, TODAY, csv_bytes, record_file, rejected
from aptrack.children import upn as upns
from aptrack.children.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _errors(report):
    return [(error.row, error.column, error.reason) for error in report.errors]


def test_a_good_file_records_every_mark_with_who_and_how(world):
    upn = world.child_a.upn
    report = record_file(
        world, csv_bytes(f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-23,PM,L,12,Bus late")
    )
    assert (report.rows, report.created, report.changed, report.unchanged) == (2, 2, 0, 0)
    late = AttendanceMark.objects.get(session="PM")
    assert (late.code, late.minutes_late, late.comment, late.version) == ("L", 12, "Bus late", 1)
    assert late.batch.recorded_by == world.provider_x
    assert late.batch.channel == "UPLOAD"
    assert late.batch.recorded_at == AT
    assert late.placement.child == world.child_a


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            "A8384000231,2026-11-23,AM,/,,",
            Column.UPN,
            "is not a valid UPN: UPN must be 13 characters",
        ),
        ("{bad_check},2026-11-23,AM,/,,", Column.UPN, "UPN check letter is wrong"),
        (
            "{stranger},2026-11-23,AM,/,,",
            Column.UPN,
            "no child with this UPN is placed with this provider",
        ),
        (",2026-11-23,AM,/,,", Column.UPN, rules.UPN_MISSING),
        (
            "{upn},2026-09-04,AM,/,,",
            Column.UPN,
            "The child is not placed with this provider on 4 September 2026",
        ),
        ("{upn},2026-11-23,AM,H,,", Column.CODE, "“H” was withdrawn in August 2024"),
        (
            "{upn},2026-11-23,AM,QQ,,",
            Column.CODE,
            "“QQ” is not an attendance code in use since August 2024",
        ),
        ("{upn},2026-11-23,AM,,,", Column.CODE, rules.CODE_MISSING),
        (
            "{upn},2026-11-23,Morning,/,,",
            Column.SESSION,
            "“Morning” is not a session: use AM or PM",
        ),
        ("{upn},23-11-2026,AM,/,,", Column.DATE, "“23-11-2026” is not a date"),
        ("{upn},31/02/2026,AM,/,,", Column.DATE, "“31/02/2026” is not a date"),
        ("{upn},2026-11-26,AM,/,,", Column.DATE, "26 November 2026 is in the future"),
        (
            "{upn},2026-11-21,AM,/,,",
            Column.DATE,
            "21 November 2026 is a Saturday, not a school day",
        ),
        (
            "{upn},2026-10-28,AM,/,,",
            Column.DATE,
            "28 October 2026 is not a school day: it is in the school holidays",
        ),
        ("{upn},2026-11-23,AM,/,5,", Column.MINUTES_LATE, rules.MINUTES_NOT_LATE),
        (
            "{upn},2026-11-23,AM,L,ten,",
            Column.MINUTES_LATE,
            "“ten” is not a number of minutes late",
        ),
        ("{upn},2026-11-23,AM,L,999,", Column.MINUTES_LATE, "is not a number of minutes late"),
        (
            "{upn},2026-11-23,AM,/,," + "x" * 501,
            Column.COMMENT,
            "The comment must be 500 characters or fewer",
        ),
    ],
)
def test_each_refusal_names_file_row_column_and_reason(world, row, column, reason):
    stranger = ChildFactory()
    good = world.child_a.upn
    bad_check = ("B" if good[0] != "B" else "C") + good[1:]
    line = row.format(upn=good, stranger=stranger.upn, bad_check=bad_check)
    report = rejected(
        record_file, world, csv_bytes(f"{good},2026-11-23,PM,/,,", line), name="week.csv"
    )
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (3, column)
    assert reason in error.reason
    assert report.bad_rows == 1
    assert error.describe("week.csv").startswith(f"week.csv row 3, {rules.CSV_HEADINGS[column]}: ")
    assert not AttendanceMark.objects.exists()
    assert not MarkBatch.objects.exists()


def test_a_bank_holiday_in_term_is_refused(world):
    # Monday 3 May 2027 (Early May bank holiday) falls in the Summer 1 term.
    report = rejected(
        record_file,
        world,
        csv_bytes(f"{world.child_a.upn},2027-05-03,AM,/,,"),
        today=dt.date(2027, 5, 12),
    )
    assert _errors(report) == [
        (2, Column.DATE, "3 May 2027 is not a school day: bank holiday (Early May bank holiday)")
    ]


def test_an_la_closure_day_is_refused(world):
    from aptrack.calendars.models import ClosureDay

    ClosureDay.objects.create(
        local_authority=world.child_a.home_la, date=dt.date(2026, 11, 23), kind="INSET"
    )
    report = rejected(record_file, world, csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,"))
    assert "23 November 2026 is not a school day: training (INSET) day" in report.errors[0].reason


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(world):
    upn = world.child_a.upn
    rows = [
        f"{upn},2026-11-23,AM,/,,",
        f"{upn},2026-11-24,AM,QQ,,",
        f"{upn},2026-11-24,PM,/,,",
        f"{upn},2026-11-28,AM,/,,",
    ]
    report = rejected(record_file, world, csv_bytes(*rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, Column.CODE), (5, Column.DATE)]
    assert (report.rows, report.bad_rows) == (4, 2)
    assert "nothing was recorded. 2 of 4 rows have problems." in report.lines()[0]
    assert not AttendanceMark.objects.exists()
    assert not PlacementWeek.objects.exists()


def test_sending_the_same_file_twice_changes_nothing(world):
    data = csv_bytes(
        f"{world.child_a.upn},2026-11-23,AM,/,,", f"{world.child_a.upn},2026-11-23,PM,N,,"
    )
    record_file(world, data)
    again = record_file(world, data)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert AttendanceMark.objects.filter(version=1).count() == 2
    assert not AttendanceMarkVersion.objects.exists()
    assert PlacementWeek.objects.get().unauthorised == 1


def test_a_changed_mark_becomes_version_2_and_keeps_version_1(world):
    upn = world.child_a.upn
    first = record_file(world, csv_bytes(f"{upn},2026-11-23,AM,N,,"))
    second = record_file(
        world, csv_bytes(f"{upn},2026-11-23,AM,I,,Phoned in: ill", f"{upn},2026-11-23,PM,/,,")
    )
    assert (second.created, second.changed, second.unchanged) == (1, 1, 0)
    mark = AttendanceMark.objects.get(session="AM")
    assert (mark.code, mark.version, mark.comment, mark.batch_id) == (
        "I",
        2,
        "Phoned in: ill",
        second.batch_id,
    )
    old = AttendanceMarkVersion.objects.get()
    assert (old.mark, old.version, old.code, old.batch_id, old.replaced_by_batch_id) == (
        mark,
        1,
        "N",
        first.batch_id,
        second.batch_id,
    )


def test_duplicate_rows_that_agree_are_recorded_once(world):
    upn = world.child_a.upn
    report = record_file(
        world,
        csv_bytes(
            f"{upn},2026-11-23,AM,/,,", f"{upn},23/11/2026,am,\\,,", f"{upn},2026-11-23,AM,/,,"
        ),
    )
    assert (report.rows, report.created) == (3, 1)


def test_duplicate_rows_that_disagree_are_refused(world):
    upn = world.child_a.upn
    report = rejected(
        record_file,
        world,
        csv_bytes(
            f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-24,AM,/,,", f"{upn},23/11/2026,AM,N,,"
        ),
    )
    assert _errors(report) == [(4, Column.CODE, rules.DUPLICATE_DISAGREES.format(first=2))]


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", False, "\r\n"),
        ("utf-8", True, "\r\n"),
        ("utf-8", False, "\n"),
        ("cp1252", False, "\r\n"),
        ("cp1252", False, "\n"),
    ],
)
def test_utf8_with_or_without_bom_and_windows_1252_with_crlf_or_lf(world, encoding, bom, newline):
    comment = "Rendez-vous médical – père phoned"
    data = csv_bytes(
        f'{world.child_a.upn},23/11/2026,AM,M,,"{comment}"', newline=newline, encoding=encoding
    )
    if bom:
        data = b"\xef\xbb\xbf" + data
    record_file(world, data)
    assert AttendanceMark.objects.get().comment == comment


def test_columns_in_any_order_optional_ones_left_out_and_quoted_commas(world):
    data = csv_bytes(
        f'AM,"Late, bus",L,{world.child_a.upn},2026-11-23', header="session,COMMENT,Code, upn ,Date"
    )
    record_file(world, data)
    assert AttendanceMark.objects.get().comment == "Late, bus"


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(world):
    upn = world.child_a.upn
    data = csv_bytes(f"{upn},2026-11-23,AM,/,,", "", f"{upn},2026-11-23,PM,QQ,,", "", "")
    report = rejected(record_file, world, data)
    assert _errors(report)[0][:2] == (4, Column.CODE)


def test_a_row_with_the_wrong_number_of_fields_is_named_with_the_others(world):
    upn = world.child_a.upn
    report = rejected(
        record_file, world, csv_bytes(f"{upn},2026-11-23,AM,/", f"{upn},2026-11-23,PM,QQ,,")
    )
    assert _errors(report) == [
        (2, None, rules.FIELD_COUNT.format(found=4, expected=6)),
        (3, Column.CODE, "“QQ” is not an attendance code in use since August 2024"),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", marks_file.EMPTY_FILE),
        (b"\r\n\r\n", marks_file.EMPTY_FILE),
        (HEADER.encode() + b"\r\n", "There are no marks to record"),
        (b"PK\x03\x04\x00\x00binary", marks_file.NUL_BYTES),
        ("UPN,Date\r\n\u00e9".encode("utf-16"), marks_file.NUL_BYTES),
        (b"UPN,Date,Session,Code\r\n\x81\x8d,,,\r\n", marks_file.BAD_ENCODING),
        (
            b"UPN,Date,Session,Code\r\n" + b"x" * 10_000 + b"\r\n",
            "Line 2 is longer than 8,192 bytes",
        ),
        (b"Pupil,When,Session,Code\r\n", "Column “Pupil” is not one of"),
        (b"UPN,Date,Session\r\n", "The Code column is missing"),
        (b"UPN,Date,Session,Code,Code\r\n", "Column “Code” appears more than once"),
        (b"A838400023001,2026-11-23,AM,/\r\n", marks_file.NO_HEADER),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(world, data, reason):
    report = rejected(record_file, world, data)
    assert reason in report.errors[0].reason
    assert not AttendanceMark.objects.exists()


def test_an_unterminated_quote_is_named_and_nothing_written(world):
    upn = world.child_a.upn
    report = rejected(
        record_file,
        world,
        csv_bytes(f"{upn},2026-11-23,AM,/,,", f'{upn},2026-11-23,PM,/,,"never closed'),
    )
    assert report.errors
    assert not AttendanceMark.objects.exists()


def test_a_temporary_upn_is_accepted(world):
    temporary = upns.make("838", "4000", "23", "777", temporary_letter="A")
    world.child_a.upn = temporary
    world.child_a.save()
    record_file(world, csv_bytes(f"{temporary.lower()},2026-11-23,AM,/,,"))
    assert AttendanceMark.objects.count() == 1


def test_errors_are_capped_but_all_bad_rows_are_counted(world, monkeypatch):
    from aptrack.attendance import services

    monkeypatch.setattr(services, "ERROR_LIMIT", 3)
    rows = [f"{world.child_a.upn},2026-11-{day:02d},AM,QQ,," for day in range(2, 21)]
    report = rejected(record_file, world, csv_bytes(*rows))
    assert len(report.errors) == 3
    assert report.bad_rows == len(rows)


def test_provider_x_cannot_mark_provider_zs_child(world):
    report = rejected(record_file, world, csv_bytes(f"{world.child_b.upn},2026-11-23,AM,/,,"))
    assert report.errors[0].reason == rules.UPN_UNKNOWN.format(value=rules.shown(world.child_b.upn))
    assert not AttendanceMark.objects.exists()


def test_future_is_judged_by_the_callers_today(world):
    record_file(world, csv_bytes(f"{world.child_a.upn},2026-11-25,AM,/,,"), today=TODAY)
    assert AttendanceMark.objects.count() == 1


def test_a_comment_over_two_lines_in_quotes_is_kept_whole(world):
    upn = world.child_a.upn
    record_file(
        world,
        csv_bytes(f'{upn},2026-11-23,AM,M,,"Dentist\r\nthen home"', f"{upn},2026-11-23,PM,/,,"),
    )
    assert AttendanceMark.objects.get(session="AM").comment == "Dentist\r\nthen home"
    assert AttendanceMark.objects.count() == 2


def test_a_field_running_on_for_ever_is_refused_without_being_held(world):
    body = b'"' + b"x\r\n" * 100_000
    report = rejected(
        record_file, world, csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,") + body
    )
    assert "cannot be read as CSV" in report.errors[0].reason
    assert not AttendanceMark.objects.exists()


def test_many_distinct_values_are_mapped_in_chunks(world, monkeypatch):
    from aptrack.attendance import loading

    monkeypatch.setattr(loading, "CHUNK_ROWS", 2)
    upn = world.child_a.upn
    rows = [
        f"{upn},2026-11-{day:02d},{session},{code},,"
        for day in (16, 17, 18, 19, 20)
        for session, code in (("AM", "/"), ("PM", "N"))
    ]
    report = record_file(world, csv_bytes(*rows, f"{upn},2026-11-23,AM,/,,"))
    assert report.created == 11
    bad = rejected(record_file, world, csv_bytes(*(f"X{n},2026-11-23,AM,Q{n},," for n in range(7))))
    assert bad.bad_rows == 7 and len(bad.errors) == 14


def test_a_placement_that_has_ended_or_was_cancelled_takes_no_marks(world):
    placement = world.child_a.placements.get()
    placement.end_date = dt.date(2026, 11, 20)
    placement.save()
    report = rejected(record_file, world, csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,"))
    assert report.errors[0].reason == rules.NOT_PLACED.format(date="23 November 2026")
    placement.end_date, placement.status = None, "CANCELLED"
    placement.save()
    assert rejected(record_file, world, csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,")).errors


def test_a_date_beyond_the_recorded_term_dates_is_refused_with_that_reason(world):
    report = rejected(
        record_file,
        world,
        csv_bytes(f"{world.child_a.upn},2029-01-08,AM,/,,"),
        today=dt.date(2029, 1, 10),
    )
    assert report.errors[0].reason == rules.DATE_NO_TERMS.format(date="8 January 2029")
