"""Channel holds: dates a channel's iCal feed reports as taken, kept as `channel_hold` ranges.

The channel manager's iCal import calls `upsert_channel_hold` for every event
of a feed and then `release_channel_holds` with the uids it saw. A hold that
overlaps a booking, block or other hold raises the same `BookingConflict`
(409 inventory_overlap) as a booking does; the import records that as an
overbooking conflict and goes on (only a savepoint is rolled back).
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import update

from app.extensions import db
from app.inventory.models import InventoryRange
from app.inventory.service.properties import get_property
from app.inventory.service.ranges import Stay, lock_property, move, occupy, release, require_ordered


def find_channel_hold(connection_id: uuid.UUID, external_uid: str) -> InventoryRange | None:
    return db.session.scalar(db.select(InventoryRange).where(
        InventoryRange.kind == "channel_hold", InventoryRange.state == "active",
        InventoryRange.connection_id == connection_id, InventoryRange.external_uid == external_uid))


def upsert_channel_hold(agency_id: uuid.UUID, property_id: uuid.UUID, connection_id: uuid.UUID,
                        external_uid: str, start: date, end: date) -> InventoryRange:
    """Create the active hold for (connection, event uid), or move it when the event's dates changed.

    `start`/`end` are the event's half-open dates [start, end). Takes the property
    lock; flushes, never commits. Raises NotFound (property), ValidationFailed
    (end <= start) and BookingConflict when the dates overlap another active range
    (an overbooking: the existing hold, if any, then keeps its old dates).
    """
    stay = Stay(start, end)
    require_ordered(stay, "start_date", "end_date")
    prop = get_property(agency_id, property_id)
    lock_property(prop.id)
    hold = find_channel_hold(connection_id, external_uid)
    if hold is not None and hold.property_id != prop.id:
        release(hold)  # the connection was mapped to another property since the last import
        hold = None
    if hold is None:
        return occupy(agency_id, prop.id, "channel_hold", connection_id, stay,
                      connection_id=connection_id, external_uid=external_uid)
    if (hold.start_date, hold.end_date) != (stay.start, stay.end):
        move(hold, stay)
    return hold


def release_channel_holds(agency_id: uuid.UUID, connection_id: uuid.UUID, keep_uids: Iterable[str]) -> int:
    """Release the connection's active holds whose uid is not in `keep_uids` (events gone from the feed).

    Returns how many were released; their dates are free at once. Flushes, never commits.
    """
    result = db.session.execute(
        update(InventoryRange)
        .where(InventoryRange.agency_id == agency_id, InventoryRange.connection_id == connection_id,
               InventoryRange.kind == "channel_hold", InventoryRange.state == "active",
               InventoryRange.external_uid.not_in(list(keep_uids)))
        .values(state="released", updated_at=db.func.now())
        .execution_options(synchronize_session="fetch"))
    db.session.flush()
    return result.rowcount
