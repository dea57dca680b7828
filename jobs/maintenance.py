"""Periodic maintenance: stale sweep, abandoned-job reaper, log retention, expired idempotency keys.

Each job is safe to run concurrently: it takes `pg_try_advisory_xact_lock`
on its own key and does nothing when another run holds it.
"""
from __future__ import annotations

import logging

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.channels.service import logs
from app.db import run_locked, utcnow
from app.queue import redis_connection, sync_lock_key
from app.web import idempotency
from jobs import app_context

log = logging.getLogger("jobs.maintenance")
WAITING_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def sweep_stale_sync_logs() -> int:
    """Every 5 minutes: logs without an update for CHANNELS_SYNC_LOG_STALE_MINUTES become failed."""
    with app_context():
        count = run_locked("maintenance.sweep_stale_sync_logs", logs.sweep_stale_sync_logs) or 0
    if count:
        log.warning("Marked %d stale sync log(s) as failed", count)
    return count


def job_is_alive(connection, task_id: str | None) -> bool:
    """Whether the log's RQ job may still report: waiting in a queue, or held by a live worker."""
    if not task_id:
        return False
    try:
        job = Job.fetch(task_id, connection=connection)
    except NoSuchJobError:
        return False
    status = job.get_status(refresh=False)
    if status in WAITING_JOB_STATUSES:
        return True
    if status != JobStatus.STARTED or not job.worker_name:
        return False
    if not connection.exists(f"rq:worker:{job.worker_name}"):
        return False
    # The worker key outlives a SIGKILLed worker by at least a minute; the job's own heartbeat
    # (every WORKER_HEARTBEAT_SECONDS while it runs) stops at once.
    silence_limit = 2 * current_app.config["WORKER_HEARTBEAT_SECONDS"] + 5
    return job.last_heartbeat is None or (utcnow() - job.last_heartbeat).total_seconds() <= silence_limit


def reap(connection) -> int:
    reaped = 0
    # a running log younger than the grace time is left alone (its job may be about to report)
    grace = current_app.config["CHANNELS_SYNC_REAP_GRACE_SECONDS"]
    for log_id, task_id, connection_id, operation in logs.running_logs(grace):
        if not job_is_alive(connection, task_id) and logs.mark_abandoned(log_id):
            # the dead job's sync lock would hold back a re-trigger until it expires (minutes)
            connection.delete(sync_lock_key(connection_id, operation))
            log.warning("Sync log %s: worker lost while running, marked failed", log_id)
            reaped += 1
    return reaped


def reap_abandoned_sync_logs() -> int:
    """Every minute: running logs whose job is no longer held by a live worker become failed."""
    with app_context():
        return run_locked("maintenance.reap_abandoned_sync_logs", reap, redis_connection()) or 0


def purge_expired_sync_logs() -> int:
    """Daily: delete logs older than CHANNELS_SYNC_LOG_RETENTION_DAYS (0 disables retention)."""
    with app_context():
        days = current_app.config["CHANNELS_SYNC_LOG_RETENTION_DAYS"]
        if days <= 0:
            return 0
        total = logs.purge_logs_older_than(days)
    log.info("Retention: deleted %d sync log(s) older than %d days", total, days)
    return total


def purge_expired_idempotency_keys() -> int:
    """Daily: forget Idempotency-Key responses older than IDEMPOTENCY_TTL_SECONDS."""
    with app_context():
        total = idempotency.purge_expired_records()
    log.info("Retention: deleted %d expired idempotency key(s)", total)
    return total
