#!/usr/bin/env bash
# Fault test: PostgreSQL stopped and restarted under a loop of saves and reads.
#   bash faults/postgres_outage.sh     # about 40 s
# Runs against a PostgreSQL cluster of its own ("15 faults", port 5499, created when
# missing; left stopped afterwards), never the shared one on 5432. Expects 503 pages
# during the outage, the service back by itself after the restart, and no
# half-written case.
# Settings (environment): PORT (8766), OUTAGE_SECONDS (8), FAULTS_PG_PORT (5499).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION="${PG_VERSION:-15}"
CLUSTER="faults"
PG_PORT="${FAULTS_PG_PORT:-5499}"
PORT="${PORT:-8766}"
OUTAGE_SECONDS="${OUTAGE_SECONDS:-8}"
OUT="var/faults"
PY=".venv/bin/python"

export DATABASE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/faults"
export DJANGO_SETTINGS_MODULE="loadtest.settings"
export SECRET_KEY="faults-only-$(date +%s)-not-a-production-key"
export ALLOWED_HOSTS="127.0.0.1"

pg() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$CLUSTER" "$@"; }

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} ${CLUSTER}"; then
  echo "== Creating PostgreSQL cluster ${PG_VERSION}/${CLUSTER} on port ${PG_PORT}"
  pg_createcluster "$PG_VERSION" "$CLUSTER" --port "$PG_PORT" -- --auth=trust >/dev/null
fi
pg start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PG_PORT" -q && break; sleep 1; done

GUNICORN=""
cleanup() {
  # Whatever happened: gunicorn stopped, and the cluster (this script's own, used by
  # nothing else) stopped too; the next run starts it again.
  if [ -n "$GUNICORN" ]; then kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true; fi
  pg stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

rm -rf "$OUT" && mkdir -p "$OUT"
echo "== Database faults on port ${PG_PORT}: fresh, migrated, 60 generated cases"
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS faults" -c "CREATE DATABASE faults"
$PY manage.py migrate --no-input -v 0
$PY manage.py generate_dataset --prefix fault --inspections 1 --cases-per-inspection 60 \
  --inspectors-per-inspection 2

echo "== gunicorn, 2 workers on 127.0.0.1:${PORT}"
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --timeout 30 \
  --log-file "${OUT}/gunicorn.log" 2>"${OUT}/django.log" &
GUNICORN=$!
for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break; sleep 1; done

LOOP_SECONDS=$((OUTAGE_SECONDS + 22))
$PY faults/outage_loop.py --base "http://127.0.0.1:${PORT}" --seconds "$LOOP_SECONDS" --events "$OUT" &
LOOP=$!
sleep 8
echo "== Stopping PostgreSQL for ${OUTAGE_SECONDS} s"
date +%s.%N > "${OUT}/stopped_at"
pg stop -m fast
sleep "$OUTAGE_SECONDS"
date +%s.%N > "${OUT}/started_at"
pg start
echo "== PostgreSQL started again"
STATUS=0
wait "$LOOP" || STATUS=$?
exit "$STATUS"
