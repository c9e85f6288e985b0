"""The quick way in for a large file of new marks on PostgreSQL: one COPY, then one statement
that checks, writes the marks and adds them to the weekly rollups.

It takes only what it is sure of. The maps it joins hold the values the rules (`rules.read_*`)
accept, so a row any rule refuses simply finds no partner in a map; the statement then writes
fewer marks than the file has rows, and the whole attempt is rolled back to its savepoint. So is
a mark already recorded or sent twice (the unique constraint on marks stops the statement). The
caller then takes the general way (`loading.Loader`), which numbers the rows, names every problem
and keeps versions of changed marks. Nothing here decides on its own that a row is good: a row
goes in only if every map and condition below, built from `rules`, lets it through.

Why it is quicker: no row numbers (a sequence per row), no copy of the resolved rows into a
second table, no ANALYZE, the checks as hash joins on a few small maps inside the write itself,
and rollups summed from the rows just written (RETURNING) into one upsert.
"""

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import psycopg
from django.db import DataError, IntegrityError, connection, transaction

from aptrack.attendance import codes, rules
from aptrack.attendance.loading import STAGE_COLUMNS, StagedShort, copy_file
from aptrack.attendance.marks_file import FileShape
from aptrack.calendars import selectors as calendar_selectors

_TABLES = ("att_b_stage", "att_b_upn", "att_b_date", "att_b_mark", "att_b_placement")
_SESSIONS = ("AM", "PM")


@dataclass(frozen=True)
class Loaded:
    rows: int
    created: int
    unchanged: int = 0


# The staged rows every map and condition lets through, as marks: `u.placement_id`, `d.day`,
# `m.session`, `m.code`, _MINUTES and TRIM(s.comment).
_ACCEPTED_ROWS = f"""
    FROM att_b_stage s
    JOIN att_b_upn u ON u.raw = s.upn
    JOIN att_b_date d ON d.raw = s.date AND d.calendar = u.calendar
         AND d.day >= u.start_date AND d.day <= u.end_date
    JOIN att_b_mark m ON m.session_raw = s.session AND m.code_raw = s.code
    WHERE (s.minutes = '' OR (m.takes_minutes AND CASE WHEN s.minutes ~ '^[0-9]{{1,3}}$'
           THEN CAST(s.minutes AS integer) <= {rules.MAX_MINUTES_LATE} ELSE false END))
      AND LENGTH(TRIM(s.comment)) <= {rules.MAX_COMMENT_LENGTH}
"""
# Its week's Monday is a date less the days since a Monday, counted in whole weeks.
_A_MONDAY = "1900-01-01"
# Minutes late as a number, or NULL (the CASE keeps the cast from seeing anything but digits).
_MINUTES = "(CASE WHEN s.minutes ~ '^[0-9]{1,3}$' THEN CAST(s.minutes AS integer) END)"


class _NotForUs(Exception):
    """The file needs the general way in."""


def applies(shape: FileShape) -> bool:
    """PostgreSQL, and a file whose every row is one line (what COPY can take whole)."""
    return connection.vendor == "postgresql" and shape.header_lines == 1 and not shape.spans_lines


def load_new_marks(
    *,
    stream: BinaryIO,
    shape: FileShape,
    provider_id: int,
    batch_id: int,
    today: dt.date,
    spans: Sequence[Any],
    children_by_upn: dict[str, int],
    rollup_columns: Sequence[tuple[str, frozenset[str]]],
    marks_table: str,
    weeks_table: str,
) -> Loaded | None:
    """Record every row of the file as a new mark, with its rollups, or change nothing and
    return None. Use inside the caller's transaction, after it has locked the provider."""
    cursor = connection.cursor()
    try:
        with transaction.atomic():
            loaded = _load(
                cursor,
                stream,
                shape,
                provider_id=provider_id,
                batch_id=batch_id,
                today=today,
                spans=spans,
                children_by_upn=children_by_upn,
                rollup_columns=rollup_columns,
                marks_table=marks_table,
                weeks_table=weeks_table,
            )
            for table in _TABLES:
                cursor.execute(f"DROP TABLE {table}")
            return loaded
    except (_NotForUs, DataError):
        return None  # rolled back to the savepoint: the general way starts from a clean slate
    finally:
        cursor.close()


def _load(cursor: Any, stream: BinaryIO, shape: FileShape, **kw: Any) -> Loaded:
    rows = _stage(cursor, stream, shape)
    if rows <= 0:
        raise _NotForUs  # the general way says there is nothing to record
    upns, days = _distinct_values(kw["today"], kw["children_by_upn"])
    _fill_maps(cursor, upns, days, **kw)
    # Only hash joins: each map is small, and the staged rows have no statistics to plan by.
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute("SET LOCAL enable_sort = off")  # rollups summed in a hash table
    cursor.execute("SET LOCAL work_mem = '128MB'")
    try:
        with transaction.atomic():
            created = _write(cursor, **kw)
        if created != rows:
            raise _NotForUs  # some row broke a rule
        loaded = Loaded(rows=rows, created=created)
    except IntegrityError:
        # Some marks are recorded already (or the file sends one twice): all is well only if
        # the file sends back exactly what is recorded.
        loaded = Loaded(
            rows=rows, created=0, unchanged=_count_unchanged(cursor, rows, days.values(), **kw)
        )
    for setting in ("enable_nestloop", "enable_mergejoin", "enable_sort", "work_mem"):
        cursor.execute(f"SET LOCAL {setting} TO DEFAULT")
    return loaded


def _stage(cursor: Any, stream: BinaryIO, shape: FileShape) -> int:
    """The file's rows as sent, by COPY straight from the file (no row numbers)."""
    cursor.execute(
        "CREATE TEMP TABLE att_b_stage ("
        + ", ".join(f"{name} text NOT NULL DEFAULT ''" for name in STAGE_COLUMNS.values())
        + ")"
    )
    try:
        return copy_file(cursor, "att_b_stage", stream, shape)
    except (psycopg.Error, StagedShort) as refused:
        raise _NotForUs from refused  # a row COPY cannot read: the general way names it


def _distinct_values(
    today: dt.date, children_by_upn: dict[str, int]
) -> tuple[dict[str, int], dict[str, dt.date]]:
    """The file's distinct UPNs and dates, read by the rules, having checked its sessions and
    codes; stops at the first value refused (the general way will say why)."""
    upns: dict[str, int] = {}
    days: dict[str, dt.date] = {}
    marks = {(session, code) for session, code, *_ in _mark_map()}
    with connection.chunked_cursor() as values:
        values.execute(
            "SELECT GROUPING(upn), GROUPING(date), upn, date, session, code FROM att_b_stage "
            "GROUP BY GROUPING SETS ((upn), (date), (session, code))"
        )
        while chunk := values.fetchmany(10_000):
            for not_upn, not_date, upn, date, session, code in chunk:
                if not_upn and not_date:
                    if (session, code) not in marks:
                        raise _NotForUs
                    if rules.read_code(code).value == codes.NON_COMPULSORY_AGE_CODE:
                        raise _NotForUs  # allowed only by the child's age: the general way checks it
                    continue
                checked = (
                    rules.read_upn(upn, children_by_upn)
                    if not not_upn
                    else rules.read_date(date, today)
                )
                if checked.value is None:
                    raise _NotForUs
                if not not_upn:
                    upns[upn] = checked.value
                else:
                    days[date] = checked.value
    return upns, days


def _fill_maps(
    cursor: Any,
    upns: dict[str, int],
    days: dict[str, dt.date],
    *,
    spans: Sequence[Any],
    **_: Any,
) -> None:
    """The small tables the write joins: each UPN sent to its child's placements (dated spans
    that never overlap), each date sent to the calendars it is a school day on, each session and
    code pair sent to the mark it records, and each placement's child and LA."""
    # LAs whose calendars agree on every date in the file share one calendar number.
    calendar_of_la: dict[int, int] = {}
    school_days: dict[frozenset[dt.date], int] = {}
    distinct_days = set(days.values())
    for la_id in sorted({span.la_id for span in spans}):
        calendar = calendar_selectors.get_calendar(la_id=la_id)
        open_days = frozenset(day for day in distinct_days if calendar.is_school_day(day))
        calendar_of_la[la_id] = school_days.setdefault(open_days, len(school_days))
    if distinct_days - set().union(*school_days):
        raise _NotForUs  # a date that is a school day on none of the calendars
    spans_of_child: dict[int, list[Any]] = defaultdict(list)
    for span in spans:
        spans_of_child[span.child_id].append(span)

    cursor.execute(
        "CREATE TEMP TABLE att_b_upn (raw text, placement_id bigint, start_date date, end_date date, calendar integer)"
    )
    _copy(
        cursor,
        "att_b_upn",
        (
            (raw, span.placement_id, span.start_date, span.end_date, calendar_of_la[span.la_id])
            for raw, child_id in upns.items()
            for span in spans_of_child[child_id]
        ),
    )
    cursor.execute("CREATE TEMP TABLE att_b_date (calendar integer, raw text, day date)")
    _copy(
        cursor,
        "att_b_date",
        (
            (number, raw, day)
            for open_days, number in school_days.items()
            for raw, day in days.items()
            if day in open_days
        ),
    )
    cursor.execute(
        "CREATE TEMP TABLE att_b_mark (session_raw text, code_raw text, session text, code text, takes_minutes boolean)"
    )
    _copy(cursor, "att_b_mark", _mark_map())
    cursor.execute(
        "CREATE TEMP TABLE att_b_placement (placement_id bigint PRIMARY KEY, child_id bigint, la_id bigint)"
    )
    _copy(cursor, "att_b_placement", ((s.placement_id, s.child_id, s.la_id) for s in spans))


@functools.cache
def _mark_map() -> list[tuple[str, str, str, str, bool]]:
    """Every session and code as a file may spell them (any letter case) that the rules accept,
    with the mark recorded: a present sign is the session's own (/ for AM, \\ for PM)."""
    rows = []
    for session_raw in _spellings(_SESSIONS):
        session = rules.read_session(session_raw).value
        for code_raw in _spellings(code.code for code in codes.CODES):
            code = rules.read_code(code_raw).value
            if session is None or code is None:
                continue
            if code in codes.PRESENT_SIGNS:
                code = codes.PRESENT_SIGN[session]
            rows.append(
                (session_raw, code_raw, session, code, codes.BY_CODE[code].takes_minutes_late)
            )
    return rows


def _spellings(words: Any) -> set[str]:
    return {
        "".join(letters)
        for word in words
        for letters in itertools.product(*({char.lower(), char.upper()} for char in word))
    }


def _write(
    cursor: Any,
    *,
    provider_id: int,
    batch_id: int,
    rollup_columns: Sequence[tuple[str, frozenset[str]]],
    marks_table: str,
    weeks_table: str,
    **_: Any,
) -> int:
    """One statement: every row that passes every map and condition becomes a new mark, and
    the marks written are summed by placement-week into the rollups. Returns the marks written."""
    names = [name for name, _ in rollup_columns]
    cursor.execute(
        f"""
        WITH written AS (
            INSERT INTO {marks_table}
                (placement_id, session_date, session, code, minutes_late, comment, version, batch_id)
            SELECT u.placement_id, d.day, m.session, m.code, {_MINUTES}, TRIM(s.comment), 1, %s
            {_ACCEPTED_ROWS}
            RETURNING placement_id, session_date, code
        ),
        weeks AS (
            INSERT INTO {weeks_table}
                (placement_id, week_start_date, child_id, local_authority_id, provider_id, {", ".join(names)})
            SELECT w.placement_id, w.week_start, p.child_id, p.la_id, %s, {", ".join(f"w.{n}" for n in names)}
            FROM (
                SELECT i.placement_id, i.session_date - (i.session_date - DATE '{_A_MONDAY}') %% 7,
                       {", ".join(f"SUM(CASE WHEN i.code = ANY(%s) THEN 1 ELSE 0 END) AS {n}" for n in names)}
                FROM written i
                GROUP BY 1, 2
            ) w (placement_id, week_start, {", ".join(names)})
            JOIN att_b_placement p ON p.placement_id = w.placement_id
            ON CONFLICT (placement_id, week_start_date) DO UPDATE
            SET {", ".join(f"{n} = {weeks_table}.{n} + excluded.{n}" for n in names)}
            RETURNING 1
        )
        SELECT COUNT(*) FROM written
        """,
        [batch_id, provider_id, *(sorted(wanted) for _, wanted in rollup_columns)],
    )
    return int(cursor.fetchone()[0])


def _count_unchanged(
    cursor: Any,
    rows: int,
    days: Iterable[dt.date],
    *,
    spans: Sequence[Any],
    marks_table: str,
    **_: Any,
) -> int:
    """How many marks the file sends back exactly as recorded, if every row does; else the
    general way (a changed mark needs its old version kept)."""
    days = list(days)
    cursor.execute(
        f"""
        SELECT COUNT(*), COUNT(DISTINCT r.id)
        FROM (SELECT u.placement_id, d.day, m.session, m.code, {_MINUTES} AS minutes,
                     TRIM(s.comment) AS comment
              {_ACCEPTED_ROWS}) f
        JOIN (SELECT id, placement_id, session_date, session, code, minutes_late, comment
              FROM {marks_table}
              WHERE placement_id = ANY(%s) AND session_date >= %s AND session_date <= %s) r
          ON r.placement_id = f.placement_id AND r.session_date = f.day AND r.session = f.session
        WHERE r.code = f.code AND r.comment = f.comment
          AND r.minutes_late IS NOT DISTINCT FROM f.minutes
        """,
        [sorted({span.placement_id for span in spans}), min(days), max(days)],
    )
    accepted, unchanged = cursor.fetchone()
    if accepted != rows:
        raise _NotForUs
    return int(unchanged)


def _copy(cursor: Any, table: str, rows: Any) -> None:
    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
