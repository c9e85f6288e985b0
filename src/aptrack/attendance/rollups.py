"""The one writer of the weekly rollups (`PlacementWeek`), set-based, on SQLite and PostgreSQL.

Which rollup column a code counts in comes from one table, `codes.ROLLUP_COLUMNS`, put into a
small temporary table (`att_class`: a code and a 0/1 for each column) that the statements here
join, so no SQL restates the codes. Two ways to write:

- `add_changes`: what `record_marks` does with every batch (through `loading.Loader`): +1 to
  the new mark's classes and −1 to the old mark's, per placement-week, in the same transaction
  as the marks, so rollups always equal a recount of the marks;
- `rebuild_weekly_rollups`: replace some placements' rollups with a recount of their marks, for
  marks written in bulk outside `record_marks` (synthetic data, the bench) and to repair
  rollups that drifted.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection

from aptrack.attendance import codes
from aptrack.attendance.models import AttendanceMark, PlacementWeek
from aptrack.core import changes
from aptrack.placements import rules as placement_rules

MARKS = AttendanceMark._meta.db_table
WEEKS = PlacementWeek._meta.db_table
COLUMNS = codes.ROLLUP_COLUMN_NAMES
CLASS_TABLE = "att_class"
_CHUNK = 10_000


def class_rows() -> list[tuple[Any, ...]]:
    """Each code with a 1 for each rollup column it counts in, else 0 (from `codes`)."""
    return [
        (code.code, *(int(code.code in wanted) for _, wanted in codes.ROLLUP_COLUMNS))
        for code in codes.CODES
    ]


def week_start_sql(column: str) -> str:
    """SQL for the Monday of the week a date column falls in (the rollups' week, as
    `rules.week_of` has it)."""
    if connection.vendor == "postgresql":
        # Days since a Monday (1 January 1900 was one), in whole weeks: integer arithmetic on
        # dates, cheaper than date_trunc's round trip through a timestamp with time zone.
        return f"({column} - mod({column} - DATE '1900-01-01', 7))"
    # strftime('%w') counts from Sunday = 0; Monday is 0 days back, Sunday 6.
    return (
        f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')"
    )


def create_class_table(cursor: Any) -> None:
    """The temporary code → rollup-columns table the statements here join."""
    _drop(cursor, CLASS_TABLE)
    cursor.execute(
        f"CREATE TEMP TABLE {CLASS_TABLE} (code text PRIMARY KEY, "
        f"{', '.join(f'{column} integer NOT NULL' for column in COLUMNS)})"
    )
    cursor.executemany(
        f"INSERT INTO {CLASS_TABLE} (code, {', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})",
        class_rows(),
    )


def add_changes(cursor: Any, *, changes_sql: str, placements: str, provider_id: int) -> None:
    """Add a batch's changes to the rollups of its provider's placement-weeks.

    `changes_sql` is a table or subquery of the marks written: `placement_id`, `week_start`,
    `code` and `old_code` (NULL for a new mark); `placements` a table of `placement_id`,
    `child_id` and `la_id` (the LA the placement's weeks count in)."""
    create_class_table(cursor)
    deltas = ", ".join(f"SUM(n.{c} - COALESCE(o.{c}, 0)) AS {c}" for c in COLUMNS)
    _drop(cursor, "att_weeks")
    cursor.execute(
        f"""
        CREATE TEMP TABLE att_weeks AS
        SELECT c.placement_id, c.week_start, {deltas}
        FROM {changes_sql} c
        JOIN {CLASS_TABLE} n ON n.code = c.code
        LEFT JOIN {CLASS_TABLE} o ON o.code = c.old_code
        GROUP BY c.placement_id, c.week_start
        """
    )
    add_weeks(cursor, weeks="att_weeks", placements=placements, provider_id=provider_id)
    _drop(cursor, "att_weeks")


def new_marks_weeks_sql(marks: str) -> str:
    """A SELECT of `marks` (new marks: `placement_id`, `session_date`, `code`) summed by
    placement-week, with a column for each rollup column and `marks` (how many), ready for
    `add_weeks`. It joins the class table (`create_class_table` first)."""
    sums = ", ".join(f"SUM(k.{c})" for c in COLUMNS)
    return (
        f"SELECT m.placement_id, {week_start_sql('m.session_date')}, {sums}, COUNT(*) "
        f"FROM {marks} m JOIN {CLASS_TABLE} k ON k.code = m.code GROUP BY 1, 2"
    )


def create_weeks_table(cursor: Any, table: str) -> None:
    """An empty table for `new_marks_weeks_sql`'s rows."""
    _drop(cursor, table)
    date_type = "date" if connection.vendor == "postgresql" else "text"
    cursor.execute(
        f"CREATE TEMP TABLE {table} (placement_id bigint, week_start {date_type}, "
        f"{', '.join(f'{c} integer' for c in COLUMNS)}, marks integer)"
    )


def add_weeks(cursor: Any, *, weeks: str, placements: str, provider_id: int) -> None:
    """Add counts by placement-week (`placement_id`, `week_start` and a column for each rollup
    column) to the provider's rollups, making the weeks not yet there."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {weeks}")
    cursor.execute(
        f"""
        UPDATE {WEEKS} SET {", ".join(f"{c} = {WEEKS}.{c} + d.{c}" for c in COLUMNS)}
        FROM {weeks} d
        WHERE {WEEKS}.provider_id = %s
          AND {WEEKS}.placement_id = d.placement_id AND {WEEKS}.week_start_date = d.week_start
        """,
        [provider_id],
    )
    cursor.execute(
        f"""
        INSERT INTO {WEEKS} (placement_id, week_start_date, child_id, local_authority_id,
                             provider_id, {", ".join(COLUMNS)})
        SELECT d.placement_id, d.week_start, p.child_id, p.la_id, %s,
               {", ".join(f"d.{c}" for c in COLUMNS)}
        FROM {weeks} d
        JOIN {placements} p ON p.placement_id = d.placement_id
        WHERE NOT EXISTS (SELECT 1 FROM {WEEKS} w
                          WHERE w.provider_id = %s
                            AND w.placement_id = d.placement_id AND w.week_start_date = d.week_start)
        """,
        [provider_id, provider_id],
    )
    _drop(cursor, CLASS_TABLE)


def rebuild_weekly_rollups(*, placement_ids: Iterable[int]) -> int:
    """Replace the weekly rollups of these placements with counts from their current marks, and
    return how many placement-weeks they now have. The LA a week counts in is the placement's
    commissioning LA, else the child's home LA, as `record_marks` has it. Run it inside the
    transaction that wrote the marks."""
    ids = sorted(set(placement_ids))
    if not ids:
        return 0
    sums = ", ".join(f"SUM(k.{c})" for c in COLUMNS)
    week = week_start_sql("m.session_date")
    placements = placement_rules.answering_la_sql("child_id", "provider_id")
    la = "p.answering_la_id"
    with connection.cursor() as cursor:
        create_class_table(cursor)
        _drop(cursor, "rollup_placements")
        cursor.execute("CREATE TEMP TABLE rollup_placements (placement_id bigint PRIMARY KEY)")
        for low in range(0, len(ids), _CHUNK):
            chunk = ids[low : low + _CHUNK]
            cursor.execute(
                "INSERT INTO rollup_placements (placement_id) VALUES "
                + ", ".join(["(%s)"] * len(chunk)),
                chunk,
            )
        chosen = "SELECT placement_id FROM rollup_placements"
        cursor.execute(f"DELETE FROM {WEEKS} WHERE placement_id IN ({chosen})")
        cursor.execute(
            f"""
            INSERT INTO {WEEKS} (placement_id, week_start_date, child_id, local_authority_id,
                                 provider_id, {", ".join(COLUMNS)})
            SELECT m.placement_id, {week}, p.child_id, {la}, p.provider_id, {sums}
            FROM rollup_placements r
            JOIN {MARKS} m ON m.placement_id = r.placement_id
            JOIN ({placements}) p ON p.id = r.placement_id
            JOIN {CLASS_TABLE} k ON k.code = m.code
            GROUP BY m.placement_id, {week}, p.child_id, {la}, p.provider_id
            """
        )
        weeks = cursor.rowcount
        cursor.execute(f"SELECT DISTINCT {la} FROM ({placements}) p WHERE p.id IN ({chosen})")
        touched = [row[0] for row in cursor.fetchall()]
        _drop(cursor, "rollup_placements")
        _drop(cursor, CLASS_TABLE)
    changes.announce(la_ids=touched)
    return weeks


def _drop(cursor: Any, table: str) -> None:
    prefix = "" if connection.vendor == "postgresql" else "temp."
    cursor.execute(f"DROP TABLE IF EXISTS {prefix}{table}")
