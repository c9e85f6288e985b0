#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL, each across the machine's cores.
# PostgreSQL: DATABASE_URL if set, else the local server on 127.0.0.1:5432 (user postgres).
# With CI=true PostgreSQL and Chromium are required; elsewhere their absence is said and skipped.
#
# Parallel: pytest-xdist, one worker per core (APTRACK_TEST_WORKERS=N to choose, 0 for one
# process). `--dist loadgroup` hands tests out one by one, keeping together a module's tests
# that share a fixture (the browser, the LA-scale demo authority: aptrack/pytest_plugin.py), and
# each worker's transactional tests after its others. Each worker has its own test database
# (test_<name>_gw0, test_<name>_gw1, ...; SQLite's is in memory), a copy of one migrated once per
# run (aptrack/pytest_plugin.py), its own live server on a free port and its own session
# fixtures; each test's seed comes from its id, not from its worker.
#
# PostgreSQL's test databases are kept between local runs (--reuse-db) and made afresh when a
# migration file has changed since they were made, in CI (CI=true), or with APTRACK_CREATE_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

chromium_path="${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium_path" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: Chromium is required in CI for the browser tests (apt-get install chromium)." >&2
    exit 1
  fi
  echo "NOTE: no Chromium found: browser and accessibility tests will be SKIPPED." >&2
  echo "      Install Debian's chromium (apt-get install chromium) to run them." >&2
else
  export CHROMIUM_PATH="$chromium_path"
fi

# Runs a database's suite and prints how long it took, passed or failed.
timed() {
  local name=$1 start=$SECONDS status=0
  shift
  "$@" || status=$?
  local took=$((SECONDS - start))
  echo "== $name took $((took / 60))m $((took % 60))s =="
  return "$status"
}

workers="${APTRACK_TEST_WORKERS:-auto}"
# The slowest tests (set-up, call and teardown apart), printed at the end of each run.
durations=(--durations=25 --durations-min=1)
parallel=()
if [ "$workers" != "0" ]; then
  parallel=(-n "$workers" --dist loadgroup)
fi

echo "== Test suite on SQLite =="
timed SQLite env -u DATABASE_URL "$BIN/pytest" -p no:cacheprovider "${durations[@]}" "${parallel[@]}" "$@"

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if "$BIN/python" - "$pg_url" <<'PY'
import sys, dj_database_url, psycopg
db = dj_database_url.parse(sys.argv[1])
try:
    # The suite creates its own test database, so only the server has to answer.
    psycopg.connect(
        host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname="postgres", connect_timeout=3,
    ).close()
except Exception as error:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  # The migrations' fingerprint when the kept test databases were made: another means remake them.
  stamp="var/test-db-$(printf '%s' "$pg_url" | sha256sum | cut -c1-12).migrations"
  migrations=$(find src -path '*/migrations/*.py' -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64)
  db_mode=(--reuse-db)
  if [ "${CI:-}" = "true" ]; then
    db_mode=(--create-db) # made afresh and dropped at the end
  elif [ "${APTRACK_CREATE_DB:-}" = "1" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$migrations" ]; then
    db_mode=(--reuse-db --create-db) # made afresh and kept
    rm -f "$stamp"
  fi
  echo "== Test suite on PostgreSQL ($pg_url, ${db_mode[*]}) =="
  pg_status=0
  timed PostgreSQL env DATABASE_URL="$pg_url" \
    "$BIN/pytest" -p no:cacheprovider "${durations[@]}" "${db_mode[@]}" "${parallel[@]}" "$@" || pg_status=$?
  # 0 passed, 1 some failed: either way the databases were made and migrated.
  if [ "$pg_status" -le 1 ] && [ "${CI:-}" != "true" ]; then
    mkdir -p var && echo "$migrations" >"$stamp"
  fi
  exit "$pg_status"
elif [ "${CI:-}" = "true" ]; then
  echo "ERROR: PostgreSQL is required in CI and is not reachable." >&2
  exit 1
else
  echo "NOTE: PostgreSQL not reachable: the PostgreSQL run was SKIPPED." >&2
fi
