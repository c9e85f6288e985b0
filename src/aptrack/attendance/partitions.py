"""The marks table's partitions by academic year, on PostgreSQL (ADR 0010). SQLite has one
plain table and everything here does nothing there.

Each academic year (1 September to 31 August) has its own partition,
`attendance_attendancemark_2025_26`; a mark on a date with none goes to the DEFAULT partition,
where it is as good as anywhere but not pruned by date. Partitions are made ahead:
`record_marks` makes this academic year's and the next before its transaction
(`ensure_for`), so the year's partition exists a year before its first mark; and
`aptrack attendance-partitions` makes them too, and moves any marks the default partition holds
into partitions of their own years (`ensure_years(..., move=True)`).
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper

from aptrack.attendance.models import AttendanceMark
from aptrack.children import schooling

MARKS = AttendanceMark._meta.db_table
DEFAULT_PARTITION = f"{MARKS}_default"
# Partitions are made one process at a time (the loader's lock uses namespace 7_301).
LOCK_NAMESPACE = 7_302
# The loader's hook waits at most this long for its locks, then leaves the year to the
# command: waiting longer would queue every reader of the marks behind it.
HOOK_LOCK_TIMEOUT = "2s"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Partition:
    name: str
    year: int | None  # the academic year it begins in; None for the default partition
    rows: int  # PostgreSQL's estimate (exact for the default partition)

    @property
    def label(self) -> str:
        return "default" if self.year is None else f"{self.year}/{(self.year + 1) % 100:02d}"


def academic_year(day: dt.date) -> int:
    return schooling.academic_year_start(day)


def bounds(year: int) -> tuple[dt.date, dt.date]:
    """The dates a year's partition holds: from 1 September up to (not including) the next."""
    return dt.date(year, 9, 1), dt.date(year + 1, 9, 1)


def partition_name(year: int) -> str:
    return f"{MARKS}_{year}_{(year + 1) % 100:02d}"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [MARKS]
        )
        return cursor.fetchone() is not None


def list_partitions() -> list[Partition]:
    """The partitions, oldest year first and the default last; none on SQLite."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, GREATEST(c.reltuples, 0)::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [MARKS],
        )
        rows = dict(cursor.fetchall())
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION}")
        in_default = cursor.fetchone()[0]
    by_name = {partition_name(year): year for year in _years_named(rows)}
    partitions = [Partition(name, by_name[name], rows[name]) for name in rows if name in by_name]
    partitions.sort(key=lambda partition: partition.year or 0)
    if DEFAULT_PARTITION in rows:
        partitions.append(Partition(DEFAULT_PARTITION, None, in_default))
    return partitions


def _years_named(names: Iterable[str]) -> list[int]:
    prefix = f"{MARKS}_"
    years = []
    for name in names:
        year = name.removeprefix(prefix)[:4]
        if name.startswith(prefix) and year.isdigit() and partition_name(int(year)) == name:
            years.append(int(year))
    return years


def years_in_default() -> list[int]:
    """The academic years of the marks the default partition holds."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT EXTRACT(YEAR FROM session_date - INTERVAL '8 months')::int "
            f"FROM {DEFAULT_PARTITION} ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def ensure_for(today: dt.date) -> list[str]:
    """The loader's hook: this academic year's partition and the next's, made if missing,
    without waiting long for locks and without moving marks out of the default partition (the
    command does that). Returns the partitions made. Call it outside a long transaction: the
    new partition's locks are held until the caller's transaction ends."""
    year = academic_year(today)
    try:
        return ensure_years([year, year + 1], lock_timeout=HOOK_LOCK_TIMEOUT)
    except OperationalError:  # a lock not had in time: the marks go to the default partition
        logger.warning("attendance partitions for %s not made: the marks table is busy", year)
        return []


def ensure_years(
    years: Iterable[int], *, move: bool = False, lock_timeout: str | None = None
) -> list[str]:
    """Make the partitions of these academic years that are missing; return their names.

    A year whose dates the default partition already holds marks for is made only with
    `move`: its marks are then moved out of the default partition into it, which briefly
    locks the marks and their versions (the versions' foreign key is dropped and made again
    around the move, as PostgreSQL cannot move a referenced row between partitions)."""
    wanted = sorted(set(years))
    if not wanted or not is_partitioned():
        return []
    made: list[str] = []
    with connection.cursor() as cursor:
        existing = _existing(cursor)
    missing = [year for year in wanted if partition_name(year) not in existing]
    if not missing:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        previous = cursor.fetchone()[0]
        if lock_timeout:  # for this transaction (or savepoint) only; put back below
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
        cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [LOCK_NAMESPACE])
        existing = _existing(cursor)  # again: another process may have made them meanwhile
        for year in missing:
            if partition_name(year) in existing:
                continue
            first, after = bounds(year)
            cursor.execute(
                f"SELECT 1 FROM {DEFAULT_PARTITION} WHERE session_date >= %s "
                "AND session_date < %s LIMIT 1",
                [first, after],
            )
            in_default = cursor.fetchone() is not None
            if in_default and not move:
                logger.warning(
                    "%s not made: the default partition holds marks of that year "
                    "(run `aptrack attendance-partitions`)",
                    partition_name(year),
                )
                continue
            _make(cursor, year, move=in_default)
            made.append(partition_name(year))
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
    return made


def _existing(cursor: CursorWrapper) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass",
        [MARKS],
    )
    return {row[0] for row in cursor.fetchall()}


def _make(cursor: CursorWrapper, year: int, *, move: bool) -> None:
    """Make the year's partition as a table of its own, then attach it: attaching locks the
    marks table only against other schema changes (reads and writes go on), though it locks
    the default partition while checking that it holds none of the year's marks."""
    name = partition_name(year)
    first, after = bounds(year)
    cursor.execute(f"CREATE TABLE {name} (LIKE {MARKS} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    references: list[tuple[str, str, str]] = []
    if move:
        # Checks this transaction has deferred are made now, as commit would: PostgreSQL
        # alters no table with checks pending.
        connection.check_constraints()
        cursor.execute(f"LOCK TABLE {MARKS} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass "
            "AND conparentid = 0",
            [MARKS],
        )
        references = cursor.fetchall()
        for table, constraint, _ in references:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE session_date >= %s "
            f"AND session_date < %s RETURNING *) INSERT INTO {name} SELECT * FROM moved",
            [first, after],
        )
    cursor.execute(
        f"ALTER TABLE {MARKS} ATTACH PARTITION {name} "
        f"FOR VALUES FROM ('{first.isoformat()}') TO ('{after.isoformat()}')"
    )
    for table, constraint, definition in references:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {definition}')
    if move:
        cursor.execute(f"ANALYZE {name}")
