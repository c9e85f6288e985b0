#!/usr/bin/env bash
# make bench: attendance at national scale on PostgreSQL. Prints figures; asserts nothing.
#
# Builds its own database (BENCH_DB, default aptrack_bench, dropped and made again each run) on
# the server at BENCH_PG (default the local one, user postgres): migrate, generate the national
# synthetic data (about 64,000 children, with a mark for every session of the academic year up to
# BENCH_TODAY), optionally fill earlier years with bench-only marks (BENCH_FILL_FROM, e.g.
# 2024-09-01 for 2024/25 as well), analyse, then time a BENCH_ROWS-mark CSV import (default
# 1,000,000) against (a) a bare PostgreSQL COPY of the same rows and (b) a COPY into a table with the
# marks table's indexes, checks and foreign keys, and the attendance measures for one LA and for all LAs
# (BENCH_RUNS runs each, default 50). Generating the data is most of the time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
server="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
db="${BENCH_DB:-aptrack_bench}"
today="${BENCH_TODAY:-2026-07-24}"  # just after the 2025/26 summer term: a whole year of marks
fill_from="${BENCH_FILL_FROM:-}"  # before BENCH_TODAY's academic year; empty: none
export DATABASE_URL="$server/$db" DEBUG=true

"$BIN/python" - "$server" "$db" <<'PY'
import sys, dj_database_url, psycopg
server = dj_database_url.parse(sys.argv[1] + "/postgres")
db = sys.argv[2]
with psycopg.connect(
    host=server["HOST"] or None, port=server["PORT"] or None, user=server["USER"] or None,
    password=server["PASSWORD"] or None, dbname="postgres", autocommit=True, connect_timeout=5,
) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{db}"')
print(f"== Benchmark database {db} (made afresh)")
PY

started=$SECONDS
echo "== Migrate and generate national synthetic data with this year's marks (as at $today)"
"$BIN/aptrack" migrate --no-input -v0
"$BIN/aptrack" generate --scale national --seed 1 --today "$today" 2>/dev/null \
  | sed -n '1,7p;/Attendance marks/p'
echo "== Analyse${fill_from:+ (after filling marks from $fill_from: bench only, no import checks)}"
"$BIN/python" -m bench.attendance fill ${fill_from:+--fill-from "$fill_from"} --today "$today"
echo "   (setup took $((SECONDS - started)) s)"
echo "== Import and measures"
"$BIN/python" -m bench.attendance run --today "$today" --rows "${BENCH_ROWS:-1000000}" --runs "${BENCH_RUNS:-50}"
echo "== Done in $((SECONDS - started)) s"

# --- Invoices (issue 17 item 8) -----------------------------------------------------------------
# On the same database: BENCH_INVOICE_LINES invoice lines (default 1,000,000: a line per school day
# of every placement on a contract over the year, invoiced again until there are that many),
# reconciled set-based in one go by a fresh process: seconds, lines/s, peak memory, and the lines
# matched and queried by reason. See bench/invoices.py.
echo "== Invoices: reconcile ${BENCH_INVOICE_LINES:-1000000} lines"
invoices_started=$SECONDS
"$BIN/python" -m bench.invoices run --today "$today" --lines "${BENCH_INVOICE_LINES:-1000000}"
echo "== Invoices done in $((SECONDS - invoices_started)) s"

# --- Oversight (issue 13 item 4) ------------------------------------------------------------------
# On the same database: (a) the LA dashboard while its figures are current, (b) the first request
# after a change to the LA (within the freshness bound, and computed on the request) and the
# worker's refresh of its figures, (c) DuckDB scanning the marks exported to Parquet for the same
# attendance figures, (d) the national view kept and read afresh against DuckDB's all-LA scan.
# BENCH_OVERSIGHT_RUNS runs each (default 30) over BENCH_OVERSIGHT_LAS sampled LAs (default 5, the
# largest first). See bench/oversight.py.
echo "== Oversight: the four figures of issue 13 (dashboard, after a change, DuckDB, national view)"
oversight_started=$SECONDS
# Timed with production settings (DEBUG off: no query log, hashed static files from a manifest),
# so the static files are collected first into a bench-only folder.
export STATIC_ROOT="$PWD/var/bench/static" SECRET_KEY="bench-only-not-a-secret"
DEBUG=false "$BIN/aptrack" collectstatic --no-input -v0
DEBUG=false "$BIN/aptrack" createcachetable  # production's default cache (sessions), as migrate makes it
# 2FA off, as for the load bench: the LA managers it signs in as (the demo users) would be sent
# to set up a security code under production settings.
DEBUG=false APTRACK_REQUIRE_2FA=false "$BIN/python" -m bench.oversight --today "$today" \
  --runs "${BENCH_OVERSIGHT_RUNS:-30}" --las "${BENCH_OVERSIGHT_LAS:-5}"
echo "== Oversight done in $((SECONDS - oversight_started)) s"

# --- Load (issue 19 item 7) -----------------------------------------------------------------------
# gunicorn with production settings (2FA off for the bench users) on a free loopback port against
# this database: BENCH_LOAD_USERS concurrent users (default 50) for BENCH_LOAD_SECONDS (default 60)
# on a mixed workload, then /healthz (the hello-world view) and the child record alone for the
# throughput ratio. See bench/load.py.
echo "== Load: ${BENCH_LOAD_USERS:-50} users for ${BENCH_LOAD_SECONDS:-60} s on gunicorn"
load_started=$SECONDS
DEBUG=false "$BIN/python" -m bench.load \
  --users "${BENCH_LOAD_USERS:-50}" --seconds "${BENCH_LOAD_SECONDS:-60}"
echo "== Load done in $((SECONDS - load_started)) s"
