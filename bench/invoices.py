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

    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM commissioning_invoiceline WHERE invoice_id IN "
            "(SELECT id FROM commissioning_invoice WHERE source_name = %s)",
            [SOURCE],
        )
        cursor.execute("DELETE FROM commissioning_invoice WHERE source_name = %s", [SOURCE])
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
            cursor.execute(
                """
                INSERT INTO commissioning_invoiceline
                    (invoice_id, row_number, upn, service_from, service_to, unit, quantity,
                     unit_rate, net_amount, vat_amount, service_weekdays, provider_id,
                     charge_mode, cost_centre, query_flags, status, decision_reason)
                SELECT i.id,
                       row_number() OVER (PARTITION BY i.id ORDER BY d.day, p.id) + 1,
                       c.upn, d.day, d.day, 'DAY', 1, rate.amount * k.factor,
                       rate.amount * k.factor, 0, 1, p.provider_id, '', '', 0, 'MATCHED', ''
                FROM placements_placement p
                JOIN children_child c ON c.id = p.child_id AND c.upn <> ''
                JOIN commissioning_placementterms t ON t.placement_id = p.id
                CROSS JOIN LATERAL (
                    SELECT amount FROM commissioning_rate r
                    WHERE r.contract_id = t.contract_id AND r.unit = 'DAY' AND NOT r.is_transport
                    ORDER BY r.effective_from DESC LIMIT 1) rate
                CROSS JOIN LATERAL generate_series(
                    greatest(p.start_date, %(start)s::date),
                    least(coalesce(p.end_date, %(today)s::date), %(today)s::date),
                    interval '1 day') AS d(day)
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN random() < 0.033 THEN 1.08 ELSE 1 END AS factor) k
                JOIN commissioning_invoice i
                  ON i.provider_id = p.provider_id AND i.source_name = %(source)s
                 AND i.invoice_number = 'BENCH-' || %(copy)s || '-' || to_char(d.day, 'YYYYMM')
                WHERE p.status IN ('ACTIVE', 'ENDED') AND extract(isodow FROM d.day) < 6
                LIMIT %(limit)s
                """,
                {
                    "copy": copy,
                    "source": SOURCE,
                    "start": year_start,
                    "today": today,
                    "limit": target - written,
                },
            )
            if cursor.rowcount == 0:
                print("   no placements on contracts: run `aptrack generate` first")
                return
            written += cursor.rowcount
        cursor.execute("ANALYZE")
    print(
        f"   {written:,} invoice lines ({copy} year(s) invoiced) written in "
        f"{time.perf_counter() - started:.1f} s"
    )


def _reconcile() -> None:
    from django.db import transaction

    from aptrack.commissioning import reconcile
    from aptrack.commissioning.models import Invoice, InvoiceLine
    from aptrack.commissioning.services import report_on

    ids = list(Invoice.objects.filter(source_name=SOURCE).values_list("pk", flat=True))
    lines = InvoiceLine.objects.filter(invoice__source_name=SOURCE)
    started = time.perf_counter()
    with transaction.atomic():
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


if __name__ == "__main__":
    main()
