"""Ops read models for the console: sync failure rates and stale sync logs of one agency.

Read-only: the ops domain reads the channel manager's logs and never writes them
(the stale sweep that fixes stale logs belongs to the channel manager).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelSyncLog
from app.extensions import db


@dataclass(frozen=True)
class FailureRate:
    label: str
    finished: int
    failed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.failed / self.finished, 1) if self.finished else None


def failure_rate(agency_id: uuid.UUID, label: str, since: datetime) -> FailureRate:
    """Finished operations (success or failed) since `since` and how many failed."""
    log = ChannelSyncLog
    finished_at = func.coalesce(log.finished_at, log.updated_at)
    row = db.session.execute(
        select(func.count().filter(log.status.in_(("success", "failed"))),
               func.count().filter(log.status == "failed"))
        .where(log.tenant_id == agency_id, finished_at >= since)).one()
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


def failure_rates(agency_id: uuid.UUID, now: datetime) -> list[FailureRate]:
    return [failure_rate(agency_id, "Last hour", now - timedelta(hours=1)),
            failure_rate(agency_id, "Last 24 hours", now - timedelta(hours=24))]
