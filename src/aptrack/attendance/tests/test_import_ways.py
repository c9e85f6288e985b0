"""A file is recorded the same whichever way it is staged: on PostgreSQL a file whose every row
is one line goes to COPY whole, anything else is read row by row, and the one loader then checks
and writes it the same way, with the same results."""

import pytest
from django.db import connection

from aptrack.attendance import loading
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, PlacementWeek
from aptrack.attendance.tests.conftest import csv_bytes, record_file, rejected

pytestmark = pytest.mark.django_db


def _week(world):
    week = PlacementWeek.objects.get()
    assert week.child_id == world.child_a.pk
    assert week.provider_id == world.provider_x.organisation_id
    return (week.present, week.authorised, week.unauthorised, week.part_time_sessions)


def test_new_marks_for_a_week_already_counted_are_added_to_its_rollup(world):
    upn = world.child_a.upn
    record_file(world, csv_bytes(f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-23,PM,N,,"))
    report = record_file(
        world,
        csv_bytes(f"{upn},2026-11-24,AM,L,10,Bus", f"{upn},2026-11-24,PM,C2,,"),
    )
    assert (report.rows, report.created, report.changed) == (2, 2, 0)
    # Present (/ and L), authorised (C2, also counted as part-time), unauthorised (N).
    assert _week(world) == (2, 1, 1, 1)


def test_values_the_rules_accept_in_unusual_forms_are_recorded(world):
    upn = world.child_a.upn
    report = record_file(
        world,
        csv_bytes(f" {upn.lower()} ,23/11/2026, am ,c2,,", f"{upn},2026-11-3,PM,l, 7 ,"),
    )
    assert report.created == 2
    marks = {mark.session_date.day: mark for mark in AttendanceMark.objects.all()}
    assert (marks[23].session, marks[23].code) == ("AM", "C2")
    assert (marks[3].code, marks[3].minutes_late) == ("L", 7)


def test_a_file_of_new_marks_with_one_bad_row_writes_nothing(world):
    upn = world.child_a.upn
    rows = [f"{upn},2026-11-{day:02d},AM,/,," for day in (16, 17, 18, 19, 20)]
    report = rejected(record_file, world, csv_bytes(*rows, f"{upn},2026-11-22,AM,/,,"))
    assert [(error.row, error.column) for error in report.errors] == [(7, "date")]
    assert not AttendanceMark.objects.exists()
    assert not PlacementWeek.objects.exists()


def test_a_file_of_new_and_changed_marks_keeps_the_old_versions(world):
    upn = world.child_a.upn
    record_file(world, csv_bytes(f"{upn},2026-11-23,AM,N,,"))
    report = record_file(
        world, csv_bytes(f"{upn},2026-11-24,AM,/,,", f"{upn},2026-11-23,AM,I,,", "")
    )
    assert (report.created, report.changed, report.unchanged) == (1, 1, 0)
    assert AttendanceMarkVersion.objects.get().code == "N"
    week = PlacementWeek.objects.get()
    assert (week.present, week.authorised, week.unauthorised) == (1, 1, 0)


def test_a_file_sent_again_with_a_row_repeated_changes_nothing(world):
    upn = world.child_a.upn
    rows = [f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-23,PM,L,5,Bus"]
    record_file(world, csv_bytes(*rows))
    again = record_file(world, csv_bytes(*rows, f"{upn},23/11/2026,am,\\,,"))
    assert (again.rows, again.created, again.changed, again.unchanged) == (3, 0, 0, 2)
    assert not AttendanceMarkVersion.objects.exists()
    assert _week(world) == (2, 0, 0, 0)


def test_a_file_sent_again_with_a_repeat_that_differs_is_refused(world):
    upn = world.child_a.upn
    record_file(world, csv_bytes(f"{upn},2026-11-23,AM,/,,"))
    report = rejected(
        record_file, world, csv_bytes(f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-23,AM,N,,")
    )
    assert [(error.row, error.column) for error in report.errors] == [(3, "code")]
    assert AttendanceMark.objects.get().code == "/"


def test_on_postgresql_a_file_of_one_line_rows_is_staged_by_copy(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY staging is for PostgreSQL")
    staged = []
    copy = loading.copy_file
    monkeypatch.setattr(
        loading, "copy_file", lambda *args: staged.append(copy(*args)) or staged[-1]
    )
    upn = world.child_a.upn
    data = csv_bytes(f"{upn},2026-11-23,AM,/,,", f"{upn},2026-11-23,PM,N,,")
    first = record_file(world, data)
    again = record_file(world, data)
    assert staged == [2, 2]
    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    assert _week(world) == (1, 0, 1, 0)
