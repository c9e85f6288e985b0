"""Rebuilding the weekly rollups (`PlacementWeek`) of some placements from their marks, in one
set-based statement: for marks written in bulk outside `record_marks` (synthetic data), and to
repair rollups that drifted. `record_marks` keeps rollups up to date by itself.
"""

from collections.abc import Iterable

from django.db import connection

from aptrack.attendance import codes
from aptrack.attendance.codes import MarkClass
from aptrack.attendance.models import AttendanceMark, PlacementWeek
from aptrack.core import changes
from aptrack.placements import rules as placement_rules

MARKS = AttendanceMark._meta.db_table
WEEKS = PlacementWeek._meta.db_table
_CHUNK = 10_000

# Each rollup column and the codes it counts (codes.py is the one table of codes and classes).
ROLLUP_CODES: tuple[tuple[str, frozenset[str]], ...] = (
    ("present", codes.codes_in(MarkClass.PRESENT)),
    ("aea", codes.codes_in(MarkClass.AEA)),
    ("authorised", codes.codes_in(MarkClass.AUTHORISED)),
    ("unauthorised", codes.codes_in(MarkClass.UNAUTHORISED)),
    ("not_possible", codes.codes_in(MarkClass.NOT_POSSIBLE)),
    ("administrative", codes.codes_in(MarkClass.ADMINISTRATIVE)),
    ("q_sessions", codes.SEPARATELY_REPORTED_CODES),
    ("part_time_sessions", frozenset({codes.PART_TIME_CODE})),
)


def _quoted(code: str) -> str:
    return "'" + code.replace("'", "''") + "'"


def _week_start(column: str) -> str:
    """SQL for the Monday of the week a date column falls in (the rollups' week)."""
    if connection.vendor == "postgresql":
        return f"date_trunc('week', {column})::date"
    # strftime('%w') counts from Sunday = 0; Monday is 0 days back, Sunday 6.
    return (
        f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')"
    )


def rebuild_weekly_rollups(*, placement_ids: Iterable[int]) -> int:
    """Replace the weekly rollups of these placements with counts from their current marks, and
    return how many placement-weeks they now have. The LA a week counts in is the placement's
    commissioning LA, else the child's home LA, as `record_marks` has it. Run it inside the
    transaction that wrote the marks."""
    ids = sorted(set(placement_ids))
    if not ids:
        return 0
    columns = [column for column, _ in ROLLUP_CODES]
    sums = ", ".join(
        f"SUM(CASE WHEN m.code IN ({', '.join(map(_quoted, sorted(wanted)))}) THEN 1 ELSE 0 END)"
        for _, wanted in ROLLUP_CODES
    )
    week = _week_start("m.session_date")
    placements = placement_rules.answering_la_sql("child_id", "provider_id")
    la = "p.answering_la_id"
    weeks = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS rollup_placements")
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
                                 provider_id, {", ".join(columns)})
            SELECT m.placement_id, {week}, p.child_id, {la}, p.provider_id, {sums}
            FROM rollup_placements r
            JOIN {MARKS} m ON m.placement_id = r.placement_id
            JOIN ({placements}) p ON p.id = r.placement_id
            GROUP BY m.placement_id, {week}, p.child_id, {la}, p.provider_id
            """
        )
        weeks = cursor.rowcount
        cursor.execute(f"SELECT DISTINCT {la} FROM ({placements}) p WHERE p.id IN ({chosen})")
        touched = [row[0] for row in cursor.fetchall()]
        cursor.execute("DROP TABLE rollup_placements")
    changes.announce(la_ids=touched)
    return weeks
