"""Ops read models for the console and the dashboard: sync failure rates, stale sync logs and
failed operations of one agency.

Read-only: the ops domain reads the channel manager's logs and never writes them
(the stale sweep that fixes stale logs belongs to the channel manager).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelConnection, ChannelSyncLog
from app.extensions import db
from app.inventory.models import Property


@dataclass(frozen=True)
class FailureRate:
    label: str
    finished: int
    failed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.failed / self.finished, 1) if self.finished else None


def failure_rate(agency_id: uuid.UUID | None, label: str, since: datetime) -> FailureRate:
    """Finished operations (success or failed) since `since` and how many failed; of one agency,
    or of all agencies with `agency_id=None` (platform operators only)."""
    log = ChannelSyncLog
    finished_at = func.coalesce(log.finished_at, log.updated_at)
    query = (select(func.count().filter(log.status.in_(("success", "failed"))),
                    func.count().filter(log.status == "failed")).where(finished_at >= since))
    if agency_id is not None:
        query = query.where(log.tenant_id == agency_id)
    row = db.session.execute(query).one()
    return FailureRate(label, row[0], row[1])


def stale_log_count(agency_id: uuid.UUID, cutoff: datetime) -> int:
    """Logs still triggered/queued/running with no update since `cutoff` (spec 30 stale rule)."""
    log = ChannelSyncLog
    return db.session.scalar(
        select(func.count()).select_from(log)
        .where(log.tenant_id == agency_id, log.status.in_(ACTIVE_SYNC_STATUSES),
               func.coalesce(log.updated_at, log.created_at) < cutoff))


def active_log_count(agency_id: uuid.UUID) -> int:
    log = ChannelSyncLog
    return db.session.scalar(select(func.count()).select_from(log)
                             .where(log.tenant_id == agency_id, log.status.in_(ACTIVE_SYNC_STATUSES)))


def failure_rates(agency_id: uuid.UUID | None, now: datetime) -> list[FailureRate]:
    return [failure_rate(agency_id, "Last hour", now - timedelta(hours=1)),
            failure_rate(agency_id, "Last 24 hours", now - timedelta(hours=24))]


@dataclass(frozen=True)
class FailedOperation:
    """A failed sync log with the connection's platform and property for the dashboard."""
    log: ChannelSyncLog
    platform: str
    property_name: str | None


def failed_operations(agency_id: uuid.UUID, since: datetime, limit: int = 20) -> tuple[list[FailedOperation], int]:
    """The newest failed sync operations finished since `since` (at most `limit`) and how many there are."""
    log = ChannelSyncLog
    finished_at = func.coalesce(log.finished_at, log.updated_at)
    where = (log.tenant_id == agency_id, log.status == "failed", finished_at >= since)
    total = db.session.scalar(select(func.count()).select_from(log).where(*where))
    rows = db.session.execute(
        select(log, ChannelConnection.platform_type, Property.name)
        .join(ChannelConnection, ChannelConnection.id == log.connection_id)
        .outerjoin(Property, Property.id == ChannelConnection.property_id)
        .where(*where).order_by(finished_at.desc()).limit(limit))
    return [FailedOperation(*row) for row in rows], total

