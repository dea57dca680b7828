"""The worker's side of a sync: load the plan, move the log through its states, run one attempt.

The job (`jobs.channels.run_channel_sync`) owns the transactions and the
retry loop; these functions flush only. A successful operation takes three
commits: the claim (plan read, log `running`), the attempt (pre-flight and
operation) and the finish (log `success`, the connection's `last_sync_at`). Every failure of an attempt is
turned into a classified `ChannelError` so the loop knows whether to retry.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from app.channels.adapters import adapter_for
from app.channels.adapters.base import ChannelError, ConnectionSnapshot, SyncValidationError
from app.channels.crypto import CredentialsUnreadable
from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelConnection, ChannelSyncLog
from app.channels.service import ical, outbound
from app.channels.service.connections import snapshot
from app.channels.service.logs import transition
from app.channels.service.sync import SyncWindow, touch_last_sync
from app.core.errors import DeadlockDetected, DomainError
from app.extensions import db
from app.inventory.models import Property

log = logging.getLogger(__name__)

PREFLIGHT_TIMEOUT_MS = 5000


class DatabaseUnavailable(ChannelError, error_type="database_unavailable", label="Database unavailable"):
    """The pre-flight or the operation lost the database."""


class UnexpectedSyncError(ChannelError, error_type="internal_error", label="Sync error"):
    """Anything else that went wrong in an attempt (retried like a channel error)."""


@dataclass(frozen=True)
class SyncPlan:
    """Everything one job needs, read once per attempt loop."""
    log_id: uuid.UUID
    connection_id: uuid.UUID
    task_id: str | None
    status: str
    operation_type: str
    connection: ConnectionSnapshot | None
    window: SyncWindow
    details: dict

    @property
    def is_final(self) -> bool:
        return self.status not in ACTIVE_SYNC_STATUSES


def classify(exc: Exception) -> ChannelError:
    """Any failure of an attempt as a ChannelError (database outages and bugs included)."""
    if isinstance(exc, ChannelError):
        return exc
    if isinstance(exc, OperationalError):
        first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return DatabaseUnavailable(first_line[0] if first_line else type(exc).__name__)
    if isinstance(exc, DeadlockDetected):  # the unit of work's own retries are used up: the job's loop tries again
        return DatabaseUnavailable(str(exc.detail))
    if isinstance(exc, CredentialsUnreadable):
        return SyncValidationError(str(exc))
    if isinstance(exc, DomainError):  # a business rule (e.g. the property was deleted): retrying cannot help
        return SyncValidationError(str(exc.detail))
    return UnexpectedSyncError(f"{type(exc).__name__}: {str(exc)[:300]}")


def load_plan(log_id: uuid.UUID) -> SyncPlan | None:
    """The log and its connection (one query), or None when the log is not (yet) visible."""
    found = db.session.execute(select(ChannelSyncLog, ChannelConnection)
                               .outerjoin(ChannelConnection, ChannelConnection.id == ChannelSyncLog.connection_id)
                               .where(ChannelSyncLog.id == log_id)).first()
    if found is None:
        return None
    sync_log, connection = found
    details = dict(sync_log.details or {})
    today = date.today()
    window = SyncWindow(date.fromisoformat(details.get("start_date") or today.isoformat()),
                        date.fromisoformat(details.get("end_date") or today.isoformat()))
    usable = connection is not None and connection.deleted_at is None
    return SyncPlan(sync_log.id, sync_log.connection_id, sync_log.task_id, sync_log.status, sync_log.operation_type,
                    snapshot(connection) if usable else None, window, details)


def log_target(log_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
    """The log's connection and operation (what its sync lock is named after); None when it is gone."""
    row = db.session.execute(select(ChannelSyncLog.connection_id, ChannelSyncLog.operation_type)
                             .where(ChannelSyncLog.id == log_id)).first()
    return None if row is None else (row.connection_id, row.operation_type)


def claim(log_id: uuid.UUID, task_id: str | None) -> SyncPlan | None:
    """Mark the log running for the job `task_id` and return its plan (one transaction).

    None when the log is gone, already final, or was handed to a newer job (requeued).
    """
    plan = load_plan(log_id)
    if plan is None or plan.is_final or (task_id and plan.task_id and plan.task_id != task_id):
        return None
    if not transition(log_id, ACTIVE_SYNC_STATUSES, {"attempt": 1}, status="running",
                      started_at=func.coalesce(ChannelSyncLog.started_at, func.now())):
        return None
    return plan


def preflight() -> None:
    """`SELECT 1` with a short timeout at the start of each attempt's transaction (fail fast when the
    database is gone); the operation that follows runs with the usual statement timeout. Within
    PREFLIGHT_TIMEOUT_MS already (the default DB_STATEMENT_TIMEOUT_MS), that is one round trip."""
    if current_app.config["DB_STATEMENT_TIMEOUT_MS"] <= PREFLIGHT_TIMEOUT_MS:
        db.session.execute(text("SELECT 1"))
        return
    db.session.execute(text(f"SET LOCAL statement_timeout = {PREFLIGHT_TIMEOUT_MS}"))
    db.session.execute(text("SELECT 1"))
    db.session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))


def record_retry(log_id: uuid.UUID, retry_count: int, error: ChannelError, delay: float) -> bool:
    """While a retry is pending the log stays running and says why and when."""
    details = {"retry_count": retry_count, "error_type": error.error_type, "next_retry_seconds": round(delay, 2),
               "last_error": error.message[:500]}
    if error.http_status is not None:
        details["http_status"] = error.http_status
    return transition(log_id, ("running",), details, retry_count=retry_count)


def finish_success(log_id: uuid.UUID, details: dict, retry_count: int, connection_id: uuid.UUID) -> bool:
    """The log ends `success` and, when it did, the connection's `last_sync_at` moves (best effort)."""
    details = {**details, "retry_count": retry_count, "next_retry_seconds": None}
    finished = transition(log_id, ("running",), details, status="success", error=None, finished_at=func.now(),
                          retry_count=retry_count)
    if finished:
        touch_last_sync(connection_id)
    return finished


def finish_failed(log_id: uuid.UUID, error: str, details: dict, retry_count: int) -> bool:
    details = {**details, "retry_count": retry_count, "next_retry_seconds": None}
    return transition(log_id, ACTIVE_SYNC_STATUSES, details, status="failed", error=error,
                      finished_at=func.now(), retry_count=retry_count)


def failure_message(error: ChannelError, retries: int) -> str:
    if error.retryable and retries:
        return f"{error.label} after {retries} retries: {error.message}"
    return error.message


def requeue(log_id: uuid.UUID, task_id: str) -> bool:
    """Hand a waiting log to a new job (its task id changes); the old job ends without touching it.

    A log that is already running belongs to the run holding the lock: False, nothing changes.
    """
    return transition(log_id, ("triggered", "queued"), {"requeued": True}, status="queued", task_id=task_id)


def push_changed_rates(adapter, connection: ConnectionSnapshot, start: date, end: date) -> dict:
    """Push the engine's rates of the dates that changed since the last successful push, as ranges."""
    prop = db.session.get(Property, connection.property_id)
    changed = outbound.changed_rates(connection.id, prop, start, end)
    ranges = outbound.rate_ranges(changed)
    result = adapter.push_rates(ranges, prop.currency) if ranges else {"rates_pushed": 0, "currency": prop.currency}
    skipped = bool(result.get("skipped"))  # an iCal-only connection takes no rates
    if not skipped:
        outbound.record_pushed_rates(connection.id, changed)
    return {**result, "dates_changed": len(changed), "ranges_sent": 0 if skipped else len(ranges)}


def run_attempt(plan: SyncPlan, attempt: int) -> dict:
    """One attempt: the database pre-flight, then the operation (one transaction)."""
    preflight()
    return run_operation(plan, attempt)


def run_operation(plan: SyncPlan, attempt: int) -> dict:
    """One attempt of the plan's operation; returns what goes into the log's details."""
    connection = plan.connection
    if connection is None:
        raise SyncValidationError("Connection was deleted")
    if connection.status != "active":
        raise SyncValidationError(f"Connection is {connection.status}")
    if connection.property_id is None:
        raise SyncValidationError("Connection is not mapped to a property")
    adapter = adapter_for(connection, idempotency_key=f"{plan.log_id}-{attempt}")
    start, end = plan.window.start, plan.window.end
    if plan.operation_type == "availability_update":
        ranges = outbound.property_availability(connection.agency_id, connection.property_id, start, end)
        result = adapter.push_availability(ranges)
    elif plan.operation_type == "pricing_update":
        result = push_changed_rates(adapter, connection, start, end)
    elif plan.operation_type == "bookings_sync":
        reservations = adapter.fetch_reservations(start, end)
        if adapter.mock_mode:
            result = {"mock_mode": True, "simulated": True, "reservations_seen": 0}
        else:
            result = ical.import_reservations(connection, reservations,
                                              bool(plan.details.get("confirm_feed_shrink")), plan.log_id)
            result["source"] = "ical" if connection.ical_import_url else "api"
    else:
        raise SyncValidationError(f"Operation {plan.operation_type} is not supported by the sync engine")
    return {**result, **adapter.stats.as_details(), "window_days": (end - start).days}
