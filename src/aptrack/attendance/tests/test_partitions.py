"""On PostgreSQL the marks table is partitioned by academic year (ADR 0010): marks of two years
land in two partitions, through the loader's COPY staging, with versions and rollups as before;
a mark of a year with no partition waits in the default partition until the command moves it.
SQLite keeps one plain table and the partitions code does nothing there."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from aptrack.attendance import loading, partitions
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, PlacementWeek
from aptrack.attendance.tests.conftest import csv_bytes, record_file
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db

SUMMER = dt.date(2026, 7, 6)  # a Monday of the summer term: academic year 2025/26
AUTUMN = dt.date(2026, 11, 23)  # conftest's MONDAY: academic year 2026/27

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the marks are partitioned on PostgreSQL only"
)


def _placed_since_june(world) -> None:
    Placement.objects.filter(child=world.child_a).update(start_date=dt.date(2026, 6, 1))


def _partition_of_marks() -> dict[dt.date, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT session_date, tableoid::regclass::text FROM {partitions.MARKS} "
            "GROUP BY 1, 2 ORDER BY 1"
        )
        return dict(cursor.fetchall())


def _week_counts() -> dict[dt.date, tuple[int, int, int]]:
    return {
        week.week_start_date: (week.present, week.authorised, week.unauthorised)
        for week in PlacementWeek.objects.all()
    }


@postgresql_only
def test_the_marks_table_is_partitioned_by_session_date_with_a_default_partition():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = %s::regclass",
            [partitions.MARKS],
        )
        assert cursor.fetchall() == [("r", "session_date")]
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [partitions.MARKS],
        )
        children = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'attendance_attendancemarkversion'::regclass AND contype = 'f' "
            "AND confrelid = %s::regclass",
            [partitions.MARKS],
        )
        version_keys = [row[0] for row in cursor.fetchall()]
    assert partitions.DEFAULT_PARTITION in children
    assert partitions.partition_name(partitions.academic_year(timezone.localdate())) in children
    assert version_keys == [
        "FOREIGN KEY (mark_id, session_date) REFERENCES attendance_attendancemark(id, "
        "session_date) DEFERRABLE INITIALLY DEFERRED"
    ]


@postgresql_only
def test_marks_of_two_academic_years_land_in_two_partitions_through_copy(world, monkeypatch):
    _placed_since_june(world)
    partitions.ensure_years([2025, 2026])
    staged = []
    copy = loading.copy_file
    monkeypatch.setattr(
        loading, "copy_file", lambda *args: staged.append(copy(*args)) or staged[-1]
    )
    upn = world.child_a.upn
    report = record_file(
        world,
        csv_bytes(
            f"{upn},{SUMMER},AM,/,,",
            f"{upn},{SUMMER},PM,N,,",
            f"{upn},{AUTUMN},AM,/,,",
            f"{upn},{AUTUMN},PM,I,,",
        ),
    )
    assert staged == [4]  # the loader's COPY staging
    assert report.created == 4
    assert _partition_of_marks() == {
        SUMMER: "attendance_attendancemark_2025_26",
        AUTUMN: "attendance_attendancemark_2026_27",
    }
    # Changing a mark of each year keeps its version, keyed to the mark and its date.
    changed = record_file(world, csv_bytes(f"{upn},{SUMMER},PM,I,,", f"{upn},{AUTUMN},PM,O,,"))
    assert (changed.changed, changed.created) == (2, 0)
    versions = {
        (v.session_date, v.code, v.mark.session_date)
        for v in AttendanceMarkVersion.objects.select_related("mark")
    }
    assert versions == {(SUMMER, "N", SUMMER), (AUTUMN, "I", AUTUMN)}
    # Rollups count as before: one week in each year.
    assert _week_counts() == {SUMMER: (1, 1, 0), AUTUMN: (1, 0, 1)}
    connection.check_constraints()  # the deferred foreign keys, as at commit


@postgresql_only
def test_a_mark_of_a_year_without_a_partition_waits_in_the_default_until_the_command(world):
    _placed_since_june(world)
    upn = world.child_a.upn
    assert partitions.partition_name(2025) not in {p.name for p in partitions.list_partitions()}
    record_file(world, csv_bytes(f"{upn},{SUMMER},AM,N,,", f"{upn},{AUTUMN},AM,/,,"))
    record_file(world, csv_bytes(f"{upn},{SUMMER},AM,I,,"))
    assert _partition_of_marks()[SUMMER] == partitions.DEFAULT_PARTITION
    assert partitions.years_in_default() == [2025]
    # The loader's hook does not move marks out of the default partition ...
    assert partitions.ensure_years([2025]) == []
    # ... the command does, with the version that points at the mark.
    out = io.StringIO()
    call_command("attendance-partitions", "--today", "2026-11-25", stdout=out)
    assert "Made attendance_attendancemark_2025_26." in out.getvalue()
    assert _partition_of_marks() == {
        SUMMER: "attendance_attendancemark_2025_26",
        AUTUMN: "attendance_attendancemark_2026_27",
    }
    assert partitions.years_in_default() == []
    version = AttendanceMarkVersion.objects.select_related("mark").get()
    assert (version.code, version.mark.code, version.mark.session_date) == ("N", "I", SUMMER)
    connection.check_constraints()


@postgresql_only
def test_recording_marks_makes_this_and_next_academic_years_partitions(world):
    upn = world.child_a.upn
    with connection.cursor() as cursor:
        for year in (2026, 2027):
            name = partitions.partition_name(year)
            cursor.execute(f"ALTER TABLE {partitions.MARKS} DETACH PARTITION {name}")
            cursor.execute(f"DROP TABLE {name}")
    record_file(world, csv_bytes(f"{upn},{AUTUMN},AM,/,,"))
    names = {partition.name for partition in partitions.list_partitions()}
    assert {partitions.partition_name(2026), partitions.partition_name(2027)} <= names
    assert _partition_of_marks() == {AUTUMN: "attendance_attendancemark_2026_27"}


def test_on_sqlite_the_marks_are_one_table_and_the_command_does_nothing(world):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert not partitions.is_partitioned()
    assert partitions.ensure_years([2025]) == partitions.list_partitions() == []
    out = io.StringIO()
    call_command("attendance-partitions", stdout=out)
    assert "not partitioned" in out.getvalue()
    record_file(world, csv_bytes(f"{world.child_a.upn},{AUTUMN},AM,/,,"))
    assert AttendanceMark.objects.get().session_date == AUTUMN
