"""The one way marks are written, on SQLite and PostgreSQL, for every channel: stage the rows
as sent, resolve them against the rules, then write what is right (keeping earlier versions) and
add the changes to the weekly rollups (`rollups`, the one rollup writer).

Rules on single values (`rules.read_*`, the only statement of them) run in Python once per
distinct value; their answers go into small map tables that SQL joins back onto every row, so a
million-row file costs a handful of statements, not a million Python checks. Rules across values
(placed on that date, a school day for that LA, X only outside compulsory school age) are the
one resolve query (`Loader.resolve`), with their reasons in `rules`. Everything happens in the
caller's transaction on temporary tables, which are private to the connection.

Staging has two modes: on PostgreSQL a file whose every row is one line goes straight from disk
into COPY (its staged-row count checked against the file's data lines); anything else, and every
batch on SQLite, is read row by row. Writing has a one-pass case and a step-by-step case over
the same resolve query: a batch of new marks with no problem is checked and written in one
statement (`insert_if_all_new`, in a savepoint); any other batch is counted, its problems listed
row by row and column by column (`count_bad_rows`, `row_errors`, `duplicate_errors`), and
merged (`merge`). All or nothing: the caller rolls back the whole batch on any problem.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import psycopg
from django.db import IntegrityError, connection, transaction

from aptrack.attendance import codes, rollups, rules
from aptrack.attendance.marks_file import Body, FileShape, iter_records
from aptrack.attendance.models import AttendanceMark, AttendanceMarkVersion, PlacementWeek
from aptrack.attendance.rules import Column, RowError
from aptrack.calendars import selectors as calendar_selectors

FAR_FUTURE = dt.date(9999, 12, 31)
CHUNK_ROWS = 10_000
MARKS = AttendanceMark._meta.db_table
VERSIONS = AttendanceMarkVersion._meta.db_table
WEEKS = PlacementWeek._meta.db_table
# An advisory-lock namespace, so one provider's batches are merged one at a time.
LOCK_NAMESPACE = 7_301

STAGE_COLUMNS: dict[Column, str] = {
    Column.UPN: "upn",
    Column.DATE: "date",
    Column.SESSION: "session",
    Column.CODE: "code",
    Column.MINUTES_LATE: "minutes",
    Column.COMMENT: "comment",
}
# Each staged column's map of distinct values: table and columns (the raw value first).
_VALUE_MAPS: dict[str, tuple[str, list[str]]] = {
    "upn": ("att_upn", ["raw", "child_id", "reason"]),
    "date": ("att_date", ["raw", "day", "week_start", "reason"]),
    "session": ("att_session", ["raw", "session", "reason"]),
    "code": ("att_code", ["raw", "code", "takes_minutes", "reason"]),
    "minutes": ("att_minutes", ["raw", "minutes", "reason"]),
}
_TEMP_TABLES = (
    "att_stage",
    "att_upn",
    "att_date",
    "att_session",
    "att_code",
    "att_minutes",
    "att_placement",
    "att_day",
    "att_resolved",
    "att_changes",
    "att_written",
)


@dataclass(frozen=True)
class MarkRow:
    """One mark as sent: strings, as a file or request holds them. `child_id` stands in for
    the UPN when the register page, which knows its children, sends the row."""

    upn: str = ""
    date: str = ""
    session: str = ""
    code: str = ""
    minutes_late: str = ""
    comment: str = ""
    child_id: int | None = None


@dataclass(frozen=True)
class PlacementSpan:
    """A placement with the provider, as the rules see it: whose, when, and which LA's calendar."""

    placement_id: int
    child_id: int
    start_date: dt.date
    end_date: dt.date  # FAR_FUTURE while open
    la_id: int
    # When the child is of compulsory school age (children.schooling), if their birth date is known.
    compulsory_from: dt.date | None = None
    compulsory_to: dt.date | None = None


@dataclass(frozen=True)
class MergeCounts:
    created: int
    changed: int
    unchanged: int


class Loader:
    """One batch's temporary tables and the statements over them. Use inside `atomic()`."""

    def __init__(self, *, provider_id: int, today: dt.date) -> None:
        self.provider_id = provider_id
        self.today = today
        self.postgres = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.staged = 0
        self.has_duplicates = False
        self.duplicates_checked = False
        self.resolved = "att_resolved"  # the resolved rows: a table, or a query (`resolve`)
        self.good_rows = 0
        self.days: tuple[dt.date | None, dt.date | None] = (None, None)
        # The batch's new and changed marks once merged, for the rollups (`rollups.add_changes`).
        self.changes = ""
        self.written_weeks = ""  # or the new marks summed by placement-week as they were written

    # --- tables --------------------------------------------------------------------------

    def create_tables(self) -> None:
        self.drop_tables()
        date_type = "date" if self.postgres else "text"
        identity = (
            "GENERATED BY DEFAULT AS IDENTITY (START WITH 2 CACHE 10000)" if self.postgres else ""
        )
        text_columns = ", ".join(
            f"{name} text NOT NULL DEFAULT ''" for name in STAGE_COLUMNS.values()
        )
        self._execute(
            f"CREATE TEMP TABLE att_stage (row_number bigint {identity}, child_id bigint, {text_columns})"
        )
        self._execute(
            "CREATE TEMP TABLE att_upn (raw text PRIMARY KEY, child_id bigint, reason text)"
        )
        self._execute(
            f"CREATE TEMP TABLE att_date (raw text PRIMARY KEY, day {date_type}, week_start {date_type}, reason text)"
        )
        self._execute(
            "CREATE TEMP TABLE att_session (raw text PRIMARY KEY, session text, reason text)"
        )
        self._execute(
            "CREATE TEMP TABLE att_code (raw text PRIMARY KEY, code text, takes_minutes integer, reason text)"
        )
        self._execute(
            "CREATE TEMP TABLE att_minutes (raw text PRIMARY KEY, minutes integer, reason text)"
        )
        self._execute(
            f"CREATE TEMP TABLE att_placement (placement_id bigint PRIMARY KEY, child_id bigint, "
            f"start_date {date_type}, end_date {date_type}, la_id bigint, "
            f"compulsory_from {date_type}, compulsory_to {date_type})"
        )
        self._execute("CREATE INDEX att_placement_child ON att_placement (child_id)")
        self._execute(
            f"CREATE TEMP TABLE att_day (la_id bigint, day {date_type}, reason text, PRIMARY KEY (la_id, day))"
        )
        if self.postgres:
            # Room for the batch's sorts and hashes in memory, and no JIT compiling, which costs
            # more than it saves on these one-off statements (this transaction only).
            self._execute("SET LOCAL work_mem = '128MB'")
            self._execute("SET LOCAL jit = off")

    def drop_tables(self) -> None:
        for table in _TEMP_TABLES:
            self._execute(f"DROP TABLE IF EXISTS {'' if self.postgres else 'temp.'}{table}")

    def close(self) -> None:
        self.cursor.close()

    def lock_provider(self) -> None:
        """Batches for one provider merge one after another (SQLite locks the whole database)."""
        if self.postgres:
            self._execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, self.provider_id % 2**31]
            )

    # --- staging ---------------------------------------------------------------------------

    def stage_file(
        self, stream: BinaryIO, shape: FileShape, *, limit: int
    ) -> tuple[list[RowError], int]:
        """Stage every row of a checked file. Returns the first `limit` rows too broken to stage
        (wrong number of fields) and how many there were. On PostgreSQL a well-formed file goes
        to COPY whole; only a file COPY refuses is read row by row, to name every bad row."""
        # Only where every row is one line: COPY would hold a quoted field running over
        # thousands of lines in memory, where the csv module stops at its field size limit.
        if self.postgres and shape.header_lines == 1 and not shape.spans_lines:
            try:
                with transaction.atomic():
                    self._copy_file(stream, shape)
                return [], 0
            except (psycopg.Error, StagedShort):
                pass  # rolled back to the savepoint
        errors: list[RowError] = []
        broken = 0
        columns = ["row_number", *(STAGE_COLUMNS[column] for column in shape.columns)]

        def good_rows() -> Iterator[Sequence[Any]]:
            nonlocal broken
            for record in iter_records(stream, shape):
                if isinstance(record, RowError):
                    broken += 1
                    if len(errors) < limit:
                        errors.append(record)
                else:
                    yield (record[0], *record[1])

        self.staged = self._insert("att_stage", columns, good_rows())
        return errors, broken

    def _copy_file(self, stream: BinaryIO, shape: FileShape) -> None:
        self.staged = copy_file(self.cursor, "att_stage", stream, shape)
        # Rows COPY read as blank are not marks; the Python reader skips them too.
        self._execute(
            "DELETE FROM att_stage WHERE upn = '' AND date = '' AND session = '' AND code = ''"
        )
        self.staged -= self.cursor.rowcount

    def stage_rows(self, rows: Sequence[MarkRow]) -> None:
        columns = ["row_number", "child_id", *STAGE_COLUMNS.values()]
        self.staged = self._insert(
            "att_stage",
            columns,
            (
                (
                    number,
                    row.child_id,
                    row.upn,
                    row.date,
                    row.session,
                    row.code,
                    row.minutes_late,
                    row.comment,
                )
                for number, row in enumerate(rows, start=1)
            ),
        )

    # --- resolving -------------------------------------------------------------------------

    def resolve(self, *, spans: Sequence[PlacementSpan], children_by_upn: dict[str, int]) -> None:
        """Apply the rules: map every distinct value, then join the maps onto every row."""
        self._analyze("att_stage")
        self._insert(
            "att_placement",
            [
                "placement_id",
                "child_id",
                "start_date",
                "end_date",
                "la_id",
                "compulsory_from",
                "compulsory_to",
            ],
            (
                (
                    s.placement_id,
                    s.child_id,
                    self._date(s.start_date),
                    self._date(s.end_date),
                    s.la_id,
                    None if s.compulsory_from is None else self._date(s.compulsory_from),
                    None if s.compulsory_to is None else self._date(s.compulsory_to),
                )
                for s in spans
            ),
        )
        days = self._map_values(children_by_upn)
        self._map_days(spans, days)
        # Every staged row with what the maps say of each value and whether it may be recorded
        # (`ok`): a query, not a table, read once to count and once to write when every row is
        # good; a batch with problems is kept as a table (`_keep_resolved`) to list them.
        am, pm = codes.PRESENT_SIGN["AM"], codes.PRESENT_SIGN["PM"]
        x = _quoted(codes.NON_COMPULSORY_AGE_CODE)
        self.resolved = f"""(
            SELECT s.row_number,
                   COALESCE(s.child_id, u.child_id) AS child_id, u.reason AS upn_reason,
                   d.day, d.week_start, d.reason AS date_reason,
                   se.session, se.reason AS session_reason,
                   CASE WHEN c.code IN ({", ".join(map(_quoted, sorted(codes.PRESENT_SIGNS)))}) THEN
                        (CASE WHEN se.session = 'AM' THEN {_quoted(am)} ELSE {_quoted(pm)} END)
                        ELSE c.code END AS code,
                   c.takes_minutes, c.reason AS code_reason,
                   mi.minutes, mi.reason AS minutes_reason,
                   TRIM(s.comment) AS comment,
                   p.placement_id, dd.reason AS day_reason,
                   CASE WHEN c.code = {x} AND d.day >= p.compulsory_from AND d.day <= p.compulsory_to
                        THEN 1 ELSE 0 END AS x_of_compulsory_age,
                   CASE WHEN u.reason IS NULL AND COALESCE(s.child_id, u.child_id) IS NOT NULL
                         AND d.reason IS NULL AND d.day IS NOT NULL
                         AND se.reason IS NULL AND se.session IS NOT NULL
                         AND c.reason IS NULL AND c.code IS NOT NULL
                         AND mi.reason IS NULL AND (mi.minutes IS NULL OR c.takes_minutes = 1)
                         AND LENGTH(TRIM(s.comment)) <= {rules.MAX_COMMENT_LENGTH}
                         AND p.placement_id IS NOT NULL
                         AND dd.la_id IS NOT NULL AND dd.reason IS NULL
                         AND (c.code <> {x} OR p.compulsory_from IS NULL
                              OR d.day < p.compulsory_from OR d.day > p.compulsory_to)
                        THEN 1 ELSE 0 END AS ok
            FROM att_stage s
            LEFT JOIN att_upn u ON s.child_id IS NULL AND u.raw = s.upn
            LEFT JOIN att_date d ON d.raw = s.date
            LEFT JOIN att_session se ON se.raw = s.session
            LEFT JOIN att_code c ON c.raw = s.code
            LEFT JOIN att_minutes mi ON mi.raw = s.minutes
            LEFT JOIN att_placement p ON p.child_id = COALESCE(s.child_id, u.child_id)
                 AND d.day >= p.start_date AND d.day <= p.end_date
            LEFT JOIN att_day dd ON dd.la_id = p.la_id AND dd.day = d.day
        )"""
        if self.postgres:
            # Hash joins against the small maps: sorting a million staged rows to merge-join
            # them with a few thousand placements is slower (this transaction only).
            self._execute("SET LOCAL enable_mergejoin = off")

    def _keep_resolved(self) -> None:
        """Keep the resolved rows as a table, to list problems and duplicates from."""
        if self.resolved == "att_resolved":
            return
        self._execute(f"CREATE TEMP TABLE att_resolved AS SELECT * FROM {self.resolved} r")
        self.resolved = "att_resolved"
        self._analyze("att_resolved")

    def _map_values(self, children_by_upn: dict[str, int]) -> set[dt.date]:
        """Fill the value maps from the batch's distinct values; return the good dates."""
        days: set[dt.date] = set()
        pending: dict[str, list[tuple[Any, ...]]] = {column: [] for column in _VALUE_MAPS}
        columns = list(_VALUE_MAPS)
        if self.postgres:
            # One pass over the rows for all five columns' distinct values.
            distinct = (
                f"SELECT {', '.join(f'GROUPING({column})' for column in columns)}, "
                f"{', '.join(columns)} FROM att_stage "
                f"GROUP BY GROUPING SETS ({', '.join(f'({column})' for column in columns)})"
            )
        else:
            distinct = " UNION ALL ".join(
                f"SELECT {', '.join('0' if other == column else '1' for other in columns)}, "
                f"{', '.join(column if other == column else 'NULL' for other in columns)} "
                f"FROM att_stage GROUP BY {column}"
                for column in columns
            )
        # A server-side cursor: a hostile file may hold a million distinct values.
        with connection.chunked_cursor() as values:
            values.execute(distinct)
            while chunk := values.fetchmany(CHUNK_ROWS):
                for row in chunk:
                    index = row[: len(columns)].index(0)  # the column this is a value of
                    column, raw = columns[index], row[len(columns) + index]
                    pending[column].append(self._map_row(column, raw, children_by_upn, days))
                for column, rows in pending.items():
                    if len(rows) >= CHUNK_ROWS:
                        self._insert(*_VALUE_MAPS[column], rows)
                        rows.clear()
        for column, rows in pending.items():
            self._insert(*_VALUE_MAPS[column], rows)
        return days

    def _map_row(
        self, column: str, raw: str, children_by_upn: dict[str, int], days: set[dt.date]
    ) -> tuple[Any, ...]:
        """One row of a value map: the raw value, what it means, or why it cannot be used."""
        if column == "upn":
            child = rules.read_upn(raw, children_by_upn)
            return (raw, child.value, child.reason)
        if column == "date":
            day = rules.read_date(raw, self.today)
            if day.value is None:
                return (raw, None, None, day.reason)
            days.add(day.value)
            return (raw, self._date(day.value), self._date(rules.week_of(day.value)[0]), None)
        if column == "session":
            session = rules.read_session(raw)
            return (raw, session.value, session.reason)
        if column == "code":
            code = rules.read_code(raw)
            late = code.value is not None and codes.BY_CODE[code.value].takes_minutes_late
            return (raw, code.value, int(late), code.reason)
        minutes = rules.read_minutes_late(raw)
        return (raw, minutes.value, minutes.reason)

    def _map_days(self, spans: Sequence[PlacementSpan], days: set[dt.date]) -> None:
        """Whether each good date is a school day on the calendar of each LA whose placements
        cover it. Dates no placement covers are left out (those rows fail as not placed)."""
        ordered = sorted(days)
        needed: dict[int, set[dt.date]] = defaultdict(set)
        for span in spans:
            low = bisect.bisect_left(ordered, span.start_date)
            high = bisect.bisect_right(ordered, span.end_date)
            needed[span.la_id].update(ordered[low:high])
        rows: list[tuple[Any, ...]] = []
        for la_id, la_days in needed.items():
            if not la_days:
                continue
            calendar = calendar_selectors.get_calendar(la_id=la_id)
            closures = {
                closure.date: _closure_text(closure)
                for closure in calendar_selectors.list_closures(
                    la_id=la_id, start=min(la_days), end=max(la_days)
                )
            }
            rows += [
                (la_id, self._date(day), rules.school_day_reason(calendar, day, closures))
                for day in la_days
            ]
        self._insert("att_day", ["la_id", "day", "reason"], rows)

    # --- reporting -------------------------------------------------------------------------

    def count_bad_rows(self) -> int:
        """How many rows break a rule; also notes the good rows and their first and last date,
        in the same pass. A batch with bad rows is kept as a table to list them."""
        self._execute(
            f"SELECT COUNT(*), COALESCE(SUM(ok), 0), MIN(CASE WHEN ok = 1 THEN day END), "
            f"MAX(CASE WHEN ok = 1 THEN day END) FROM {self.resolved} r"
        )
        rows, self.good_rows, first_day, last_day = self.cursor.fetchone()
        self.days = (_as_date(first_day), _as_date(last_day))
        bad = int(rows) - int(self.good_rows)
        if bad:
            self._keep_resolved()
        return bad

    def row_errors(self, limit: int) -> list[RowError]:
        """The problems in the first `limit` bad rows, column by column."""
        self._execute(
            f"""
            SELECT row_number, upn_reason, child_id, day, date_reason, session_reason, code,
                   code_reason, takes_minutes, minutes, minutes_reason, LENGTH(comment),
                   placement_id, day_reason, x_of_compulsory_age
            FROM {self.resolved} r WHERE ok = 0 ORDER BY row_number LIMIT %s
            """,
            [limit],
        )
        errors: list[RowError] = []
        for (
            row,
            upn_reason,
            child_id,
            day,
            date_reason,
            session_reason,
            code,
            code_reason,
            takes_minutes,
            minutes,
            minutes_reason,
            comment_length,
            placement_id,
            day_reason,
            x_of_compulsory_age,
        ) in self.cursor.fetchall():
            day = _as_date(day)
            found: list[tuple[Column, str]] = []
            if upn_reason:
                found.append((Column.UPN, upn_reason))
            elif child_id is not None and day is not None and placement_id is None:
                found.append((Column.UPN, rules.NOT_PLACED.format(date=rules.uk_date(day))))
            if date_reason:
                found.append((Column.DATE, date_reason))
            elif day_reason:
                found.append((Column.DATE, day_reason))
            if session_reason:
                found.append((Column.SESSION, session_reason))
            if code_reason:
                found.append((Column.CODE, code_reason))
            elif x_of_compulsory_age and day is not None:
                found.append(
                    (Column.CODE, rules.CODE_X_COMPULSORY_AGE.format(date=rules.uk_date(day)))
                )
            if minutes_reason:
                found.append((Column.MINUTES_LATE, minutes_reason))
            elif minutes is not None and code is not None and not takes_minutes:
                found.append((Column.MINUTES_LATE, rules.MINUTES_NOT_LATE))
            if comment_length > rules.MAX_COMMENT_LENGTH:
                found.append(
                    (
                        Column.COMMENT,
                        rules.COMMENT_TOO_LONG.format(maximum=rules.MAX_COMMENT_LENGTH),
                    )
                )
            errors += [RowError(row, column, reason) for column, reason in found]
        return errors

    def duplicate_errors(self, limit: int) -> tuple[list[RowError], int]:
        """Rows for a session an earlier row already marked differently. Rows that agree are
        tolerated (and merged once). Returns the first `limit` and how many there are."""
        self._keep_resolved()
        self.duplicates_checked = True
        errors: list[RowError] = []
        total = 0
        first: tuple[Any, ...] | None = None
        # A server-side cursor: a hostile file may repeat one row a million times.
        with connection.chunked_cursor() as duplicates:
            duplicates.execute(
                """
                SELECT r.row_number, r.placement_id, r.day, r.session, r.code, r.minutes, r.comment
                FROM att_resolved r
                JOIN (SELECT placement_id, day, session FROM att_resolved WHERE ok = 1
                      GROUP BY placement_id, day, session HAVING COUNT(*) > 1) k
                  ON k.placement_id = r.placement_id AND k.day = r.day AND k.session = r.session
                WHERE r.ok = 1
                ORDER BY r.placement_id, r.day, r.session, r.row_number
                """
            )
            while chunk := duplicates.fetchmany(CHUNK_ROWS):
                self.has_duplicates = True
                for row, *key_and_mark in chunk:
                    key, mark = tuple(key_and_mark[:3]), tuple(key_and_mark[3:])
                    if first is None or first[1] != key:
                        first = (row, key, mark)
                    elif mark != first[2]:
                        total += 1
                        if len(errors) < limit:
                            errors.append(
                                RowError(
                                    row,
                                    Column.CODE,
                                    rules.DUPLICATE_DISAGREES.format(first=first[0]),
                                )
                            )
        errors.sort(key=lambda error: error.row or 0)
        return errors, total

    # --- merging ---------------------------------------------------------------------------

    def insert_if_all_new(self, *, batch_id: int) -> MergeCounts | None:
        """The common case in one pass: when nothing is recorded yet for the provider's
        placements in the batch's dates, write every row that passes every rule, in a savepoint,
        and keep the writes only if that was every row staged and no session was marked twice
        (the marks' unique constraint). Otherwise return None, having written nothing: then
        `count_bad_rows`, `row_errors`, `duplicate_errors` and `merge` take the batch step by
        step. On PostgreSQL the rows written are summed for the rollups in the same statement."""
        self._execute("SELECT MIN(day), MAX(day) FROM att_date WHERE reason IS NULL")
        first_day, last_day = self.cursor.fetchone()
        if first_day is None or self._marks_exist(first_day, last_day):
            return None
        insert = (
            f"INSERT INTO {MARKS} (placement_id, session_date, session, code, minutes_late, "
            f"comment, version, batch_id) SELECT placement_id, day, session, code, minutes, "
            f"comment, 1, %s FROM {self.resolved} r WHERE ok = 1"
        )
        try:
            with transaction.atomic():
                if self.postgres:
                    rollups.create_class_table(self.cursor)
                    rollups.create_weeks_table(self.cursor, "att_written")
                    self._execute(
                        f"WITH written AS ({insert} RETURNING placement_id, session_date, code) "
                        f"INSERT INTO att_written {rollups.new_marks_weeks_sql('written')}",
                        [batch_id],
                    )
                    self._execute("SELECT COALESCE(SUM(marks), 0) FROM att_written")
                    created = int(self.cursor.fetchone()[0])
                else:
                    self._execute(insert, [batch_id])
                    created = self.cursor.rowcount
                if created != self.staged:
                    raise _NotAllGood
        except (_NotAllGood, IntegrityError):
            return None  # rolled back to the savepoint
        if self.postgres:
            self.written_weeks = "att_written"  # the rollups are summed already
        else:
            self.changes = (
                "(SELECT placement_id, week_start, code, CAST(NULL AS text) AS old_code "
                f"FROM {self.resolved} r WHERE ok = 1)"
            )
        self.good_rows = created
        return MergeCounts(created=created, changed=0, unchanged=0)

    def _marks_exist(self, first_day: Any, last_day: Any) -> bool:
        """Whether any mark is recorded for the provider's placements between the two dates:
        an index range of the marks table, never the whole of it."""
        self._execute(
            f"SELECT 1 FROM {MARKS} WHERE placement_id IN (SELECT placement_id FROM att_placement) "
            "AND session_date >= %s AND session_date <= %s LIMIT 1",
            [first_day, last_day],
        )
        return self.cursor.fetchone() is not None

    def merge(self, *, batch_id: int, limit: int) -> MergeCounts:
        """After `count_bad_rows` found none: insert new marks, and for changed ones keep the
        old version then update; unchanged marks are left alone, so sending the same marks
        twice changes nothing. Raises
        DuplicatesDisagree, having written nothing, if two rows mark one session differently
        (the first `limit` of them named)."""
        if not self.good_rows:
            return MergeCounts(created=0, changed=0, unchanged=0)
        first_day, last_day = self.days
        # Only this provider's placements, in the batch's dates: an index range, never the
        # whole marks table.
        existing = (
            f"(SELECT id, placement_id, session_date, session, code, minutes_late, comment, version, batch_id "
            f"FROM {MARKS} WHERE placement_id IN (SELECT placement_id FROM att_placement) "
            "AND session_date >= %s AND session_date <= %s)"
        )
        if not self._marks_exist(first_day, last_day):
            # Nothing recorded yet for these placements and dates: every mark is new.
            self._check_duplicates(limit)
            return self._insert_new(batch_id, self._final())
        self._check_duplicates(limit)
        final = self._final()
        self._execute(f"SELECT COUNT(*) FROM {final} f")
        distinct_rows = self.cursor.fetchone()[0]
        self._execute(
            f"""
            CREATE TEMP TABLE att_changes AS
            SELECT f.placement_id, f.day, f.session, f.code, f.minutes, f.comment, f.week_start,
                   m.id AS mark_id, m.version, m.code AS old_code, m.minutes_late AS old_minutes,
                   m.comment AS old_comment, m.batch_id AS old_batch_id
            FROM {final} f
            LEFT JOIN {existing} m
              ON m.placement_id = f.placement_id AND m.session_date = f.day AND m.session = f.session
            WHERE m.id IS NULL OR m.code <> f.code OR m.comment <> f.comment
               OR COALESCE(m.minutes_late, -1) <> COALESCE(f.minutes, -1)
            """,
            [first_day, last_day],
        )
        self.changes = "(SELECT placement_id, week_start, code, old_code FROM att_changes)"
        self._execute(
            f"""
            INSERT INTO {VERSIONS} (mark_id, session_date, version, code, minutes_late, comment,
                                    batch_id, replaced_by_batch_id)
            SELECT mark_id, day, version, old_code, old_minutes, old_comment, old_batch_id, %s
            FROM att_changes WHERE mark_id IS NOT NULL
            """,
            [batch_id],
        )
        changed = self.cursor.rowcount
        if changed:
            self._execute(
                f"""
                UPDATE {MARKS} SET code = c.code, minutes_late = c.minutes, comment = c.comment,
                       version = c.version + 1, batch_id = %s
                FROM att_changes c WHERE {MARKS}.id = c.mark_id AND {MARKS}.session_date = c.day
                """,
                [batch_id],
            )
        self._execute(
            f"""
            INSERT INTO {MARKS} (placement_id, session_date, session, code, minutes_late, comment, version, batch_id)
            SELECT placement_id, day, session, code, minutes, comment, 1, %s
            FROM att_changes c WHERE mark_id IS NULL
            """,
            [batch_id],
        )
        created = self.cursor.rowcount
        return MergeCounts(
            created=created,
            changed=changed,
            unchanged=distinct_rows - created - changed,
        )

    def _final(self) -> str:
        """The marks the batch records: its good rows, each session once."""
        distinct = "DISTINCT " if self.has_duplicates else ""
        return (
            f"(SELECT {distinct}placement_id, day, session, code, minutes, comment, week_start "
            f"FROM {self.resolved} r WHERE ok = 1)"
        )

    def _insert_new(self, batch_id: int, final: str) -> MergeCounts:
        """Every mark is new: write them all, and note them for the rollups."""
        self._execute(
            f"""
            INSERT INTO {MARKS} (placement_id, session_date, session, code, minutes_late, comment, version, batch_id)
            SELECT placement_id, day, session, code, minutes, comment, 1, %s FROM {final} f
            """,
            [batch_id],
        )
        created = self.cursor.rowcount
        self.changes = (
            "(SELECT placement_id, week_start, code, CAST(NULL AS text) AS old_code "
            f"FROM {final} f)"
        )
        return MergeCounts(created=created, changed=0, unchanged=0)

    def _check_duplicates(self, limit: int) -> None:
        if self.duplicates_checked:
            return
        errors, total = self.duplicate_errors(limit)
        if errors:
            raise DuplicatesDisagree(errors, total)

    def update_rollups(self) -> None:
        """Add the batch's changes to the weekly rollups (`rollups.add_changes`, the one
        writer), in the transaction that wrote the marks."""
        if self.written_weeks:
            rollups.add_weeks(
                self.cursor,
                weeks=self.written_weeks,
                placements="att_placement",
                provider_id=self.provider_id,
            )
        else:
            rollups.add_changes(
                self.cursor,
                changes_sql=self.changes,
                placements="att_placement",
                provider_id=self.provider_id,
            )

    # --- plumbing --------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.cursor.execute(sql, params)

    def _analyze(self, table: str) -> None:
        if self.postgres:
            self._execute(f"ANALYZE {table}")

    def _date(self, day: dt.date) -> dt.date | str:
        return day if self.postgres else day.isoformat()

    def _insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert rows in chunks: COPY on PostgreSQL, executemany on SQLite. Returns the count."""
        count = 0
        names = ", ".join(columns)
        if self.postgres:
            raw = self.cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            _check_staged(table, staged=raw.rowcount, sent=count)
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        chunk: list[Sequence[Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                self.cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk.clear()
        if chunk:
            self.cursor.executemany(sql, chunk)
            count += len(chunk)
        return count


class _NotAllGood(Exception):
    """Some staged row was not written: roll back and take the batch step by step."""


class DuplicatesDisagree(Exception):
    """Rows mark one session differently: nothing may be recorded."""

    def __init__(self, errors: list[RowError], total: int) -> None:
        self.errors = errors
        self.total = total
        super().__init__(f"{total} rows disagree with an earlier row for the same session")


class StagedShort(Exception):
    """COPY stored fewer (or more) rows than it was sent: nothing may be read from the table."""


STAGED_SHORT = "COPY into {table} stored {staged:,} rows of the {sent:,} sent"


def copy_file(cursor: Any, table: str, stream: BinaryIO, shape: FileShape) -> int:
    """COPY a checked file (one row a line) into a text table whose columns are named as in
    `STAGE_COLUMNS`. Returns the rows stored, having checked COPY stored one for every data
    line: in CSV form a line holding only `\\.` ends COPY's input early, and no content may
    do that silently. Raises StagedShort (roll back to a savepoint and read the file row by
    row) or psycopg.Error."""
    columns = ", ".join(STAGE_COLUMNS[column] for column in shape.columns)
    encoding = "UTF8" if shape.encoding == "utf-8" else "WIN1252"
    sql = (
        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true, "
        f"ENCODING '{encoding}', FORCE_NOT_NULL ({columns}))"
    )
    raw = cursor.cursor
    body = Body(stream, shape)
    with raw.copy(sql) as copy:
        for chunk in body:
            copy.write(chunk)
    _check_staged(table, staged=raw.rowcount, sent=body.lines)
    return int(raw.rowcount)


def _check_staged(table: str, *, staged: int, sent: int) -> None:
    if staged != sent:
        raise StagedShort(STAGED_SHORT.format(table=table, staged=staged, sent=sent))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _closure_text(closure: Any) -> str:
    label = closure.get_kind_display()
    label = label[0].lower() + label[1:]
    return f"{label} ({closure.description})" if closure.description else label


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
