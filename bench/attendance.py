"""Attendance benchmark at national scale on PostgreSQL (`make bench`). Prints figures; it is
not a test and asserts nothing.

Run by scripts/bench.sh on a database it has just built with `aptrack generate --scale national`:

1. fill: `generate` has already marked every session of the academic year up to --today; with
   --fill-from, earlier years get marks too, written by one INSERT … SELECT in PostgreSQL (bench
   only: it skips the import's checks), with rollups; then ANALYZE;
2. import: a bench provider gets placements for enough children to need --rows marks, a CSV of
   those marks is written, then `record_marks` imports the file with every rule checked, in a
   fresh process so that its peak resident memory is its own, and is compared in the same run
   with (a) PostgreSQL COPY of the same file into a bare table of text columns and (b) COPY of
   the same marks, typed, into an empty table with the marks table's indexes, checks and
   foreign keys; the file is then imported again (every mark unchanged);
3. measures: `get_measures` for one LA and for all LAs, and `list_measures` by term and by LA,
   timed over repeated runs (p50 and p95).
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_PROVIDER = "Bench Online Academy (synthetic)"
BENCH_UKPRN = "19999999"
CODE_WEIGHTS_ABSENT = {
    "I": 30,
    "O": 22,
    "N": 10,
    "C2": 10,
    "M": 5,
    "E": 5,
    "U": 5,
    "G": 3,
    "Q": 2,
    "Y1": 2,
    # No X: the bench's children are of compulsory school age, for whom X is refused.
    "#": 2,
    "C": 3,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aptrack.config.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.attendance")
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser(
        "fill", help="analyse; with --fill-from, first mark earlier years (bench only)"
    )
    fill.add_argument("--fill-from", type=dt.date.fromisoformat, default=None)
    fill.add_argument("--today", type=dt.date.fromisoformat, required=True)
    run = commands.add_parser("run", help="time the import and the measures")
    run.add_argument("--today", type=dt.date.fromisoformat, required=True)
    run.add_argument("--rows", type=int, default=1_000_000)
    run.add_argument("--runs", type=int, default=50)
    run.add_argument("--workdir", type=Path, default=Path("var/bench"))
    one = commands.add_parser("import-once", help="(internal) one timed import, JSON out")
    one.add_argument("file", type=Path)
    one.add_argument("--provider", type=int, required=True)
    one.add_argument("--today", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args()
    {"fill": _fill, "run": _run, "import-once": _import_once}[args.command](args)


# --- 1. fill -----------------------------------------------------------------------------------


def _fill(args: argparse.Namespace) -> None:
    """Marks for the academic years before --today's come from here, if asked for: `generate`
    marks --today's year itself. With --fill-from, every placement's school sessions from then
    to the end of the previous academic year get a mark, written by one INSERT … SELECT (bench
    only: it skips the import's checks), with rollups. Then, in any case, ANALYZE the marks and
    VACUUM the rollups, as autovacuum would leave them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from aptrack.attendance import codes, partitions
    from aptrack.attendance.models import AttendanceMark, MarkBatch, MarkChannel, PlacementWeek
    from aptrack.attendance.rollups import rebuild_weekly_rollups
    from aptrack.organisations.models import Organisation

    started = time.perf_counter()
    year_start = dt.date(args.today.year - (args.today.month < 9), 9, 1)
    until = year_start - dt.timedelta(days=1)
    marks = weeks = 0
    if args.fill_from is not None and args.fill_from <= until:
        absent_codes = list(CODE_WEIGHTS_ABSENT)
        weights = [CODE_WEIGHTS_ABSENT[code] for code in absent_codes]
        total = sum(weights)
        # Cumulative thresholds for a CASE over random(): the absence code mix.
        cases, running = [], 0
        for code, weight in zip(absent_codes, weights, strict=True):
            running += weight
            cases.append((running / total, code))
        absent_case = " ".join(f"WHEN r2 < {limit:.4f} THEN '{code}'" for limit, code in cases[:-1])
        absent_case = f"CASE {absent_case} ELSE '{cases[-1][1]}' END"
        # Each filled academic year in its own partition, on a partitioned marks table.
        partitions.ensure_years(
            range(partitions.academic_year(args.fill_from), partitions.academic_year(until) + 1)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            provider = Organisation.objects.filter(kind="PROVIDER").order_by("pk").first()
            if provider is None:
                raise SystemExit("No provider organisation: generate an authority first")
            batch = MarkBatch.objects.create(
                provider=provider,
                channel=MarkChannel.SYNTHETIC,
                recorded_at=timezone.now(),
                source=f"bench fill (every placement's sessions before {year_start})",
            )
            # FK checks off for this bulk load only (superuser); every id comes from the tables.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                """
                CREATE TEMP TABLE bench_days ON COMMIT DROP AS
                SELECT d::date AS day FROM generate_series(%s::date, %s::date, '1 day') d
                WHERE extract(isodow FROM d) < 6
                  AND EXISTS (SELECT 1 FROM calendars_termperiod t WHERE t.local_authority_id IS NULL
                              AND d BETWEEN t.start_date AND t.end_date)
                  AND NOT EXISTS (SELECT 1 FROM calendars_closureday c WHERE c.local_authority_id IS NULL AND c.date = d)
                """,
                [args.fill_from, until],
            )
            cursor.execute("SELECT setseed(0.42)")
            # Each placement has its own attendance level (30% to 95%), so children spread
            # across the persistent and severe absence bands.
            cursor.execute(
                f"""
                INSERT INTO {AttendanceMark._meta.db_table}
                    (placement_id, session_date, session, code, minutes_late, comment, version, batch_id)
                SELECT placement_id, day, session, code,
                       CASE WHEN code IN ('L', 'U') THEN 5 + (r2 * 40)::int END, '', 1, %s
                FROM (
                    SELECT placement_id, day, session, r2,
                           CASE WHEN r1 < level * 0.93 THEN (CASE session WHEN 'AM' THEN '/' ELSE '\\' END)
                                WHEN r1 < level * 0.97 THEN 'L'
                                WHEN r1 < level THEN (CASE WHEN r2 < 0.5 THEN 'K' ELSE 'B' END)
                                ELSE {absent_case} END AS code
                    FROM (
                        SELECT p.id AS placement_id, d.day, s.session, random() AS r1, random() AS r2,
                               0.30 + 0.65 * ((p.id * 7919) %% 1000) / 1000.0 AS level
                        FROM placements_placement p
                        JOIN bench_days d ON d.day >= p.start_date AND d.day <= COALESCE(p.end_date, %s)
                        CROSS JOIN (VALUES ('AM'), ('PM')) s(session)
                        WHERE p.status <> 'CANCELLED'
                    ) raw
                ) coded
                """,
                [batch.pk, until],
            )
            marks = cursor.rowcount
            # The rollups by their one writer: every placement's weeks recounted from its marks.
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            cursor.execute(
                f"SELECT DISTINCT placement_id FROM {AttendanceMark._meta.db_table} WHERE batch_id = %s",
                [batch.pk],
            )
            weeks = rebuild_weekly_rollups(placement_ids=[row[0] for row in cursor.fetchall()])
            MarkBatch.objects.filter(pk=batch.pk).update(rows=marks, created=marks)
        print(
            f"  marks filled          {marks:>12,}  ({args.fill_from} to {until}, "
            f"{time.perf_counter() - started:.0f} s)"
        )
        print(f"  placement-week rollups {weeks:>11,}")
    analysed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {AttendanceMark._meta.db_table}")
        # As autovacuum would leave them: the visibility map lets measures read the rollups'
        # covering indexes alone.
        cursor.execute(f"VACUUM ANALYZE {PlacementWeek._meta.db_table}")
        cursor.execute(f"SELECT count(*) FROM {AttendanceMark._meta.db_table}")
        in_table = cursor.fetchone()[0]
    assert set(codes.BY_CODE) >= set(CODE_WEIGHTS_ABSENT)
    print(
        f"  marks in the database {in_table:>12,}  (ANALYZE and VACUUM ANALYZE of the rollups: "
        f"{time.perf_counter() - analysed:.0f} s)"
    )


# --- 2. import ---------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> None:
    from django.db import connection

    from aptrack.organisations.models import LocalAuthority

    args.workdir.mkdir(parents=True, exist_ok=True)
    provider_id, path, rows = _bench_provider_and_file(args)
    _forget_bench_marks(provider_id)
    size = path.stat().st_size
    print(
        f"Import of {rows:,} marks ({size / 1e6:.0f} MB CSV, one provider, {_count_children(provider_id):,} children)"
    )

    first = _import_in_subprocess(path, provider_id, args.today)
    bare_seconds, bare_cpu = _time_copy(path)
    shaped_seconds, shaped_cpu = _time_copy_into_marks_shape(first_batch=_last_batch_id())
    print(f"  {'':<44} {'marks/s':>10} {'elapsed':>9} {'CPU':>8}")
    for label, seconds, cpu in (
        ("(a) COPY into a bare table (text columns)", bare_seconds, bare_cpu),
        ("(b) COPY into a table shaped like the marks", shaped_seconds, shaped_cpu),
        ("record_marks, every rule checked (new)", first["seconds"], first["cpu_seconds"]),
    ):
        print(
            f"  {label:<44} {rows / seconds:>10,.0f} {seconds:>8.2f}s "
            f"{'' if cpu is None else f'{cpu:>7.2f}s'}"
        )
    print(
        "      (b) has the marks table's indexes, checks and foreign keys (deferred, checked at\n"
        "      its commit, which is timed, as the import's commit is); CPU is the PostgreSQL\n"
        "      backend's plus the importing process's: unlike elapsed time it hardly changes\n"
        "      when other work shares the machine"
    )
    for name, seconds, cpu in (
        ("(a)", bare_seconds, bare_cpu),
        ("(b)", shaped_seconds, shaped_cpu),
    ):
        by_cpu = (
            f", by CPU {cpu / first['cpu_seconds']:.2f}x" if cpu and first["cpu_seconds"] else ""
        )
        target = "  (target >= 0.5x)" if name == "(b)" else ""
        print(
            f"  import speed / {name} speed: elapsed {seconds / first['seconds']:.2f}x{by_cpu}{target}"
        )
    print(
        f"      peak RSS of the importing process  {first['max_rss_mb']:.0f} MB (target < 500 MB)"
    )
    print(f"      {first['report']}")
    for label, seconds in first["phases"].items():
        print(f"      {label:<50} {seconds:6.2f} s")
    again = _import_in_subprocess(path, provider_id, args.today)
    print(
        f"  record_marks, same file again       {rows / again['seconds']:>10,.0f} marks/s  "
        f"({again['seconds']:.2f} s, peak RSS {again['max_rss_mb']:.0f} MB)"
    )
    print(f"      {again['report']}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM attendance_attendancemark")
        print(f"  marks now in the database           {cursor.fetchone()[0]:>10,}")

    # 3. measures
    from aptrack.attendance import selectors
    from aptrack.attendance.scopes import Grouping, Period, Scope

    year = Period.academic_year_of(args.today - dt.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT local_authority_id, count(*) FROM attendance_placementweek WHERE week_start_date >= %s "
            "AND week_start_date <= %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [year.first_week, year.end_date],
        )
        busiest_la_id, busiest_weeks = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM attendance_placementweek WHERE week_start_date >= %s AND week_start_date <= %s",
            [year.first_week, year.end_date],
        )
        all_weeks = cursor.fetchone()[0]
    dorset = LocalAuthority.objects.get(code="838")
    busiest = LocalAuthority.objects.get(pk=busiest_la_id)
    print(
        f"\nMeasures, academic year {year.label} ({all_weeks:,} placement-weeks), {args.runs} runs each"
    )
    cases: list[tuple[str, Callable[[], Any], int]] = [
        (
            f"one LA, {busiest.name} ({busiest_weeks:,} weeks), with hours",
            lambda: selectors.get_measures(
                scope=Scope.la(busiest.pk), period=year, today=args.today
            ),
            args.runs,
        ),
        (
            f"one LA, {busiest.name}, without hours",
            lambda: selectors.get_measures(
                scope=Scope.la(busiest.pk), period=year, include_hours=False
            ),
            args.runs,
        ),
        (
            f"one LA, {dorset.name}, with hours",
            lambda: selectors.get_measures(
                scope=Scope.la(dorset.pk), period=year, today=args.today
            ),
            args.runs,
        ),
        (
            f"one LA, {busiest.name}, by term",
            lambda: selectors.list_measures(
                scope=Scope.la(busiest.pk), period=year, by=Grouping.TERM
            ),
            args.runs,
        ),
        (
            "all LAs, one total, without hours",
            lambda: selectors.get_measures(scope=Scope.all_las(), period=year, include_hours=False),
            max(5, args.runs // 5),
        ),
        (
            "all LAs, by LA",
            lambda: selectors.list_measures(scope=Scope.all_las(), period=year, by=Grouping.LA),
            max(5, args.runs // 5),
        ),
        (
            "all LAs, one total, with hours",
            lambda: selectors.get_measures(scope=Scope.all_las(), period=year, today=args.today),
            max(3, args.runs // 10),
        ),
    ]
    for label, call, runs in cases:
        result = call()
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        p50, p95 = _percentile(timings, 50), _percentile(timings, 95)
        print(f"  {label:<58} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms{_summary(result)}")
    print("  (target: one LA p95 < 150 ms)")


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1)]


def _summary(result: Any) -> str:
    if isinstance(result, list):
        return f"  [{len(result)} groups]"
    hours = ""
    if result.planned_hours is not None:
        hours = f", hours {result.delivered_hours or Decimal(0):,.0f}/{result.planned_hours:,.0f}"
    return (
        f"  [attendance {result.rates.attendance}%, {result.children:,} children, "
        f"{result.persistent:,} persistent, {result.severe:,} severe{hours}]"
    )


def _count_children(provider_id: int) -> int:
    from aptrack.placements.models import Placement

    return Placement.objects.filter(provider_id=provider_id).values("child_id").distinct().count()


def _bench_provider_and_file(args: argparse.Namespace) -> tuple[int, Path, int]:
    """A synthetic provider with placements for enough children to need `rows` marks in the
    academic year before `today`, and the CSV of those marks (written once, streamed)."""
    from django.db import transaction
    from django.utils import timezone

    from aptrack.calendars.selectors import get_calendar
    from aptrack.children.models import Child
    from aptrack.organisations.models import LocalAuthority, Organisation
    from aptrack.placements.models import Placement
    from aptrack.providers.models import Provider

    year_start = dt.date(args.today.year - 1 if args.today.month < 9 else args.today.year, 9, 1)
    calendar = get_calendar(la_id=None)
    days = [
        year_start + dt.timedelta(days=n)
        for n in range((args.today - year_start).days)
        if calendar.is_school_day(year_start + dt.timedelta(days=n))
    ]
    children_needed = math.ceil(args.rows / (2 * len(days)))
    organisation = Organisation.objects.filter(name=BENCH_PROVIDER).first()
    if organisation is None:
        with transaction.atomic():
            kent = LocalAuthority.objects.get(code="886")
            organisation = Organisation.objects.create(
                name=BENCH_PROVIDER, kind="PROVIDER", local_authority=kent
            )
            now = timezone.now()
            Provider.objects.create(
                organisation=organisation,
                name=BENCH_PROVIDER,
                kind="ONLINE",
                ukprn=BENCH_UKPRN,
                home_la=kent,
                created_at=now,
                updated_at=now,
            )
            # Children on the standard calendar (no LA term dates of their own), with a UPN.
            children = list(
                Child.objects.exclude(upn="")
                .filter(home_la__term_periods__isnull=True)
                .order_by("pk")
                .values_list("pk", "home_la_id")[:children_needed]
            )
            Placement.objects.bulk_create(
                Placement(
                    child_id=child_id,
                    provider=organisation,
                    commissioning_la_id=la_id,
                    start_date=year_start,
                    hours_per_week=Decimal(25),
                    created_at=now,
                )
                for child_id, la_id in children
            )
    upns = list(
        Placement.objects.filter(provider=organisation)
        .order_by("child_id")
        .values_list("child__upn", flat=True)
    )
    path = args.workdir / f"marks-{args.rows}.csv"
    rng = random.Random(1)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["UPN", "Date", "Session", "Code", "Minutes late", "Comment"])
        for upn in upns:
            level = rng.uniform(0.3, 0.95)
            for day in days:
                for session in ("AM", "PM"):
                    if written >= args.rows:
                        break
                    roll = rng.random()
                    code = (
                        ("/" if session == "AM" else "\\")
                        if roll < level
                        else rng.choice(["I", "N", "O", "C2", "L"])
                    )
                    minutes = str(rng.randint(5, 40)) if code == "L" else ""
                    comment = (
                        "Bus late, again"
                        if code == "L"
                        else ("Phoned in: unwell" if code == "I" else "")
                    )
                    date = day.isoformat() if written % 10 else day.strftime("%d/%m/%Y")
                    writer.writerow([upn, date, session, code, minutes, comment])
                    written += 1
    return organisation.pk, path, written


def _forget_bench_marks(provider_id: int) -> None:
    """Delete what an earlier run imported for the bench provider, so that a run on the same
    database times new marks again (bench only; `make bench` starts from a new database)."""
    from django.db import connection, transaction

    placements = "SELECT id FROM placements_placement WHERE provider_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM attendance_attendancemarkversion WHERE mark_id IN (SELECT id FROM "
            f"attendance_attendancemark WHERE placement_id IN ({placements}))",
            [provider_id],
        )
        cursor.execute(
            f"DELETE FROM attendance_attendancemark WHERE placement_id IN ({placements})",
            [provider_id],
        )
        deleted = cursor.rowcount
        cursor.execute("DELETE FROM attendance_placementweek WHERE provider_id = %s", [provider_id])
    if deleted:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE attendance_attendancemark")
            cursor.execute("VACUUM ANALYZE attendance_placementweek")


def _server_cpu_seconds() -> float | None:
    """CPU seconds this connection's PostgreSQL backend has used, if it runs on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_copy(path: Path) -> tuple[float, float | None]:
    """Elapsed seconds of a bare COPY of the file, and the backend's CPU seconds for it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_copy")
        cursor.execute(
            "CREATE TABLE bench_bare_copy (upn text, date text, session text, code text, minutes_late text, comment text)"
        )
        cpu = _server_cpu_seconds()
        started = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy(
                "COPY bench_bare_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        after = _server_cpu_seconds()
        cursor.execute("DROP TABLE bench_bare_copy")
    return seconds, (after - cpu if cpu is not None and after is not None else None)


def _last_batch_id() -> int:
    from aptrack.attendance.models import MarkBatch

    return MarkBatch.objects.order_by("-pk").values_list("pk", flat=True)[0]


def _time_copy_into_marks_shape(*, first_batch: int) -> tuple[float, float | None]:
    """COPY the batch's marks (already typed and checked) into an empty copy of the marks table
    with its indexes, checks and foreign keys (deferred, as Django makes them, so the commit is
    timed too): what writing them costs with none of the import's checks. Elapsed seconds, and
    the backend's CPU seconds."""
    from django.db import connection, transaction

    from aptrack.attendance.models import AttendanceMark

    marks = AttendanceMark._meta.db_table
    columns = "placement_id, session_date, session, code, minutes_late, comment, version, batch_id"
    path = Path("var/bench/typed-marks.copy")
    with connection.cursor() as cursor:
        with (
            path.open("wb") as handle,
            cursor.cursor.copy(
                f"COPY (SELECT {columns} FROM {marks} WHERE batch_id = %s) TO STDOUT",
                [first_batch],
            ) as copy,
        ):
            for data in copy:
                handle.write(data)
        cursor.execute("DROP TABLE IF EXISTS bench_marks_shape")
        # Partitioned as the marks are (ADR 0010), with the same partitions, if they are.
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [marks],
        )
        parts = cursor.fetchall()
        cursor.execute(
            f"CREATE TABLE bench_marks_shape (LIKE {marks} INCLUDING DEFAULTS INCLUDING "
            f"CONSTRAINTS INCLUDING IDENTITY){' PARTITION BY RANGE (session_date)' if parts else ''}"
        )
        for name, bound in parts:
            cursor.execute(
                f"CREATE TABLE bench_shape_{name.removeprefix(marks + '_')} "
                f"PARTITION OF bench_marks_shape {bound}"
            )
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') AND conparentid = 0 "
            "ORDER BY contype DESC",
            [marks],
        )
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE bench_marks_shape ADD {definition}")
    cpu = _server_cpu_seconds()
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        path.open("rb") as handle,
        cursor.cursor.copy(f"COPY bench_marks_shape ({columns}) FROM STDIN") as copy,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    seconds = time.perf_counter() - started
    after = _server_cpu_seconds()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_marks_shape")
    path.unlink()
    return seconds, (after - cpu if cpu is not None and after is not None else None)


def _import_in_subprocess(path: Path, provider_id: int, today: dt.date) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.attendance",
            "import-once",
            str(path),
            "--provider",
            str(provider_id),
            "--today",
            today.isoformat(),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _import_once(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from aptrack.attendance import services
    from aptrack.attendance.models import MarkChannel
    from aptrack.organisations.models import Organisation

    provider = Organisation.objects.get(pk=args.provider)
    phases = _time_phases()
    server_cpu, client_cpu = _server_cpu_seconds(), time.process_time()
    started = time.perf_counter()
    with args.file.open("rb") as stream:
        try:
            report = services.record_marks(
                provider=provider,
                marks=services.MarksFile(stream=stream, name=args.file.name),
                actor=None,
                channel=MarkChannel.COMMAND,
                at=timezone.now(),
                today=args.today,
            )
        except services.MarksRejected as rejected:
            report = rejected.report
    seconds = time.perf_counter() - started
    cpu = None
    if server_cpu is not None and (server_after := _server_cpu_seconds()) is not None:
        cpu = server_after - server_cpu + time.process_time() - client_cpu
    phases["the rest: commit (deferred foreign-key checks) etc."] = seconds - sum(phases.values())
    max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "max_rss_mb": max_rss_kb / 1024,
                "report": " | ".join(report.lines()[:4]),
                "phases": phases,
            }
        )
    )


def _time_phases() -> dict[str, float]:
    """Seconds spent in each step of the import (bench only: wraps the loader's methods)."""
    from aptrack.attendance import loading, marks_file

    phases: dict[str, float] = {}

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label] = phases.get(label, 0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(marks_file, "inspect", "check file (encoding, lines, header)")
    for name, label in (
        ("stage_file", "stage rows (COPY)"),
        ("resolve", "apply rules to each value (value maps)"),
        ("insert_if_all_new", "check every row, write marks (one pass)"),
        ("count_bad_rows", "list problems"),
        ("row_errors", "list problems"),
        ("duplicate_errors", "find disagreeing duplicates"),
        ("merge", "step by step: write marks (and versions)"),
        ("update_rollups", "update weekly rollups"),
    ):
        timed(loading.Loader, name, label)
    return phases


if __name__ == "__main__":
    main()
