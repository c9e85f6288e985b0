"""Oversight benchmark at national scale (`make bench`, after the attendance bench, on the same
database). Prints figures; it is not a test. The four figures of issue 13:

(a) the LA dashboard request (server time: Django's test Client signed in as the LA's manager,
    with Django's own sessions and authentication; URL routing, middleware, every query and the
    template; no network), p50/p95, while its figures in the store are current;
(b) the first request after a change to that LA: served the kept figures while they are within
    ``APTRACK_FIGURES_MAX_AGE`` (what officers see while registers arrive), and computed on the
    request once they are older than that; and the time the worker takes to refresh the LA's
    figures (`measures.store.refresh`, what its task `refresh_figures` runs after a change commits);
(c) DuckDB scanning the same marks, exported to Parquet in the same run, for the same
    attendance figures (which must agree), against the worker's refresh of the LA's figures;
(d) the national view with every LA's figures kept, and read afresh, against DuckDB's scan of
    every LA.

Targets: (a) p95 <= 50 ms; (b) p95 <= 150 ms at the largest LA and figures refreshed within 5 s
of a change; (c) the refresh at least as fast as DuckDB's scan (ratio >= 1x); (d) afresh <= 2x
DuckDB's all-LA scan.

Run: `python -m bench.oversight --today 2026-07-24` (DATABASE_URL set; on
SQLite it runs too, on whatever data `aptrack generate` made).
"""

import argparse
import csv
import datetime as dt
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

TARGET_A_P95_MS = 50  # (a) the dashboard while its figures are current
TARGET_B_P95_MS = 150  # (b) the first request after a change, at the largest LA
TARGET_B_REFRESH_S = 5  # (b) the worker's refresh of a changed LA's figures
TARGET_C_RATIO = 1  # (c) DuckDB's scan / the refresh
TARGET_D_RATIO = 2  # (d) the national view afresh / DuckDB's all-LA scan
BENCH_ANALYST = "bench.analyst.national"


@dataclass(frozen=True)
class ParquetFiles:
    marks: Path
    placements: Path
    rows: int
    seconds: float


@dataclass(frozen=True)
class AttendanceFigures:
    """The attendance figures both sides compute: session counts by class and child flags."""

    counts: Any  # attendance.measures.SessionCounts
    children: int
    persistent: int
    severe: int

    @property
    def attendance_rate(self) -> Decimal | None:
        from aptrack.attendance.measures import Rates

        return Rates.of(self.counts).attendance


# --- timing ----------------------------------------------------------------------------------------


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


last_cpu_p50 = (
    0.0  # CPU time of the last `time_runs`' calls (p50 ms): a shared machine's wall clock is not
)


def time_runs(
    call: Callable[[], Any], runs: int, *, before: Callable[[], Any] | None = None
) -> tuple[float, float, Any]:
    """(p50 ms, p95 ms, last result) over `runs` calls after one warm-up call; `before`, if
    given, runs ahead of each call, untimed. The calls' CPU time p50 is left in `last_cpu_p50`."""
    global last_cpu_p50
    result = call()
    timings, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    last_cpu_p50 = percentile(cpu, 50)
    return percentile(timings, 50), percentile(timings, 95), result


# --- export to Parquet -----------------------------------------------------------------------------

MARKS_SQL = "SELECT placement_id, session_date, code FROM attendance_attendancemark"
# Each placement counts in the LA answering for it: `{placements}` is that rule's SQL
# (`placements.rules.answering_la_sql`).
PLACEMENTS_SQL = """
    SELECT p.id, p.child_id, p.answering_la_id, p.provider_id,
           CASE WHEN pr.kind IN ({kinds}) THEN 1 ELSE 0 END
    FROM ({placements}) p
    LEFT JOIN providers_provider pr ON pr.organisation_id = p.provider_id
"""


def export_to_parquet(workdir: Path) -> ParquetFiles:
    """Write the marks and the placements' columns to CSV straight from the database
    (PostgreSQL COPY TO STDOUT; a cursor on SQLite), then let DuckDB turn each into Parquet."""
    import duckdb

    from aptrack.placements.rules import answering_la_sql
    from aptrack.providers.models import REGISTERED_KINDS

    workdir.mkdir(parents=True, exist_ok=True)
    kinds = ", ".join(f"'{kind}'" for kind in sorted(REGISTERED_KINDS))
    started = time.perf_counter()
    marks_csv, placements_csv = workdir / "marks.csv", workdir / "placements.csv"
    rows = _dump(MARKS_SQL, marks_csv)
    _dump(
        PLACEMENTS_SQL.format(kinds=kinds, placements=answering_la_sql("child_id", "provider_id")),
        placements_csv,
    )
    files = ParquetFiles(workdir / "marks.parquet", workdir / "placements.parquet", rows, 0.0)
    with duckdb.connect() as duck:
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{marks_csv}', header = false, quote = '\"', escape = '\"', "
            "columns = {'placement_id': 'BIGINT', 'session_date': 'DATE', 'code': 'VARCHAR'})) "
            f"TO '{files.marks}' (FORMAT parquet)"
        )
        duck.execute(
            f"COPY (SELECT * FROM read_csv('{placements_csv}', header = false, "
            "columns = {'placement_id': 'BIGINT', 'child_id': 'BIGINT', 'la_id': 'BIGINT', "
            "'provider_id': 'BIGINT', 'registered': 'INTEGER'})) "
            f"TO '{files.placements}' (FORMAT parquet)"
        )
    marks_csv.unlink()
    placements_csv.unlink()
    return ParquetFiles(files.marks, files.placements, rows, time.perf_counter() - started)


def _dump(sql: str, path: Path) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                path.open("wb") as handle,
                cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
            ):
                for data in copy:
                    handle.write(data)
            cursor.execute(f"SELECT count(*) FROM ({sql}) rows")
            return int(cursor.fetchone()[0])
        cursor.execute(sql)
        written = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            while batch := cursor.fetchmany(50_000):
                writer.writerows(batch)
                written += len(batch)
        return written


# --- the same figures, by DuckDB -----------------------------------------------------------------


def _classes_sql() -> str:
    """The code → rollup-column table, from the same source the rollups are written from."""
    from aptrack.attendance import codes
    from aptrack.attendance.codes import ROLLUP_COLUMNS

    def quote(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    values = ", ".join(
        "("
        + ", ".join(
            [quote(code.code), *(str(int(code.code in wanted)) for _, wanted in ROLLUP_COLUMNS)]
        )
        + ")"
        for code in codes.CODES
    )
    names = ", ".join(column for column, _ in ROLLUP_COLUMNS)
    return f"(VALUES {values}) AS k(code, {names})"


def duckdb_attendance(
    duck: Any, files: ParquetFiles, *, period: Any, la_id: int | None = None, by_la: bool = False
) -> dict[int | None, AttendanceFigures]:
    """Attendance over `period` (an oversight Period) for one LA, all LAs, or each LA, from a
    scan of the Parquet marks. Weeks as the rollups count them: every Monday-to-Sunday week
    that starts on or before the period's end and ends on or after its start."""
    from aptrack.attendance.codes import ROLLUP_COLUMNS
    from aptrack.attendance.measures import SessionCounts

    columns = [column for column, _ in ROLLUP_COLUMNS]
    first_week = period.start - dt.timedelta(days=period.start.weekday())
    sums = ", ".join(f"SUM(k.{c})::BIGINT AS {c}" for c in columns)
    group = "p.la_id" if by_la else "NULL::BIGINT"
    where = "AND p.la_id = $la" if la_id is not None else ""
    sql = f"""
        WITH per_child AS (
            SELECT {group} AS grp, p.child_id, {sums}
            FROM read_parquet('{files.marks}') m
            JOIN read_parquet('{files.placements}') p USING (placement_id)
            JOIN {_classes_sql()} USING (code)
            WHERE date_trunc('week', m.session_date) BETWEEN $first AND $last {where}
            GROUP BY 1, 2
        )
        SELECT grp, {", ".join(f"SUM({c})::BIGINT" for c in columns)},
               COUNT(*) FILTER (WHERE present + aea + authorised + unauthorised > 0),
               COUNT(*) FILTER (WHERE present + aea + authorised + unauthorised > 0
                                AND (authorised + unauthorised) * 10 >= present + aea + authorised + unauthorised),
               COUNT(*) FILTER (WHERE present + aea + authorised + unauthorised > 0
                                AND (authorised + unauthorised) * 2 >= present + aea + authorised + unauthorised)
        FROM per_child GROUP BY grp ORDER BY grp
    """
    params: dict[str, Any] = {"first": first_week, "last": period.end}
    if la_id is not None:
        params["la"] = la_id
    results = {}
    for grp, *values in duck.execute(sql, params).fetchall():
        counts = SessionCounts(*(int(v or 0) for v in values[: len(columns)]))
        children, persistent, severe = (int(v) for v in values[len(columns) :])
        results[grp] = AttendanceFigures(counts, children, persistent, severe)
    return results


def aptrack_attendance(*, period: Any, la_id: int | None = None) -> AttendanceFigures:
    """The same figures from aptrack's attendance measures (the weekly rollups)."""
    from aptrack.attendance import selectors
    from aptrack.attendance.scopes import Period as AttendancePeriod
    from aptrack.attendance.scopes import Scope

    scope = Scope.la(la_id) if la_id is not None else Scope.all_las()
    measures = selectors.get_measures(
        scope=scope,
        period=AttendancePeriod(period.start, period.end, period.label),
        include_hours=False,
    )
    return AttendanceFigures(
        measures.counts, measures.children, measures.persistent, measures.severe
    )


def aptrack_attendance_by_la(*, period: Any) -> dict[int, AttendanceFigures]:
    from aptrack.attendance import selectors
    from aptrack.attendance.scopes import Grouping, Scope
    from aptrack.attendance.scopes import Period as AttendancePeriod

    return {
        m.key: AttendanceFigures(m.counts, m.children, m.persistent, m.severe)
        for m in selectors.list_measures(
            scope=Scope.all_las(),
            period=AttendancePeriod(period.start, period.end, period.label),
            by=Grouping.LA,
        )
    }


# --- the run ---------------------------------------------------------------------------------------


def sample_las(*, period: Any, size: int, seed: int = 1) -> list[Any]:
    """The LA with most placement-weeks in the period, Dorset (the demo LA), and a seeded
    random choice of the others with any."""
    from django.db.models import Count

    from aptrack.attendance.models import PlacementWeek
    from aptrack.organisations.models import LocalAuthority

    busy = list(
        PlacementWeek.objects.filter(
            week_start_date__gte=period.start, week_start_date__lte=period.end
        )
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "local_authority_id")
        .values_list("local_authority_id", flat=True)
    )
    chosen = busy[:1]
    dorset = LocalAuthority.objects.filter(code="838").values_list("pk", flat=True).first()
    if dorset in busy and dorset not in chosen:
        chosen.append(dorset)
    rest = [la for la in busy if la not in chosen]
    chosen += random.Random(seed).sample(rest, min(len(rest), max(0, size - len(chosen))))
    by_id = LocalAuthority.objects.in_bulk(chosen)
    return [by_id[la_id] for la_id in chosen]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aptrack.config.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.oversight")
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--las", type=int, default=5, help="how many LAs to sample")
    parser.add_argument("--workdir", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    run(args)


def _user(username: str, organisation: Any, role: str) -> Any:
    from aptrack.accounts.models import User

    user, created = User.objects.get_or_create(
        username=username, defaults={"organisation": organisation, "role": role}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _manager_of(la: Any) -> Any:
    from aptrack.accounts.models import User
    from aptrack.accounts.roles import Role
    from aptrack.organisations.models import Organisation

    manager = (
        User.objects.filter(
            role=Role.LA_MANAGER,
            organisation__kind="LOCAL_AUTHORITY",
            organisation__local_authority=la,
        )
        .order_by("pk")
        .first()
    )
    if manager is not None:
        return manager
    council = Organisation.objects.get(kind="LOCAL_AUTHORITY", local_authority=la)
    return _user(f"bench.manager.{la.code}", council, Role.LA_MANAGER)


def _national_analyst() -> Any:
    from aptrack.accounts.roles import Role
    from aptrack.organisations.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        name="Bench national analysts (synthetic)", kind="REGIONAL", region=""
    )
    return _user(BENCH_ANALYST, organisation, Role.ANALYST)


def _view_timer(user: Any, url: str) -> Callable[[], Any]:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get() -> Any:
        response = client.get(url, secure=True)  # as behind HTTPS, so production settings serve it
        if response.status_code != 200 or b"There is a problem" in response.content:
            raise RuntimeError(f"{url} gave {response.status_code} or a form error")
        return response

    return get


def _url(name: str, period: Any, today: dt.date) -> str | None:
    """The page's URL with the period chosen as its GET form chooses it."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse

    from aptrack.oversight.dashboard.periods_form import period_query

    try:
        return f"{reverse(name)}?{urlencode(period_query(period, today))}"
    except NoReverseMatch:
        return None


def _computed_at(la: Any) -> Any:
    """When the LA's kept dashboard figures were computed (to tell served from computed)."""
    from aptrack.oversight.measures import store
    from aptrack.oversight.measures.base import COHORT_PERIOD
    from aptrack.oversight.models import Figures

    return (
        Figures.objects.filter(local_authority=la, view=store.DASHBOARD[COHORT_PERIOD])
        .values_list("computed_at", flat=True)
        .first()
    )


def _line(label: str, p50: float, p95: float, note: str = "") -> None:
    print(
        f"  {label:<62} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (CPU p50 {last_cpu_p50:6.1f} ms)  {note}"
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def run(args: argparse.Namespace) -> None:
    import duckdb
    from django.conf import settings
    from django.utils import timezone

    from aptrack.oversight.measures import store
    from aptrack.oversight.measures.periods import Period, academic_year_of
    from aptrack.oversight.models import Figures

    period = Period.academic_year(academic_year_of(args.today - dt.timedelta(days=1)))
    today = timezone.localdate()  # what the pages use for "now" figures
    las = sample_las(period=period, size=args.las)
    bound = settings.APTRACK_FIGURES_MAX_AGE.total_seconds()
    print(
        f"Oversight, {period.label} ({period.start} to {period.end}); {args.runs} runs each; "
        f"'now' figures as at {today}; figures served up to {bound:.0f} s old while data comes in"
    )
    print(
        f"Times are wall clock, with this process's CPU time beside them (all of DuckDB's threads "
        f"included); {_load()} at the start"
    )
    print(
        "aptrack, per LA: the dashboard page through Django's test Client as the LA's manager, "
        "the worker's refresh, and the attendance measures called directly"
    )
    dashboard_url = _url("oversight:dashboard", period, today)
    assert dashboard_url is not None
    aptrack: dict[int, AttendanceFigures] = {}
    rows: dict[int, dict[str, float]] = {}
    for la in las:
        found = rows[la.pk] = {}
        view = _view_timer(_manager_of(la), dashboard_url)

        def changed(la: Any = la) -> None:
            store.count_changes(frozenset({la.pk}))

        def changed_beyond_bound(la: Any = la) -> None:
            store.count_changes(frozenset({la.pk}))
            Figures.objects.filter(local_authority=la).update(
                computed_at=timezone.now() - dt.timedelta(days=1)
            )

        found["a50"], found["a95"], _ = time_runs(view, args.runs)
        _line(f"{la.name}: (a) dashboard, figures current", found["a50"], found["a95"])
        kept_at = _computed_at(la)
        found["b50"], found["b95"], _ = time_runs(view, args.runs, before=changed)
        _line(
            f"{la.name}: (b) first request after a change, within the bound",
            found["b50"],
            found["b95"],
            ""
            if _computed_at(la) == kept_at
            else "[NOT all within: the kept figures outgrew the bound]",
        )
        found["c50"], found["c95"], _ = time_runs(view, args.runs, before=changed_beyond_bound)
        _line(
            f"{la.name}: (b) first request after a change, computed on it",
            found["c50"],
            found["c95"],
        )
        found["r50"], found["r95"], refreshed = time_runs(
            partial(store.refresh, la_ids=[la.pk], today=today), args.runs, before=changed
        )
        _line(
            f"{la.name}: (b) worker refresh of the LA's figures",
            found["r50"],
            found["r95"],
            f"[{refreshed} kept figures computed again]",
        )
        kept = store.dashboard(la=la, period=period, today=today).figures.figure("attendance_rate")
        found["rate"] = kept.value if kept else None  # type: ignore[assignment]
        p50, p95, attendance = time_runs(
            partial(aptrack_attendance, period=period, la_id=la.pk), args.runs
        )
        aptrack[la.pk] = attendance
        _line(f"{la.name}: attendance measures (rollups)", p50, p95, _describe(attendance))
    national_url = _url("oversight:regional", period, today)
    assert national_url is not None
    runs = max(5, args.runs // 3)
    national = _view_timer(_national_analyst(), national_url)
    kept50, kept95, _ = time_runs(national, args.runs)
    _line("(d) National view, all LAs, figures kept (national analyst)", kept50, kept95)
    fresh50, fresh95, _ = time_runs(
        national, runs, before=lambda: Figures.objects.filter(view=store.COMPARISON).delete()
    )
    _line("(d) National view, all LAs, figures read afresh", fresh50, fresh95)
    p50, p95, by_la = time_runs(lambda: aptrack_attendance_by_la(period=period), runs)
    _line("All LAs: attendance measures by LA (rollups)", p50, p95, f"[{len(by_la)} LAs]")

    files = export_to_parquet(args.workdir)
    size = (files.marks.stat().st_size + files.placements.stat().st_size) / 1e6
    print(
        f"\nExported {files.rows:,} marks and the placements to Parquet ({size:.0f} MB) in "
        f"{files.seconds:.1f} s (COPY or a cursor to CSV, DuckDB to Parquet)"
    )
    print("DuckDB scanning the Parquet (same LAs, same period, same figures)")
    duck = duckdb.connect()
    for la in las:
        p50, p95, result = time_runs(
            partial(duckdb_attendance, duck, files, period=period, la_id=la.pk), args.runs
        )
        theirs = result.get(None) or AttendanceFigures(aptrack[la.pk].counts.__class__(), 0, 0, 0)
        rows[la.pk]["duck50"] = p50
        rows[la.pk]["agree"] = (
            theirs == aptrack[la.pk] and rows[la.pk]["rate"] == theirs.attendance_rate
        )
        _line(
            f"{la.name}: (c) DuckDB",
            p50,
            p95,
            _describe(theirs) + ("" if rows[la.pk]["agree"] else "  DISAGREES"),
        )
    duck_all50, duck_all95, result = time_runs(
        lambda: duckdb_attendance(duck, files, period=period, by_la=True), runs
    )
    national_agree = {k: v for k, v in result.items() if v.children or v.counts.recorded} == {
        k: v for k, v in by_la.items() if v.children or v.counts.recorded
    }
    _line(
        "(d) All LAs by LA: DuckDB",
        duck_all50,
        duck_all95,
        "agree" if national_agree else "DISAGREE",
    )
    duck.close()
    _summary(las, rows, fresh50, kept50, kept95, duck_all50)
    print(f"  ({_load()} at the end: above the core count, wall times include waiting for a core)")


def _summary(
    las: list[Any],
    rows: dict[int, dict[str, Any]],
    fresh50: float,
    kept50: float,
    kept95: float,
    duck_all50: float,
) -> None:
    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    largest = las[0]  # sample_las puts the LA with most placement-weeks first
    print("\nIssue 13's four figures (ms; p50/p95)")
    print(
        f"  {'LA':<24} {'(a) current':>15} {'(b) within bound':>17} {'(b) computed':>15} "
        f"{'(b) refresh':>15} {'(c) DuckDB':>11} {'(c) ratio':>10}  figures"
    )
    for la in las:
        r = rows[la.pk]
        print(
            f"  {la.name:<24} {r['a50']:>6.1f}/{r['a95']:<7.1f} {r['b50']:>7.1f}/{r['b95']:<8.1f} "
            f"{r['c50']:>6.1f}/{r['c95']:<7.1f} {r['r50']:>6.1f}/{r['r95']:<7.1f} {r['duck50']:>11.1f} "
            f"{r['duck50'] / r['r50']:>9.2f}x  {'agree' if r['agree'] else 'DISAGREE'}"
        )
    worst_a = max(rows[la.pk]["a95"] for la in las)
    big = rows[largest.pk]
    worst_ratio = min(rows[la.pk]["duck50"] / rows[la.pk]["r50"] for la in las)
    print(
        f"  (a) dashboard p95 <= {TARGET_A_P95_MS} ms: worst {worst_a:.1f} ms: {met(worst_a <= TARGET_A_P95_MS)}"
    )
    print(
        f"  (b) at {largest.name}, first request after a change p95 <= {TARGET_B_P95_MS} ms: "
        f"{big['b95']:.1f} ms within the bound: {met(big['b95'] <= TARGET_B_P95_MS)}; "
        f"{big['c95']:.1f} ms computed on the request: {met(big['c95'] <= TARGET_B_P95_MS)}"
    )
    print(
        f"  (b) refreshed within {TARGET_B_REFRESH_S} s of a change: worker refresh p95 "
        f"{big['r95'] / 1000:.2f} s at {largest.name} (plus the worker's wait for the task): "
        f"{met(big['r95'] <= TARGET_B_REFRESH_S * 1000)}"
    )
    print(
        f"  (c) refresh at least as fast as DuckDB's scan (>= {TARGET_C_RATIO}x): worst {worst_ratio:.2f}x: "
        f"{met(worst_ratio >= TARGET_C_RATIO)}"
    )
    print(
        f"  (d) national view kept p50 {kept50:.1f} ms, p95 {kept95:.1f} ms; afresh p50 {fresh50:.1f} ms = "
        f"{fresh50 / duck_all50:.2f}x DuckDB's all-LA scan ({duck_all50:.1f} ms), target <= {TARGET_D_RATIO}x: "
        f"{met(fresh50 <= TARGET_D_RATIO * duck_all50)}"
    )


def _describe(figures: AttendanceFigures) -> str:
    return (
        f"[attendance {figures.attendance_rate}%, {figures.children:,} children, "
        f"{figures.persistent:,} persistent, {figures.severe:,} severe]"
    )


if __name__ == "__main__":
    main()
