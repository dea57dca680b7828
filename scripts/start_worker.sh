#!/usr/bin/env bash
# Container / supervisor entry of the RQ worker: `flask worker` prints its
# configuration, waits for the database and Redis (WORKER_WAIT_FOR_DEPS,
# WORKER_WAIT_INTERVAL, WORKER_WAIT_TIMEOUT), exits non-zero when they never
# come, then runs the worker with the scheduler. exec: SIGTERM reaches the
# worker, which finishes its current job before it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[worker] start_worker.sh active"
PYTHON="${PYTHON:-python3}"
if [ -x .venv/bin/python ] && [ -z "${VIRTUAL_ENV:-}" ]; then
  PYTHON=.venv/bin/python
fi
exec "$PYTHON" -m flask --app "${FLASK_APP:-wsgi}" worker "$@"
