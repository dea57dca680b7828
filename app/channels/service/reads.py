"""Read helpers for the back office panels: select choices, connection lookup, activity, batch cards;
and what the channel manager lends inventory's calendar, occupancy chart and property page
(platform names, connections, open overbooking conflicts; see `app.channels.setup`).

Nothing here writes. Each helper is one cheap query, because the panels that
use them poll.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, exists, select, text

from app.channels.models import ACTIVE_SYNC_STATUSES, ChannelConflict, ChannelConnection, ChannelSyncLog
from app.channels.platforms import PLATFORM_DEFINITIONS, platform_label
from app.channels.service.batches import BATCH_SQL, BatchSummary, summary_from_row
from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.models import Property
from app.inventory.service.ranges import Stay


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


def platform_labels() -> dict[str, str]:
    """Display names by platform type ("booking_com": "Booking.com")."""
    return {name: platform_label(name) for name in PLATFORM_DEFINITIONS}


def connection_platform(agency_id: uuid.UUID, connection_id: ColumnElement) -> ColumnElement:
    """The platform type of the agency's connection `connection_id` (a column of the enclosing query;
    also of a deleted connection: its holds still name it)."""
    return (select(ChannelConnection.platform_type)
            .where(ChannelConnection.id == connection_id, ChannelConnection.agency_id == agency_id)
            .scalar_subquery())


def open_conflicts(agency_id: uuid.UUID, window: Stay) -> Select:
    """Open overbooking conflicts of the agency overlapping `window` (resolved ones are not marked)."""
    return select(ChannelConflict.connection_id, ChannelConflict.property_id, ChannelConflict.external_uid,
                  ChannelConflict.start_date, ChannelConflict.end_date, ChannelConflict.summary,
                  ChannelConflict.reason, ChannelConflict.last_seen_at).where(
        ChannelConflict.agency_id == agency_id, ChannelConflict.status == "open",
        ChannelConflict.start_date < window.end, ChannelConflict.end_date > window.start)


def property_connections(agency_id: uuid.UUID, property_id: uuid.UUID) -> list[ChannelConnection]:
    """The property's channel connections (not deleted), by platform."""
    return list(db.session.scalars(scoped(ChannelConnection, agency_id)
                                   .where(ChannelConnection.property_id == property_id)
                                   .order_by(ChannelConnection.platform_type)))
