"""Invoice reconciliation benchmark on PostgreSQL (`make bench`, issue 17 item 8). Prints
figures; it is not a test and asserts nothing.

Run by scripts/bench.sh on the database it has built with `aptrack generate --scale national`
(whose placements have contracts, terms and a year of attendance marks):

1. setup: a national year of invoice lines, written by INSERT … SELECT (bench only: no file is
   read): one line per school day (Monday to Friday) of every started placement bought on a
   contract, over the academic year up to --today, charged at the contract's day rate (about one
   in thirty at a different rate), on one invoice per provider and month; if that is fewer than
   --lines, the year is invoiced again (as further invoices, which reconciliation finds already
   invoiced) until there are. Then ANALYZE.
2. run: in a fresh process (so that its peak resident memory is its own), `reconcile` over every
   bench line at once, as `record_invoices` does for a file: wall time, lines per second, peak
   memory, and the lines matched and queried by reason.
"""

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from typing import Any

SOURCE = "bench"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aptrack.config.settings")
    import django

    django.setup()
    parser = argparse.ArgumentParser(prog="python -m bench.invoices")
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup", help="write the bench invoice lines")
    setup.add_argument("--today", type=dt.date.fromisoformat, required=True)
    setup.add_argument("--lines", type=int, default=1_000_000)
    run = commands.add_parser("run", help="set up, then time reconciliation in a fresh process")
    run.add_argument("--today", type=dt.date.fromisoformat, required=True)
    run.add_argument("--lines", type=int, default=1_000_000)
    commands.add_parser("reconcile", help="(internal) time reconciliation of the bench lines")
    args = parser.parse_args()
    if args.command == "setup":
        _setup(args.today, args.lines)
    elif args.command == "reconcile":
        _reconcile()
    else:
        _setup(args.today, args.lines)
        subprocess.run([sys.executable, "-m", "bench.invoices", "reconcile"], check=True)


def _setup(today: dt.date, target: int) -> None:
    from django.db import connection, transaction

    from aptrack.attendance.codes import ATTENDING_CODES
    from aptrack.commissioning.costs import HOURS_PER_SESSION
    from aptrack.commissioning.states import ChargeMode, RateUnit

    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM commissioning_invoiceline WHERE invoice_id IN "
            "(SELECT id FROM commissioning_invoice WHERE source_name = %s)",
            [SOURCE],
        )
        cursor.execute("DELETE FROM commissioning_invoice WHERE source_name = %s", [SOURCE])
        # The days each started placement on a contract was on roll (it has marks), with the
        # sessions attended: what a provider bills, as the synthetic invoices do (`_line`).
        cursor.execute(
            """
            CREATE TEMP TABLE bench_day AS
            SELECT m.placement_id, m.session_date AS day,
                   count(*) FILTER (WHERE m.code = ANY(%(attending)s)) AS attended
            FROM attendance_attendancemark m
            WHERE m.session_date BETWEEN %(start)s AND %(today)s
              AND m.placement_id IN (SELECT placement_id FROM commissioning_placementterms)
            GROUP BY m.placement_id, m.session_date
            """,
            {"attending": sorted(ATTENDING_CODES), "start": year_start, "today": today},
        )
        copy, written = 0, 0
        while written < target:
            copy += 1
            cursor.execute(
                """
                INSERT INTO commissioning_invoice
                    (provider_id, invoice_number, invoice_date, channel, source_name, received_at)
                SELECT p.provider_id,
                       'BENCH-' || %(copy)s || '-' || to_char(m, 'YYYYMM'),
                       (m + interval '1 month')::date, 'COMMAND', %(source)s, now()
                FROM (SELECT DISTINCT provider_id FROM placements_placement
                      WHERE status IN ('ACTIVE', 'ENDED')) p
                CROSS JOIN generate_series(%(start)s::date, %(today)s::date, interval '1 month') m
                """,
                {"copy": copy, "source": SOURCE, "start": year_start, "today": today},
            )
            # A line per day: sessions attended (up to the agreed hours) at the contract's
            # session rate where only attended sessions are paid for, else the day's agreed
            # hours at its hourly rate; the rate in force that day (the placement's lot's
            # first), one line in thirty (by placement and day) at another rate.
            cursor.execute(
                """
                INSERT INTO commissioning_invoiceline
                    (invoice_id, row_number, upn, service_from, service_to, unit, quantity,
                     unit_rate, net_amount, vat_amount, service_weekdays, provider_id,
                     charge_mode, cost_centre, query_flags, status, decision_reason)
                SELECT i.id,
                       row_number() OVER (PARTITION BY i.id ORDER BY b.day, p.id) + 1,
                       c.upn, b.day, b.day, q.unit, q.quantity, rate.amount * k.factor,
                       round(q.quantity * round(rate.amount * k.factor, 2), 2), 0, 1,
                       p.provider_id, '', '', 0, 'MATCHED', ''
                FROM bench_day b
                JOIN placements_placement p ON p.id = b.placement_id
                JOIN children_child c ON c.id = p.child_id AND c.upn <> ''
                JOIN commissioning_placementterms t ON t.placement_id = p.id
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN t.charge_mode = %(attended_mode)s
                                THEN %(session)s ELSE %(hour)s END AS unit,
                           CASE WHEN t.charge_mode = %(attended_mode)s
                                THEN least(b.attended,
                                           floor(p.hours_per_week / 5 / %(per_session)s))
                                ELSE round(p.hours_per_week / 5, 2) END AS quantity) q
                CROSS JOIN LATERAL (
                    SELECT r.amount FROM commissioning_rate r
                    WHERE r.contract_id = t.contract_id AND r.unit = q.unit
                      AND NOT r.is_transport AND (r.lot_id = t.lot_id OR r.lot_id IS NULL)
                      AND r.effective_from <= b.day
                      AND (r.effective_to IS NULL OR r.effective_to >= b.day)
                    ORDER BY r.lot_id ASC NULLS LAST, r.effective_from DESC, r.id DESC
                    LIMIT 1) rate
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN (p.id + (b.day - DATE '2000-01-01')) %% 30 = 0
                                THEN 1.08 ELSE 1 END AS factor) k
                JOIN commissioning_invoice i
                  ON i.provider_id = p.provider_id AND i.source_name = %(source)s
                 AND i.invoice_number = 'BENCH-' || %(copy)s || '-' || to_char(b.day, 'YYYYMM')
                WHERE p.status IN ('ACTIVE', 'ENDED') AND q.quantity > 0
                LIMIT %(limit)s
                """,
                {
                    "copy": copy,
                    "source": SOURCE,
                    "limit": target - written,
                    "attended_mode": str(ChargeMode.ATTENDED),
                    "session": str(RateUnit.SESSION),
                    "hour": str(RateUnit.HOUR),
                    "per_session": HOURS_PER_SESSION,
                },
            )
            if cursor.rowcount == 0:
                print("   no placements on contracts: run `aptrack generate` first")
                return
            written += cursor.rowcount
        cursor.execute("DROP TABLE bench_day")
    print(
        f"   {written:,} invoice lines ({copy} year(s) invoiced) written in "
        f"{time.perf_counter() - started:.1f} s"
    )
    # Earlier runs' lines leave dead rows and swollen indexes behind: each run reconciles a
    # table as a first import would find it (outside a transaction, as VACUUM must be).
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL commissioning_invoiceline")
        cursor.execute("ANALYZE")
    print(f"   table compacted and analysed in {time.perf_counter() - started:.1f} s")


def _reconcile() -> None:
    from django.db import connection, transaction

    from aptrack.commissioning import reconcile
    from aptrack.commissioning.models import Invoice, InvoiceLine
    from aptrack.commissioning.services import report_on

    ids = list(Invoice.objects.filter(source_name=SOURCE).values_list("pk", flat=True))
    lines = InvoiceLine.objects.filter(invoice__source_name=SOURCE)
    statements: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - began, " ".join(sql.split())))

    started = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(timed):
        reconcile.reconcile(lines, many=True)
    seconds = time.perf_counter() - started
    report = report_on(ids)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"   reconciled {report.lines:,} lines in {seconds:.1f} s: {report.lines / seconds:,.0f} lines/s"
    )
    print(f"   peak memory of the reconciling process: {peak_mb:.0f} MB")
    for line in report.summary():
        print(f"   {line}")
    print("   slowest statements of the reconciliation:")
    for took, sql in sorted(statements, reverse=True)[:8]:
        print(f"     {took:7.1f} s  {sql[:110]}")


if __name__ == "__main__":
    main()
