#!/usr/bin/env bash
# Set up and run the whole test suite: once on SQLite, once on PostgreSQL (127.0.0.1:5432, database `test`).
#   bash scripts/test.sh [pytest args]
# KB_TEST_PG_URL overrides the PostgreSQL URL; KB_SKIP_PG=1 skips that run (never on CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
py=.venv/bin/python

# Browser tests drive Debian's Chromium; a test tool's own browser download is not possible here.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "note: /usr/bin/chromium is missing and we are not root; browser tests will be skipped" >&2
  fi
fi

pg_url="${KB_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
pg_ready() {
  "$py" - "$pg_url" <<'PY'
import sys, sqlalchemy as sa
try:
    sa.create_engine(sys.argv[1]).connect().close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc.__class__.__name__}", file=sys.stderr); sys.exit(1)
PY
}
if [ "${KB_SKIP_PG:-}" != 1 ] && ! pg_ready 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
  # The machine's cluster may simply be stopped: start it (same command the machine image uses).
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  sleep 2
fi

status=0
echo "== tests on SQLite"
"$py" -m pytest "$@" || status=$?

if [ "${KB_SKIP_PG:-}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "== PostgreSQL run skipped (KB_SKIP_PG=1)"
elif pg_ready; then
  echo "== tests on PostgreSQL ($pg_url)"
  KB_TEST_DATABASE_URL="$pg_url" "$py" -m pytest "$@" || status=$?
else
  echo "PostgreSQL is required for the second run (set KB_TEST_PG_URL, or KB_SKIP_PG=1 locally)." >&2
  status=1
fi
exit $status
