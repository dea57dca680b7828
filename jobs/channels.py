"""Channel sync jobs: `run_channel_sync(sync_log_id, connection_id, operation_type)` and the periodic
`run_scheduled_syncs()`.

A sync job takes the Redis lock of its connection and operation, claims its log
(`running`), runs the operation with up to CHANNELS_MAX_RETRIES retries (backoff
base, 2x, 4x with jitter, or the channel's Retry-After; a database pre-flight at
the start of each attempt's transaction; no retry for validation errors and 4xx)
and ends it success or failed. A successful sync commits three times: claim,
attempt, finish (with the connection's `last_sync_at`). Jobs are enqueued after
the trigger commits, so the log is always there to claim.
"""
from __future__ import annotations

import logging
import random
import time
import uuid
from dataclasses import replace

from flask import current_app
from rq import get_current_job
from rq.exceptions import AbandonedJobError
from rq.timeouts import JobTimeoutException

from app.channels.adapters.base import ChannelError
from app.channels.service import engine, ical, sync as sync_service
from app.channels.service.logs import ABANDONED_MESSAGE, fail_log
from app.db import commit_with_retry, run_locked
from app.queue import redis_connection, sync_lock_key
from jobs import app_context

log = logging.getLogger("jobs.channels")


def best_effort(step, *args) -> bool:
    """Record a state change; when the database is gone, log it (the stale sweep catches up)."""
    try:
        return commit_with_retry(lambda: step(*args))
    except JobTimeoutException:
        raise
    except Exception as exc:  # noqa: BLE001 - recording must never crash the job
        log.warning("Could not record %s for sync log %s: %s", step.__name__, args[0], exc)
        return False


def backoff_seconds(retry: int, error: ChannelError) -> float:
    config = current_app.config
    if error.retry_after is not None:
        return min(error.retry_after, config["CHANNELS_RETRY_AFTER_MAX_SECONDS"])
    jitter = 1 + random.uniform(-config["CHANNELS_RETRY_JITTER"], config["CHANNELS_RETRY_JITTER"])
    return config["CHANNELS_RETRY_BASE_SECONDS"] * (2 ** (retry - 1)) * jitter


def attempt(plan: engine.SyncPlan, number: int) -> dict:
    """One attempt in one transaction: database pre-flight, then the operation."""
    try:
        return commit_with_retry(lambda: engine.run_attempt(plan, number))
    except JobTimeoutException:
        raise  # the job's time is up: no retry; RQ fails the job, its failure callback the log
    except Exception as exc:  # noqa: BLE001 - every failure is classified for the retry decision
        raise engine.classify(exc) from exc


def give_up(plan: engine.SyncPlan, error: ChannelError, retries: int) -> str:
    log.error("Sync log %s failed: %s", plan.log_id, error.message)
    details = {"error_type": error.error_type, "http_status": error.http_status, **error.log_details()}
    best_effort(engine.finish_failed, plan.log_id, engine.failure_message(error, retries), details, retries)
    return "failed"


def finish(plan: engine.SyncPlan, details: dict, retries: int) -> str:
    """Success, unless an import met overbooking conflicts (its other events stay imported)."""
    conflict = ical.conflict_error(details)
    if conflict:
        details = {**details, "error_type": "overbooking_conflict"}
        best_effort(engine.finish_failed, plan.log_id, conflict, details, retries)
        return "failed"
    best_effort(engine.finish_success, plan.log_id, details, retries, plan.connection_id)
    return "success"


def perform(plan: engine.SyncPlan) -> str:
    """Attempts with backoff until success, a permanent error or the retries are used up."""
    max_retries = current_app.config["CHANNELS_MAX_RETRIES"]
    retry = 0
    while True:
        try:
            details = attempt(plan, retry + 1)
        except ChannelError as error:
            if not error.retryable or retry == max_retries:
                return give_up(plan, error, retry)
            retry += 1
            delay = backoff_seconds(retry, error)
            log.warning("Sync log %s attempt %d/%d failed (%s). Retrying in %.2fs", plan.log_id, retry,
                        max_retries + 1, error.message, delay)
            best_effort(engine.record_retry, plan.log_id, retry, error, delay)
            time.sleep(delay)
            continue
        return finish(plan, details, retry)


def requeue_later(job: sync_service.SyncJob) -> str:
    """Another run holds the lock for too long: hand the log to a fresh job that starts a little later."""
    task_id = str(uuid.uuid4())
    if best_effort(engine.requeue, job.log_id, task_id):
        sync_service.enqueue_sync(replace(job, task_id=task_id),
                                  delay_seconds=current_app.config["CHANNELS_LOCK_WAIT_SECONDS"])
    return "requeued"


def sync_lock(job: sync_service.SyncJob):
    """Two jobs of the same connection and operation never run at once (expires if a worker dies)."""
    timeout = current_app.config["WORKER_JOB_TIMEOUT"] + 60
    return redis_connection().lock(sync_lock_key(job.connection_id, job.operation_type), timeout=timeout)


def describe_job(log_id: uuid.UUID, connection_id: str | None, operation_type: str | None
                 ) -> sync_service.SyncJob | None:
    """The job's log, connection and operation; read from the log for a job that names only its log
    (run by hand or enqueued by an earlier release). None when the log is gone."""
    current = get_current_job()
    task_id = current.id if current is not None else None
    if connection_id and operation_type:
        return sync_service.SyncJob(log_id, task_id, uuid.UUID(connection_id), operation_type)
    target = commit_with_retry(lambda: engine.log_target(log_id))
    return None if target is None else sync_service.SyncJob(log_id, task_id, *target)


def run_channel_sync(sync_log_id: str, connection_id: str | None = None, operation_type: str | None = None) -> str:
    """Run one sync log's operation to a final state; returns what happened."""
    with app_context():
        job = describe_job(uuid.UUID(sync_log_id), connection_id, operation_type)
        if job is None:
            return "skipped"
        lock = sync_lock(job)
        if not lock.acquire(blocking=True, blocking_timeout=current_app.config["CHANNELS_LOCK_WAIT_SECONDS"]):
            return requeue_later(job)
        try:
            # under the lock: another run may have finished it
            plan = commit_with_retry(lambda: engine.claim(job.log_id, job.task_id))
            return "skipped" if plan is None else perform(plan)
        finally:
            release_quietly(lock)


def release_quietly(lock) -> None:
    try:
        lock.release()
    except Exception as exc:  # noqa: BLE001 - an expired lock is harmless here
        log.warning("Sync lock release failed: %s", exc)


def on_sync_job_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ failure callback (job exception, timeout, abandoned job): the log ends failed."""
    message = (ABANDONED_MESSAGE if exc_type is AbandonedJobError
               else f"Sync job failed: {exc_type.__name__}: {str(exc_value)[:300]}")
    with app_context():
        best_effort(fail_log, uuid.UUID(job.args[0]), message)


def trigger_due_syncs() -> int:
    due = sync_service.due_for_scheduled_sync(current_app.config["CHANNELS_SCHEDULED_SYNC_MINUTES"])
    for connection in due:
        sync_service.start_batch(connection, sync_service.SYNC_TYPES["full"], sync_service.sync_window(),
                                 manual=False)
    return len(due)


def run_scheduled_syncs() -> int:
    """Periodic: a full sync for every active connection whose sync interval has elapsed.

    The interval is `platform_metadata.sync_interval_minutes` (0 = never), else
    CHANNELS_SCHEDULED_SYNC_MINUTES. Runs once however many schedulers call it (advisory lock).
    """
    with app_context():
        count = run_locked("channels.run_scheduled_syncs", trigger_due_syncs) or 0
    if count:
        log.info("Scheduled full sync triggered for %d connection(s)", count)
    return count
