"""WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...` (including `flask --app wsgi worker`)."""
import gc

from app import create_app
from jobs.worker import worker_command

app = create_app()
app.cli.add_command(worker_command)
# What is loaded by now lives as long as the process: frozen out of the garbage collector's reach, a full
# collection walks only what requests create. Without it, a full collection pauses the request that
# triggers it for ~100 ms (see BENCHMARKS.md, occupancy chart).
gc.freeze()
