"""`flask worker`: configuration banner, wait-for-deps, then an RQ worker with the scheduler.

The worker runs its jobs in its own process with the app built once (no fork per
job, see `PmsWorker`), registers the code version it runs (readiness compares it
with the web process's), runs RQ's scheduler for delayed jobs and the periodic-job
scheduler, and limits each job to `WORKER_JOB_TIMEOUT`. SIGTERM is a warm shutdown:
RQ finishes the current job, then the worker leaves its registrations and exits 0.
"""
from __future__ import annotations

import logging
import os
import socket

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis

from app.extensions import db
from app.queue import QUEUES, PmsWorker
from app.version import code_version
from jobs import set_worker_app
from jobs.preflight import database_endpoint, redis_endpoint, wait_for_dependencies
from jobs.scheduler import PeriodicScheduler, periodic_jobs, shipped

log = logging.getLogger("app.worker")

# Short worker TTL: the worker heartbeats every ~45 s, and a killed worker's registration
# expires within two minutes, so readiness and the abandoned-job reaper see it gone.
WORKER_TTL = 60


def log_banner(app: Flask) -> None:
    """Print the configuration (URLs pass the masking log formatter: no passwords)."""
    config = app.config
    log.info("====== RQ Worker Configuration ======")
    for label, value in (
        ("Code version", code_version() or "unknown"),
        ("Queues", ", ".join(QUEUES)),
        ("Job timeout", f"{config['WORKER_JOB_TIMEOUT']}s"),
        ("Database", config["DATABASE_URL"]),
        ("Redis", config["REDIS_URL"]),
        ("Wait for deps", f"{config['WORKER_WAIT_FOR_DEPS']} (every {config['WORKER_WAIT_INTERVAL']}s, "
                          f"up to {config['WORKER_WAIT_TIMEOUT']}s)"),
        ("Expected workers", config["WORKER_EXPECTED_COUNT"] or "any number"),
        ("Periodic jobs", ", ".join(f"{job.func} ({job.cron})" for job in periodic_jobs(config))),
    ):
        log.info("  %s: %s", label, value)


def dependencies_ready(app: Flask) -> bool:
    config = app.config
    if not config["WORKER_WAIT_FOR_DEPS"]:
        log.info("WORKER_WAIT_FOR_DEPS=false: not waiting for the database and Redis")
        return True
    endpoints = [database_endpoint(config["DATABASE_URL"]), redis_endpoint(config["REDIS_URL"])]
    return wait_for_dependencies(endpoints, config["WORKER_WAIT_INTERVAL"], config["WORKER_WAIT_TIMEOUT"])


def fresh_pool_in_forks(app: Flask) -> None:
    """RQ's scheduler runs in a forked process: it must not reuse (or close) the worker's pooled connections."""
    with app.app_context():
        engine = db.engine
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))


def build_worker(app: Flask) -> PmsWorker:
    worker = PmsWorker(list(QUEUES), connection=Redis.from_url(app.config["REDIS_URL"]), worker_ttl=WORKER_TTL,
                       job_monitoring_interval=app.config["WORKER_HEARTBEAT_SECONDS"],
                       name=f"pms-worker.{socket.gethostname()}.{os.getpid()}")
    worker.code_version = code_version()
    return worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty (no periodic jobs).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker (with scheduler) on the channels, maintenance and default queues."""
    app = current_app._get_current_object()
    log_banner(app)
    if not dependencies_ready(app):
        raise SystemExit(1)
    set_worker_app(app)
    fresh_pool_in_forks(app)
    worker = build_worker(app)
    log.info("====== RQ Worker Starting ====== %s (code version %s)", worker.name, worker.code_version)
    periodic = PeriodicScheduler(Redis.from_url(app.config["REDIS_URL"]), shipped(periodic_jobs(app.config)),
                                 app.config["WORKER_JOB_TIMEOUT"], name=worker.name)
    if not burst:
        periodic.start_thread()
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
    finally:
        periodic.stop()
    log.info("Worker %s stopped", worker.name)
