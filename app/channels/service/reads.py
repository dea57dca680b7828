"""Read helpers for the back office panels: select choices, connection lookup, activity, batch cards.

Nothing here writes. Each helper is one cheap query, because the panels that
use them poll.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import exists, select, text

from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelConnection, ChannelSyncLog
from app.channels.service.batches import BATCH_SQL, BatchSummary, summary_from_row
from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.models import Property


def property_choices(agency_id: uuid.UUID) -> list[Property]:
    """The agency's properties by name, for property selects."""
    return list(db.session.scalars(scoped(Property, agency_id).order_by(Property.name, Property.id)))


def find_connections(agency_id: uuid.UUID, platform_type: str, property_id: uuid.UUID) -> list[ChannelConnection]:
    """The agency's connections of one property on one platform (Channel Sync "Auto-detect")."""
    return list(db.session.scalars(
        scoped(ChannelConnection, agency_id)
        .where(ChannelConnection.platform_type == platform_type, ChannelConnection.property_id == property_id)
        .order_by(ChannelConnection.created_at.desc())))


def has_active_logs(connection_id: uuid.UUID) -> bool:
    """Whether any log of the connection is still triggered, queued or running (a connection whose
    ownership the caller has checked: the logs panel polls, so it spends no second lookup on it)."""
    return bool(db.session.scalar(select(exists().where(
        ChannelSyncLog.connection_id == connection_id, ChannelSyncLog.status.in_(ACTIVE_SYNC_STATUSES)))))


def batch_summaries(connection_id: uuid.UUID, batch_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, BatchSummary]:
    """The whole-batch aggregation of several batches of one connection (batch cards of a log page)."""
    ids = list(dict.fromkeys(batch_ids))
    if not ids:
        return {}
    sql = BATCH_SQL.format(batch_clause="AND batch_id = ANY(:batch_ids)", status_clause="TRUE")
    rows = db.session.execute(text(sql), {"connection_id": connection_id, "batch_ids": ids,
                                          "limit": len(ids), "offset": 0}).mappings()
    return {row["batch_id"]: summary_from_row(row, connection_id) for row in rows}
