"""Sync logs: listing and search, state transitions, cancel, stale sweep, retention and purge.

States only move forward (`triggered -> queued -> running -> success|failed`, `cancelled`
from any of the first three); every transition is a conditional UPDATE, so a late or
repeated job run can never turn a final log back. Deleting logs never touches anything else.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, cast, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB

from app.channels.errors import NotCancellable, SyncLogNotFound
from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelSyncLog
from app.channels.service.connections import owned_connection
from app.db import run_locked, utcnow
from app.extensions import db

FINAL_STATUSES = ("success", "failed", "cancelled")
STALE_MESSAGE = ("Marked stale (no update for {minutes} minutes). "
                 "Likely worker restart or lost DB connection.")
ABANDONED_MESSAGE = "Worker lost while running (job abandoned)"
CANCELLED_MESSAGE = "Cancelled by a platform operator"


@dataclass(frozen=True)
class LogPage:
    logs: list[ChannelSyncLog]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PurgeResult:
    connection_id: uuid.UUID
    retention_days: int
    cutoff: datetime
    count: int
    dry_run: bool


def log_filters(connection_id: uuid.UUID, *, batch_id=None, status=None, operation_type=None, direction=None,
                q=None) -> list:
    """WHERE clauses of the logs panel; status "active" = triggered, queued or running."""
    clauses = [ChannelSyncLog.connection_id == connection_id]
    if batch_id:
        clauses.append(ChannelSyncLog.batch_id == batch_id)
    if status == "active":
        clauses.append(ChannelSyncLog.status.in_(ACTIVE_SYNC_STATUSES))
    elif status:
        clauses.append(ChannelSyncLog.status == status)
    if operation_type:
        clauses.append(ChannelSyncLog.operation_type == operation_type)
    if direction:
        clauses.append(ChannelSyncLog.direction == direction)
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        clauses.append(or_(*(cast(column, String).ilike(pattern) for column in (
            ChannelSyncLog.id, ChannelSyncLog.batch_id, ChannelSyncLog.task_id, ChannelSyncLog.property_id,
            ChannelSyncLog.operation_type, ChannelSyncLog.status, ChannelSyncLog.direction, ChannelSyncLog.error,
            ChannelSyncLog.details, ChannelSyncLog.created_at, ChannelSyncLog.updated_at))))
    return clauses


def list_sync_logs(agency_id: uuid.UUID, connection_id: uuid.UUID, *, limit: int = 50, offset: int = 0,
                   **filters) -> LogPage:
    """One page of a connection's logs, newest first, with the filtered total. Raises ConnectionNotFound."""
    owned_connection(agency_id, connection_id)
    clauses = log_filters(connection_id, **filters)
    logs = list(db.session.scalars(
        select(ChannelSyncLog).where(*clauses)
        .order_by(ChannelSyncLog.created_at.desc(), ChannelSyncLog.id).limit(limit).offset(offset)))
    total = db.session.scalar(select(func.count()).select_from(ChannelSyncLog).where(*clauses))
    return LogPage(logs, total, limit, offset)


def get_sync_log(agency_id: uuid.UUID, log_id: uuid.UUID, connection_id: uuid.UUID | None = None) -> ChannelSyncLog:
    """One log of the agency (optionally of one connection). Raises SyncLogNotFound."""
    query = select(ChannelSyncLog).where(ChannelSyncLog.id == log_id, ChannelSyncLog.tenant_id == agency_id)
    if connection_id is not None:
        owned_connection(agency_id, connection_id)
        query = query.where(ChannelSyncLog.connection_id == connection_id)
    sync_log = db.session.scalar(query)
    if sync_log is None:
        raise SyncLogNotFound()
    return sync_log


def transition(log_id: uuid.UUID, allowed: tuple[str, ...], details: dict | None = None, **values) -> bool:
    """Conditional UPDATE of one log; False when its status is not in `allowed` (or it is gone)."""
    values["updated_at"] = func.now()
    if details:
        values["details"] = ChannelSyncLog.details.op("||")(cast(literal(details, JSONB), JSONB))
    result = db.session.execute(
        update(ChannelSyncLog).where(ChannelSyncLog.id == log_id, ChannelSyncLog.status.in_(allowed))
        .values(**values).returning(ChannelSyncLog.id))
    return result.first() is not None


def fail_log(log_id: uuid.UUID, error: str, details: dict | None = None) -> bool:
    """Mark a log failed unless it already reached a final state."""
    return transition(log_id, ACTIVE_SYNC_STATUSES, details, status="failed", error=error, finished_at=func.now())


def withdraw_waiting_logs(log_ids: list[uuid.UUID]) -> int:
    """Delete the logs among `log_ids` that still wait for their job (`queued`), on a connection of
    their own: for logs just committed whose jobs could not be queued, so no job will ever run them."""
    with db.engine.begin() as connection:
        return connection.execute(delete(ChannelSyncLog).where(ChannelSyncLog.id.in_(log_ids),
                                                               ChannelSyncLog.status == "queued")).rowcount


def cancel_sync_log(log_id: uuid.UUID, connection_id: uuid.UUID | None = None,
                    cancelled_by: str = "") -> ChannelSyncLog:
    """Cancel an operation that has not finished (platform operators: any agency's log).

    A conditional UPDATE from triggered/queued/running, so a log that has just ended stays as it
    ended. A job already running may finish its channel call, but can no longer change the log
    (its own transitions need `running`); a queued job finds the log final and does nothing.
    Raises SyncLogNotFound, NotCancellable (409).
    """
    query = select(ChannelSyncLog).where(ChannelSyncLog.id == log_id)
    if connection_id is not None:
        query = query.where(ChannelSyncLog.connection_id == connection_id)
    sync_log = db.session.scalar(query)
    if sync_log is None:
        raise SyncLogNotFound()
    cancelled = transition(log_id, ACTIVE_SYNC_STATUSES, {"cancelled_by": cancelled_by}, status="cancelled",
                           error=CANCELLED_MESSAGE, finished_at=func.now())
    db.session.refresh(sync_log)
    if not cancelled:
        raise NotCancellable(sync_log.status)
    return sync_log


def sweep_stale_sync_logs(connection_id: uuid.UUID | None = None, minutes: int | None = None) -> int:
    """Mark logs without an update for CHANNELS_SYNC_LOG_STALE_MINUTES as failed; returns how many."""
    minutes = minutes or current_app.config["CHANNELS_SYNC_LOG_STALE_MINUTES"]
    query = (update(ChannelSyncLog)
             .where(ChannelSyncLog.status.in_(ACTIVE_SYNC_STATUSES),
                    func.coalesce(ChannelSyncLog.updated_at, ChannelSyncLog.created_at)
                    < func.now() - timedelta(minutes=minutes))
             .values(status="failed", error=STALE_MESSAGE.format(minutes=minutes), updated_at=func.now(),
                     finished_at=func.now())
             .execution_options(synchronize_session=False))
    if connection_id is not None:
        query = query.where(ChannelSyncLog.connection_id == connection_id)
    return db.session.execute(query).rowcount


def running_logs(older_than_seconds: float, limit: int = 500) -> list[tuple]:
    """(id, task_id, connection_id, operation_type) of logs running without an update for a while
    (reaper candidates)."""
    return [tuple(row) for row in db.session.execute(
        select(ChannelSyncLog.id, ChannelSyncLog.task_id, ChannelSyncLog.connection_id,
               ChannelSyncLog.operation_type)
        .where(ChannelSyncLog.status == "running",
               ChannelSyncLog.updated_at < func.now() - timedelta(seconds=older_than_seconds))
        .order_by(ChannelSyncLog.updated_at).limit(limit))]


def mark_abandoned(log_id: uuid.UUID) -> bool:
    return transition(log_id, ("running",), {"error_type": "worker_lost"}, status="failed",
                      error=ABANDONED_MESSAGE, finished_at=func.now())


def purge_sync_logs(agency_id: uuid.UUID, connection_id: uuid.UUID, retention_days: int,
                    dry_run: bool = False) -> PurgeResult:
    """Delete (or with dry_run only count) this connection's logs older than `retention_days`."""
    owned_connection(agency_id, connection_id)
    cutoff = utcnow() - timedelta(days=retention_days)
    clauses = (ChannelSyncLog.connection_id == connection_id, ChannelSyncLog.created_at < cutoff)
    if dry_run:
        count = db.session.scalar(select(func.count()).select_from(ChannelSyncLog).where(*clauses))
    else:
        count = db.session.execute(delete(ChannelSyncLog).where(*clauses)
                                   .execution_options(synchronize_session=False)).rowcount
    return PurgeResult(connection_id, retention_days, cutoff, count, dry_run)


def reset_connection_logs(connection_id: uuid.UUID, dry_run: bool = False) -> int:
    """Delete (or count) every log of one connection (`seed-connection --reset-logs`)."""
    clause = ChannelSyncLog.connection_id == connection_id
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(ChannelSyncLog).where(clause))
    return db.session.execute(delete(ChannelSyncLog).where(clause)
                              .execution_options(synchronize_session=False)).rowcount


def count_expired(cutoff: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(ChannelSyncLog)
                             .where(ChannelSyncLog.created_at < cutoff))


def purge_expired_batch(cutoff: datetime, batch_size: int) -> int:
    """Delete up to `batch_size` logs created before `cutoff` (one short transaction per call)."""
    doomed = (select(ChannelSyncLog.id).where(ChannelSyncLog.created_at < cutoff)
              .limit(batch_size).with_for_update(skip_locked=True).scalar_subquery())
    return db.session.execute(delete(ChannelSyncLog).where(ChannelSyncLog.id.in_(doomed))
                              .execution_options(synchronize_session=False)).rowcount


def purge_logs_older_than(days: int, batch_size: int | None = None) -> int:
    """Delete logs older than `days` in batches, one short transaction each (never a long lock)."""
    batch_size = batch_size or current_app.config["CHANNELS_SYNC_LOG_PURGE_BATCH"]
    cutoff = utcnow() - timedelta(days=days)
    total = 0
    while True:
        deleted = run_locked("maintenance.purge_sync_logs", purge_expired_batch, cutoff, batch_size)
        total += deleted or 0
        if deleted is None or deleted < batch_size:
            return total
