#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL.
# PostgreSQL: DATABASE_URL if set, else the local server on 127.0.0.1:5432 (user postgres).
# With CI=true PostgreSQL and Chromium are required; elsewhere their absence is said and skipped.
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

echo "== Test suite on SQLite =="
timed SQLite env -u DATABASE_URL "$BIN/pytest" -p no:cacheprovider "$@"

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
  echo "== Test suite on PostgreSQL ($pg_url) =="
  timed PostgreSQL env DATABASE_URL="$pg_url" "$BIN/pytest" -p no:cacheprovider "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "ERROR: PostgreSQL is required in CI and is not reachable." >&2
  exit 1
else
  echo "NOTE: PostgreSQL not reachable: the PostgreSQL run was SKIPPED." >&2
fi
