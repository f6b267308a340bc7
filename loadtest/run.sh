#!/usr/bin/env bash
# Load test: locust (headless) against gunicorn on PostgreSQL, on 127.0.0.1 only.
#   bash loadtest/run.sh            # 30 inspectors + 5 leads for 2 minutes, then verify
# The run lasts DURATION (150s): the users sign in (a slow password hash each), the
# figures are reset once all 35 have, and about 2 minutes of fieldwork are measured.
# Settings (environment): PORT (8765), LOAD_DB (load_test), DURATION, WORKERS (4).
# Results: var/loadtest/ (locust CSVs, the acknowledged saves, gunicorn's log).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8765}"
LOAD_DB="${LOAD_DB:-load_test}"
DURATION="${DURATION:-150s}"
WORKERS="${WORKERS:-4}"
OUT="var/loadtest"
PY=".venv/bin/python"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${LOAD_DB}"
export DJANGO_SETTINGS_MODULE="loadtest.settings"
export SECRET_KEY="loadtest-only-$(date +%s)-not-a-production-key"
export ALLOWED_HOSTS="127.0.0.1"
export LOADTEST_PLAN="${OUT}/plan.json" LOADTEST_ACKS="${OUT}/acks.jsonl"

if ! .venv/bin/python -c "import locust" 2>/dev/null; then
  echo "Installing the load test tools (pyproject's optional group 'load')"
  .venv/bin/pip install --quiet -e ".[load]"
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not running on 127.0.0.1:5432"; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
echo "== Database ${LOAD_DB}: fresh, migrated, 1,200 generated cases"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${LOAD_DB}" -c "CREATE DATABASE ${LOAD_DB}"
$PY manage.py migrate --no-input -v 0
$PY manage.py generate_dataset --prefix load --inspections 6 --cases-per-inspection 200 \
  --inspectors-per-inspection 5
$PY loadtest/prepare.py load "$LOADTEST_PLAN"

echo "== gunicorn, ${WORKERS} workers on 127.0.0.1:${PORT}"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
  --timeout 30 --log-file "${OUT}/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null

echo "== locust: 30 inspectors, 5 leads, ${DURATION} including sign-in"
# Everything shares the machine's cores: the load average says how much else was running.
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# Locust exits non-zero when any request failed; verify.py reports those below.
.venv/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  --users 35 --spawn-rate 5 --run-time "$DURATION" --stop-timeout 15 \
  --csv "${OUT}/locust" --only-summary --loglevel WARNING || true

echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$GUNICORN" && wait "$GUNICORN" 2>/dev/null || true
trap - EXIT
echo "== Verification"
$PY loadtest/verify.py "$OUT"
