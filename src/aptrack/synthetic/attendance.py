"""Synthetic attendance marks: one for every session of every started placement, from 1 September
of the academic year containing `today` to the day before `today` (at 7am today's registers are
still to be taken), on the school days of the placement's LA calendar.

The figures aim at the national picture for state-funded AP (domain.md §7: about 57.5%
attendance; 82.7% of pupils persistently and 39.2% severely absent):
- each provider has an attendance level: pupil referral units near the national figure,
  non-school providers with a wide spread (some near 90%, some near 30%); and its own use of
  approved educational activity (B, V, K, P, W) and a day or two of planned closure (#);
- each child a level around their provider's (one offset for all of a child's placements), a
  leaning towards unauthorised or authorised absence, a habit of lateness, and for a few,
  transport that often fails (Q, Y1);
- days are attended or missed in runs (a two-state chain whose long-run share is the child's
  level), so illness lasts a few days and the most absent children miss weeks together; a run
  keeps one code drawn from realistic weights (C2 mostly for children on a part-time
  timetable); an attended day may be late (L before the register closed, U after, with the
  minutes late) or lose a session to an appointment (M) or to going home;
- dual-registered placements with hours at the home school mark those sessions D.

Marks go in weekly batches per provider (channel SYNTHETIC). Some absences were first recorded
as N (no reason yet) and explained in the next week's batch: the mark is then version 2 and
version 1 is kept; in the last week they may still be N. Weekly rollups are rebuilt afterwards.

Nothing here reads the clock or the global random state: the caller passes both. PostgreSQL is
fed by COPY, SQLite by executemany, both as streams, so a national year (tens of millions of
marks) never sits in memory.
"""

import contextlib
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection

from aptrack.attendance import partitions
from aptrack.attendance.models import (
    AttendanceMark,
    AttendanceMarkVersion,
    MarkBatch,
    MarkChannel,
)
from aptrack.attendance.rollups import rebuild_weekly_rollups
from aptrack.children import schooling
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.synthetic.registers import ONE_DAY, Register, Span

# fmt: off
MARK_COLUMNS = ["id", "placement_id", "session_date", "session", "code", "minutes_late", "comment",
                "version", "batch_id"]
VERSION_COLUMNS = ["mark_id", "session_date", "version", "code", "minutes_late", "comment",
                   "batch_id", "replaced_by_batch_id"]
# fmt: on


@dataclass
class MarksCreated:
    marks: int = 0
    changed: int = 0  # marks at version 2 (an N explained later)
    batches: int = 0
    weeks: int = 0  # placement-week rollups


def create_marks(
    *,
    rng: random.Random,
    placements: Iterable[Placement],
    today: dt.date,
    tz: dt.tzinfo,
    recorded_by: dict[int, Any] | None = None,
) -> MarksCreated:
    """Mark every session of these (saved) placements in the academic year up to `today`,
    write the weekly batches and earlier versions, and rebuild the placements' rollups.
    `recorded_by`: the member of staff who sends a provider's registers, by provider
    organisation primary key (others are recorded by the system)."""
    year_start = dt.date(schooling.academic_year_start(today), 9, 1)
    spans = _spans(placements, year_start, today - ONE_DAY)
    if not spans:
        return MarksCreated()
    first_monday = year_start - dt.timedelta(days=year_start.weekday())
    register = Register(
        rng=rng,
        today=today,
        year_start=year_start,
        first_monday=first_monday,
        next_mark_id=_next_id(AttendanceMark),
        first_batch_id=_next_id(MarkBatch),
        weeks=(today - first_monday).days // 7 + 1,
    )
    for span in spans:
        register.load_calendar(span.la_id)
    # On PostgreSQL the year's marks go into their own partition (ADR 0010).
    partitions.ensure_years([year_start.year], move=True)
    with _foreign_key_triggers_skipped():
        marks = _write(AttendanceMark._meta.db_table, MARK_COLUMNS, register.marks(spans))
        # Batches before the versions that point at them: SQLite would otherwise look for
        # waiting references to every batch it inserts, in a table with no index on them.
        batches = _save_batches(register, recorded_by or {}, tz)
        _write(AttendanceMarkVersion._meta.db_table, VERSION_COLUMNS, register.versions)
    _reset_sequences()
    weeks = rebuild_weekly_rollups(placement_ids=[span.placement.pk for span in spans])
    return MarksCreated(marks=marks, changed=len(register.versions), batches=batches, weeks=weeks)


def _spans(placements: Iterable[Placement], first: dt.date, last: dt.date) -> list[Span]:
    """The started placements' days to mark, within [first, last], oldest child first. A
    child's placement with the same provider ends the day before the next one starts, as the
    import counts them."""
    started = sorted(
        (
            p
            for p in placements
            if p.status in (PlacementStatus.ACTIVE, PlacementStatus.ENDED)
            and p.start_date <= last
            and (p.end_date is None or p.end_date >= first)
        ),
        key=lambda p: (p.child_id, p.provider_id, p.start_date, p.pk),
    )
    spans: list[Span] = []
    for index, placement in enumerate(started):
        end = min(placement.end_date or last, last)
        following = started[index + 1] if index + 1 < len(started) else None
        if (
            following is not None
            and (following.child_id, following.provider_id)
            == (placement.child_id, placement.provider_id)
            and following.start_date <= end
        ):
            end = following.start_date - ONE_DAY
        start = max(placement.start_date, first)
        if start <= end:
            la_id = placement_rules.answering_la_id(placement)
            spans.append(Span(placement, la_id, start, end))
    spans.sort(key=lambda span: (span.placement.child_id, span.start, span.placement.pk))
    return spans


@contextlib.contextmanager
def _foreign_key_triggers_skipped() -> Iterator[None]:
    """On PostgreSQL, for a superuser inside a transaction, skip foreign-key triggers while
    the rows are streamed: every key written comes from rows this transaction has just saved,
    and PostgreSQL would otherwise queue one deferred check per mark (tens of millions at
    national scale) and run them all at commit. Elsewhere the checks run as usual."""
    skip = False
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            skip = cursor.fetchone()[0] == "on"
            if skip:
                cursor.execute("SET LOCAL session_replication_role = replica")
    yield  # on an error the transaction rolls back, and the setting with it
    if skip:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _next_id(model: type[Any]) -> int:
    """The first free primary key: the generator writes its own keys, so that versions can
    point at their marks without reading them back."""
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (latest or 0) + 1


def _write(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Stream rows into a table: COPY on PostgreSQL, executemany on SQLite. Returns the count."""
    count = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in counted():
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", counted()
            )
    return count


def _save_batches(register: Register, recorded_by: dict[int, Any], tz: dt.tzinfo) -> int:
    """One batch per provider per week that wrote or changed marks, sent after school on the
    week's last school day (never later than 7am today)."""
    by_index = {provider.index: provider_id for provider_id, provider in register.providers.items()}
    batches = []
    for batch_id in sorted(set(register.created) | set(register.changed)):
        index, week = divmod(batch_id - register.first_batch_id, register.weeks)
        provider_id = by_index[index]
        day = register.week_end[week]
        monday = register.first_monday + dt.timedelta(weeks=week)
        moment = dt.time(register.rng.randint(15, 17), register.rng.randrange(0, 60))
        created, changed = register.created.get(batch_id, 0), register.changed.get(batch_id, 0)
        batches.append(
            MarkBatch(
                pk=batch_id,
                provider_id=provider_id,
                channel=MarkChannel.SYNTHETIC,
                recorded_by=recorded_by.get(provider_id),
                recorded_at=dt.datetime.combine(day, moment, tzinfo=tz),
                source=f"Register, week of {monday.day} {monday:%B %Y}",
                rows=created + changed,
                created=created,
                changed=changed,
            )
        )
    MarkBatch.objects.bulk_create(batches, batch_size=2_000)
    return len(batches)


def _reset_sequences() -> None:
    """After writing our own keys, PostgreSQL's sequences must move past them (SQLite's
    AUTOINCREMENT follows by itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [AttendanceMark, MarkBatch]):
            cursor.execute(sql)
