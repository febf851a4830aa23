#!/usr/bin/env bash
# Serve Northstar for development on http://127.0.0.1:8000.
# Without REDIS_URL, Celery tasks run in-process. With it, a real worker (with beat) runs
# beside the web server and stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
worker_pid=""
cleanup() { [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  echo "REDIS_URL is set: starting a Celery worker with beat."
  .venv/bin/celery -A northstar worker --beat --loglevel=INFO --concurrency=2 \
    --schedule=/tmp/northstar-celerybeat-schedule &
  worker_pid=$!
else
  echo "No REDIS_URL: tasks run in-process (the embedded default)."
fi
[ -n "${DATABASE_URL:-}" ] && echo "Using DATABASE_URL." || echo "Using SQLite (db.sqlite3)."
echo "Northstar: http://127.0.0.1:8000  (Ctrl-C to stop)"
"$PY" manage.py runserver 127.0.0.1:8000
