#!/usr/bin/env bash
# Set up and run 话术通 on the embedded default (SQLite + Whoosh under instance/), content loaded.
#   bash scripts/run.sh            → http://127.0.0.1:8000/
#   KB_PORT=9000 KB_WORKERS=4 bash scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
kb=.venv/bin/kb
"$kb" db upgrade
# A content file with errors is reported and skipped; everything else still loads and the app still starts.
"$kb" sync || echo "部分内容文件有错误（见上方），其余内容已载入。" >&2
if [ -z "$("$kb" user list 2>/dev/null)" ]; then
  echo
  echo "No accounts yet. Agents can read, search and run guides without one; for editing, create an admin:"
  echo "  .venv/bin/kb user add admin --role admin"
fi
echo
echo "话术通 is starting: open http://${KB_HOST:-127.0.0.1}:${KB_PORT:-8000}/  (Ctrl+C to stop)"
exec "$kb" serve
