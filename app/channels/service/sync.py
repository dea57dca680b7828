"""Starting syncs: a trigger writes one batch of logs and enqueues one RQ job per operation.

Logs are written `queued` in the caller's transaction once Redis answers, and
their jobs are enqueued right after that transaction commits, so a worker always
finds its log. When Redis is down the trigger fails with `queue_unavailable` and
no log is written (a Redis failure between the commit and the enqueue withdraws
the logs no job will run and answers the same).

Triggers of one connection are serialised on its row lock. While a batch of the same
operations, window and options is still waiting (every log `triggered`/`queued`), a
trigger returns that batch (`coalesced`) instead of enqueuing the same work again.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq import Callback
from sqlalchemy import Integer, case, cast, func, or_, select

from app.channels.errors import (ConnectionNotActive, ConnectionNotFound, ConnectionNotMapped, NotRetryable,
                                 QueueUnavailable)
from app.channels.models import ACTIVE_SYNC_STATUSES, PLATFORMS, ChannelConnection, ChannelSyncLog
from app.channels.service.connections import owned_connection, owned_property
from app.channels.service.logs import get_sync_log, sweep_stale_sync_logs, withdraw_waiting_logs
from app.core.errors import BadRequest, ValidationFailed
from app.core.tenancy import scoped
from app.db import after_commit, utcnow
from app.extensions import db
from app.queue import enqueue, queue, redis_connection

log = logging.getLogger(__name__)

SYNC_TYPES = {
    "availability": ("availability_update",),
    "pricing": ("pricing_update",),
    "bookings": ("bookings_sync",),
    "full": ("availability_update", "pricing_update", "bookings_sync"),
}
PROPERTY_SYNC_TYPES = ("availability", "pricing")
# Who may start syncs (API and pages alike); every member may read logs and batches.
TRIGGER_ROLES = ("admin", "manager")
DIRECTIONS = {"availability_update": "outbound", "pricing_update": "outbound", "bookings_sync": "inbound"}
MAX_WINDOW_DAYS = 730


@dataclass(frozen=True)
class SyncWindow:
    start: date
    end: date


@dataclass(frozen=True)
class TriggerResult:
    batch_id: uuid.UUID
    connection: ChannelConnection
    logs: list[ChannelSyncLog]
    coalesced: bool = False  # an identical batch was still waiting: it is returned, nothing was enqueued
    task_ids: list[str] = field(init=False)

    def __post_init__(self) -> None:
        # read before the commit: after it, each log's attributes would be loaded again, a query per log
        object.__setattr__(self, "task_ids", [sync_log.task_id for sync_log in self.logs])


def sync_window(start: date | None = None, end: date | None = None) -> SyncWindow:
    """The requested window, by default today .. today + CHANNELS_SYNC_WINDOW_DAYS. Raises 422."""
    today = utcnow().date()
    start = start or today
    if abs((start - today).days) > MAX_WINDOW_DAYS:
        raise ValidationFailed.field("start_date", f"start_date must be within {MAX_WINDOW_DAYS} days of today")
    end = end or start + timedelta(days=current_app.config["CHANNELS_SYNC_WINDOW_DAYS"])
    if end <= start:
        raise ValidationFailed.field("end_date", "end_date must be after start_date")
    if (end - start).days > MAX_WINDOW_DAYS:
        raise ValidationFailed.field("end_date", f"The sync window may span at most {MAX_WINDOW_DAYS} days")
    return SyncWindow(start, end)


def ensure_syncable(connection: ChannelConnection) -> None:
    if connection.status != "active":
        raise ConnectionNotActive(connection.status)
    if connection.property_id is None:
        raise ConnectionNotMapped()


def touch_last_sync(connection_id: uuid.UUID, *, row_locked: bool = False) -> None:
    """Best effort: a failure here logs a warning and never fails the sync. A caller that holds the
    connection's row lock (a trigger) cannot wait on it: one plain UPDATE, without a savepoint."""
    if row_locked:
        db.session.execute(last_sync_update(connection_id))
        return
    try:
        with db.session.begin_nested():
            db.session.execute(last_sync_update(connection_id))
    except Exception as exc:  # noqa: BLE001 - best effort by definition
        log.warning("Failed to touch connection %s last_sync_at: %s", connection_id, exc)


def last_sync_update(connection_id: uuid.UUID):
    return (ChannelConnection.__table__.update().where(ChannelConnection.id == connection_id)
            .values(last_sync_at=utcnow(), updated_at=utcnow()))


def ensure_queue_reachable() -> None:
    """A coalesced trigger enqueues nothing, yet its batch only runs once the queue is back:
    while Redis is unreachable it answers `queue_unavailable` like every other trigger."""
    try:
        redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"]).ping()
    except RedisError as exc:
        raise QueueUnavailable(type(exc).__name__) from None


@dataclass(frozen=True)
class SyncJob:
    """What a sync job is told: its log, and the connection and operation its lock is named after."""
    log_id: uuid.UUID
    task_id: str | None
    connection_id: uuid.UUID
    operation_type: str

    @classmethod
    def of(cls, sync_log: ChannelSyncLog) -> SyncJob:
        return cls(sync_log.id, sync_log.task_id, sync_log.connection_id, sync_log.operation_type)


def enqueue_sync(job: SyncJob, delay_seconds: float = 0):
    """Queue the job of one sync log under its task id (raises redis errors when Redis is down).

    With a delay the job waits in RQ's scheduler (workers run with it) instead of the queue.
    """
    args = (str(job.log_id), str(job.connection_id), job.operation_type)
    options = dict(job_id=job.task_id, job_timeout=current_app.config["WORKER_JOB_TIMEOUT"],
                   on_failure=Callback("jobs.channels.on_sync_job_failure"), result_ttl=3600,
                   failure_ttl=7 * 86400)
    if delay_seconds > 0:
        return queue("channels").enqueue_in(timedelta(seconds=delay_seconds), "jobs.channels.run_channel_sync",
                                            *args, **options)
    return enqueue("jobs.channels.run_channel_sync", *args, queue_name="channels", **options)


def enqueue_jobs(jobs: list[SyncJob]) -> None:
    """After the commit: queue each log's job; when Redis fails now, the logs no job will run are withdrawn."""
    try:
        for job in jobs:
            enqueue_sync(job)
    except RedisError as exc:
        log.error("Enqueuing sync jobs after the commit failed (%s): withdrawing their logs", exc)
        withdraw_waiting_logs([job.log_id for job in jobs])
        raise QueueUnavailable(type(exc).__name__) from None


WAITING_STATUSES = ("triggered", "queued")
# Details that make two batches the same work (besides their operations).
SAME_WORK_KEYS = ("start_date", "end_date", "confirm_feed_shrink", "retry_of")


def waiting_batch(connection_id: uuid.UUID, operations: tuple[str, ...],
                  details: dict) -> tuple[uuid.UUID, list[ChannelSyncLog]] | None:
    """A batch of the connection doing the same work whose every log is still triggered/queued."""
    rows = db.session.scalars(
        select(ChannelSyncLog).where(ChannelSyncLog.connection_id == connection_id,
                                     ChannelSyncLog.status.in_(ACTIVE_SYNC_STATUSES),
                                     ChannelSyncLog.batch_id.is_not(None))
        .order_by(ChannelSyncLog.created_at.desc()))
    batches: dict[uuid.UUID, list[ChannelSyncLog]] = {}
    for sync_log in rows:
        batches.setdefault(sync_log.batch_id, []).append(sync_log)
    wanted = {key: details.get(key) for key in SAME_WORK_KEYS}
    for batch_id, logs in batches.items():
        if (sorted(sync_log.operation_type for sync_log in logs) == sorted(operations)
                and all(sync_log.status in WAITING_STATUSES for sync_log in logs)
                and all({key: (sync_log.details or {}).get(key) for key in SAME_WORK_KEYS} == wanted
                        for sync_log in logs)):
            return batch_id, sorted(logs, key=lambda sync_log: operations.index(sync_log.operation_type))
    return None


def start_batch(connection: ChannelConnection, operations: tuple[str, ...], window: SyncWindow,
                manual: bool, extra: dict | None = None) -> TriggerResult:
    """Write the batch's logs `queued` and enqueue their jobs once the caller commits (flushes, never
    commits); or return the identical batch that is still waiting."""
    db.session.execute(select(ChannelConnection.id).where(ChannelConnection.id == connection.id)
                       .with_for_update())  # one trigger of this connection at a time, until commit
    sweep_stale_sync_logs(connection.id)
    details = {"platform": connection.platform_type, "property_id": str(connection.property_id),
               "manual_trigger": manual, "start_date": window.start.isoformat(),
               "end_date": window.end.isoformat(), **(extra or {})}
    waiting = waiting_batch(connection.id, operations, details)
    ensure_queue_reachable()
    if waiting is not None:
        batch_id, logs = waiting
        return TriggerResult(batch_id, connection, logs, coalesced=True)
    batch_id = uuid.uuid4()
    logs = [ChannelSyncLog(id=uuid.uuid4(), tenant_id=connection.agency_id, connection_id=connection.id,
                           property_id=connection.property_id, batch_id=batch_id, operation_type=operation,
                           direction=DIRECTIONS[operation], status="queued", task_id=str(uuid.uuid4()),
                           details=dict(details), retry_count=0)
            for operation in operations]
    db.session.add_all(logs)
    db.session.flush()
    jobs = [SyncJob.of(sync_log) for sync_log in logs]
    after_commit(lambda: enqueue_jobs(jobs))
    touch_last_sync(connection.id, row_locked=True)
    return TriggerResult(batch_id, connection, logs)


def trigger_sync(agency_id: uuid.UUID, connection_id: uuid.UUID, sync_type: str, start: date | None = None,
                 end: date | None = None, *, manual: bool = True, extra: dict | None = None) -> TriggerResult:
    """Start `sync_type` (availability, pricing, bookings, full) for a connection as one batch.

    Raises ConnectionNotFound, ConnectionNotActive/NotMapped (409), ValidationFailed, QueueUnavailable.
    """
    if sync_type not in SYNC_TYPES:
        raise ValidationFailed.field("sync_type", f"Must be one of: {', '.join(SYNC_TYPES)}")
    connection = owned_connection(agency_id, connection_id)
    window = sync_window(start, end)
    ensure_syncable(connection)
    return start_batch(connection, SYNC_TYPES[sync_type], window, manual, extra)


def property_connection(agency_id: uuid.UUID, property_id: uuid.UUID, platform_type: str,
                        connection_id: uuid.UUID | None) -> ChannelConnection:
    query = scoped(ChannelConnection, agency_id).where(ChannelConnection.property_id == property_id,
                                                       ChannelConnection.platform_type == platform_type)
    if connection_id is not None:
        connection = db.session.scalar(query.where(ChannelConnection.id == connection_id))
        if connection is None:
            raise ConnectionNotFound("Connection not found for this property and platform")
        return connection
    connection = db.session.scalar(query.where(ChannelConnection.status == "active"))
    if connection is None:
        raise ConnectionNotFound(f"No active {platform_type} connection found for this property")
    return connection


def trigger_property_sync(agency_id: uuid.UUID, property_id: uuid.UUID, platform_type: str, sync_type: str, *,
                          connection_id: uuid.UUID | None = None, start: date | None = None,
                          end: date | None = None, manual: bool = True) -> TriggerResult:
    """Sync one property to one platform (availability or pricing) as a one-operation batch."""
    if sync_type not in PROPERTY_SYNC_TYPES:
        raise BadRequest(f"Invalid sync_type. Must be one of: {list(PROPERTY_SYNC_TYPES)}")
    if platform_type not in PLATFORMS:
        raise BadRequest(f"Invalid platform. Must be one of: {list(PLATFORMS)}")
    owned_property(agency_id, property_id, "Property not found or does not belong to your agency")
    window = sync_window(start, end)
    connection = property_connection(agency_id, property_id, platform_type, connection_id)
    ensure_syncable(connection)
    return start_batch(connection, SYNC_TYPES[sync_type], window, manual)


def retry_sync_log(agency_id: uuid.UUID, connection_id: uuid.UUID, log_id: uuid.UUID, *,
                   confirm_feed_shrink: bool = False) -> TriggerResult:
    """Re-run a failed operation as a new one-operation batch; the failed log stays as it was.

    `confirm_feed_shrink` accepts an iCal feed that shrank suspiciously ("Import anyway").
    """
    failed = get_sync_log(agency_id, log_id, connection_id)
    if failed.status != "failed":
        raise NotRetryable(failed.status)
    connection = owned_connection(agency_id, connection_id)
    ensure_syncable(connection)
    details = failed.details or {}
    today = utcnow().date()
    start = max(date.fromisoformat(details["start_date"]), today) if details.get("start_date") else today
    end = date.fromisoformat(details["end_date"]) if details.get("end_date") else None
    window = sync_window(start, end if end and end > start else None)
    extra = {"retry_of": str(failed.id)}
    if confirm_feed_shrink or details.get("confirm_feed_shrink"):
        extra["confirm_feed_shrink"] = True
    return start_batch(connection, (failed.operation_type,), window, True, extra)


def due_for_scheduled_sync(default_minutes: int) -> list[ChannelConnection]:
    """Active, mapped connections whose interval (metadata `sync_interval_minutes`, else the
    default; 0 = never) has passed since their last trigger, give or take the scheduler's minute."""
    metadata_minutes = ChannelConnection.platform_metadata["sync_interval_minutes"].astext
    interval = case((metadata_minutes.regexp_match("^[0-9]+$"), cast(metadata_minutes, Integer)),
                    else_=default_minutes)
    return list(db.session.scalars(
        select(ChannelConnection)
        .where(ChannelConnection.deleted_at.is_(None), ChannelConnection.status == "active",
               ChannelConnection.property_id.is_not(None), interval > 0,
               or_(ChannelConnection.last_sync_at.is_(None),
                   ChannelConnection.last_sync_at
                   < func.now() - func.make_interval(0, 0, 0, 0, 0, interval) + timedelta(minutes=1)))
        .order_by(ChannelConnection.last_sync_at.asc().nulls_first()).limit(500)
        .with_for_update(skip_locked=True)))
