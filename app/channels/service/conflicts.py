"""Overbooking conflicts: channel events an import could not hold, and how operators resolve them.

The iCal import records each conflict in its sync log's details and here, one
row per (connection, event uid, dates), naming the active range it collided
with. A conflict stays `open` until an operator resolves it, each resolution
recorded with who and when:

    accept               cancel the colliding local booking and hold the channel's stay
    resolved_on_channel  the operator fixed it on the channel (cancelled or moved the stay there)
    ignore               leave both as they are, with a note saying why

A later import that no longer meets an open conflict marks it `cleared`
(someone freed the dates, or the event left the feed); one that meets a cleared
conflict again re-opens it. Resolved and ignored conflicts stay as decided.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.auth.models import User
from app.channels.adapters.base import ConnectionSnapshot, Reservation
from app.channels.models import ChannelConnection, ChannelConflict
from app.channels.platforms import platform_label
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.tenancy import get_owned
from app.db import utcnow
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import AvailabilityBlock, Booking, InventoryRange, Property
from app.inventory.service.overview import guest_names

RESOLUTIONS = ("accept", "resolved_on_channel", "ignore")
RESOLVED_STATUSES = {"accept": "accepted", "resolved_on_channel": "resolved_on_channel", "ignore": "ignored"}
STATUS_FILTERS = {"open": ("open",), "resolved": ("accepted", "resolved_on_channel", "ignored", "cleared"),
                  "all": None}
NOTE_MAX_LENGTH = 500
CLEARED_NOTE = "No longer in conflict at a later import"


class ConflictNotOpen(Conflict):
    def __init__(self):
        super().__init__("This conflict is already resolved")


@dataclass(frozen=True)
class ConflictView:
    """A conflict with what the list shows: property, channel, what it collided with, who resolved it."""
    conflict: ChannelConflict
    property_name: str
    platform: str
    collided_label: str
    collided_booking_id: uuid.UUID | None
    collided_booking_occupies: bool
    resolved_by_email: str | None

    @property
    def can_accept(self) -> bool:
        return self.conflict.status == "open" and self.collided_booking_occupies



def colliding_range(connection: ConnectionSnapshot, event: Reservation) -> InventoryRange | None:
    """The active range (other than the event's own hold) that occupies the event's dates first."""
    return db.session.scalar(
        select(InventoryRange).where(
            InventoryRange.property_id == connection.property_id, InventoryRange.state == "active",
            InventoryRange.start_date < event.end, InventoryRange.end_date > event.start,
            or_(InventoryRange.connection_id.is_(None), InventoryRange.connection_id != connection.id,
                InventoryRange.external_uid != event.external_uid))
        .order_by(InventoryRange.start_date).limit(1))


def record_conflict(connection: ConnectionSnapshot, event: Reservation, reason: str,
                    sync_log_id: uuid.UUID | None) -> ChannelConflict:
    """Upsert the conflict of one event; a cleared one opens again, a decided one stays decided."""
    conflict = db.session.scalar(select(ChannelConflict).where(
        ChannelConflict.connection_id == connection.id, ChannelConflict.external_uid == event.external_uid,
        ChannelConflict.start_date == event.start, ChannelConflict.end_date == event.end))
    collided = colliding_range(connection, event)
    if conflict is None:
        conflict = ChannelConflict(agency_id=connection.agency_id, connection_id=connection.id,
                                   property_id=connection.property_id, external_uid=event.external_uid,
                                   start_date=event.start, end_date=event.end, sync_log_id=sync_log_id)
        db.session.add(conflict)
    elif conflict.status == "cleared":
        conflict.status, conflict.resolved_at, conflict.resolved_by, conflict.resolution_note = "open", None, None, None
    conflict.summary, conflict.reason = event.summary[:120], reason[:NOTE_MAX_LENGTH]
    if collided is not None:
        conflict.collided_kind, conflict.collided_source_id = collided.kind, collided.source_id
    conflict.last_seen_at = utcnow()
    db.session.flush()
    return conflict


def clear_resolved(connection: ConnectionSnapshot, still_open: list[uuid.UUID]) -> int:
    """Open conflicts of the connection that this import no longer met become `cleared`."""
    rows = db.session.scalars(select(ChannelConflict).where(
        ChannelConflict.connection_id == connection.id, ChannelConflict.status == "open",
        ChannelConflict.id.not_in(still_open)))
    cleared = 0
    for conflict in rows:
        conflict.status, conflict.resolved_at, conflict.resolution_note = "cleared", utcnow(), CLEARED_NOTE
        cleared += 1
    db.session.flush()
    return cleared


def conflict_query(agency_id: uuid.UUID):
    return (select(ChannelConflict, Property.name, ChannelConnection.platform_type, User.email)
            .join(Property, Property.id == ChannelConflict.property_id)
            .join(ChannelConnection, ChannelConnection.id == ChannelConflict.connection_id)
            .outerjoin(User, User.id == ChannelConflict.resolved_by)
            .where(ChannelConflict.agency_id == agency_id, ChannelConnection.deleted_at.is_(None),
                   Property.deleted_at.is_(None)))


def list_conflicts(agency_id: uuid.UUID, status: str = "open", connection_id: uuid.UUID | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[ConflictView], int]:
    """One page of the agency's conflicts (open: soonest first; others: newest decision first) and the total."""
    if status not in STATUS_FILTERS:
        raise ValidationFailed.field("status", f"Status must be one of: {', '.join(STATUS_FILTERS)}",
                                     loc_prefix="query")
    query = conflict_query(agency_id)
    if STATUS_FILTERS[status]:
        query = query.where(ChannelConflict.status.in_(STATUS_FILTERS[status]))
    if connection_id:
        query = query.where(ChannelConflict.connection_id == connection_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    order = ((ChannelConflict.start_date, ChannelConflict.id) if status == "open"
             else (ChannelConflict.resolved_at.desc().nulls_first(), ChannelConflict.start_date))
    rows = db.session.execute(query.order_by(*order).limit(limit).offset(offset)).all()
    return views(rows), total


def views(rows) -> list[ConflictView]:
    """Label what each conflict collided with: the guest of a booking, a block's reason, a channel's hold."""
    conflicts = [row[0] for row in rows]
    booking_ids = [c.collided_source_id for c in conflicts if c.collided_kind == "booking"]
    block_ids = [c.collided_source_id for c in conflicts if c.collided_kind == "block"]
    bookings = {b.id: b for b in db.session.scalars(select(Booking).where(Booking.id.in_(booking_ids)))}
    guests = guest_names(b.guest_id for b in bookings.values())
    blocks = dict(db.session.execute(select(AvailabilityBlock.id, AvailabilityBlock.reason)
                                     .where(AvailabilityBlock.id.in_(block_ids))).all())
    hold_platforms = hold_platforms_of(conflicts)
    result = []
    for conflict, property_name, platform, email in rows:
        booking = bookings.get(conflict.collided_source_id) if conflict.collided_kind == "booking" else None
        label = collided_label(conflict, booking, guests, blocks, hold_platforms)
        result.append(ConflictView(conflict, property_name, platform, label, booking.id if booking else None,
                                   booking is not None and booking.status != "cancelled", email))
    return result


def hold_platforms_of(conflicts: list[ChannelConflict]) -> dict[uuid.UUID, str]:
    """The platform of each colliding channel hold (by the hold's source id)."""
    hold_ids = [c.collided_source_id for c in conflicts if c.collided_kind == "channel_hold"]
    if not hold_ids:
        return {}
    return dict(db.session.execute(
        select(InventoryRange.source_id, ChannelConnection.platform_type)
        .join(ChannelConnection, ChannelConnection.id == InventoryRange.connection_id)
        .where(InventoryRange.source_id.in_(hold_ids))).all())


def collided_label(conflict: ChannelConflict, booking: Booking | None, guests: dict, blocks: dict,
                   hold_platforms: dict) -> str:
    if conflict.collided_kind == "booking" and booking is not None:
        who = guests.get(booking.guest_id) or (
            "Direct booking" if booking.source == "direct" else f"{platform_label(booking.source)} booking")
        return f"Booking: {who} ({booking.check_in} → {booking.check_out}, {booking.status.replace('_', ' ')})"
    if conflict.collided_kind == "block":
        return f"Block: {blocks.get(conflict.collided_source_id) or 'Blocked'}"
    if conflict.collided_kind == "channel_hold":
        return f"{platform_label(hold_platforms.get(conflict.collided_source_id))} hold"
    return "Existing occupancy"


def open_conflict_counts(agency_id: uuid.UUID, connection_id: uuid.UUID | None = None) -> dict[uuid.UUID, int]:
    """Open conflicts per connection of the agency, or of one connection (badges on connections and logs)."""
    query = (select(ChannelConflict.connection_id, func.count())
             .where(ChannelConflict.agency_id == agency_id, ChannelConflict.status == "open")
             .group_by(ChannelConflict.connection_id))
    if connection_id is not None:
        query = query.where(ChannelConflict.connection_id == connection_id)
    return dict(db.session.execute(query).all())


def get_conflict(agency_id: uuid.UUID, conflict_id: uuid.UUID) -> ConflictView:
    """One conflict as the list shows it. Raises NotFound "Conflict not found"."""
    row = db.session.execute(conflict_query(agency_id).where(ChannelConflict.id == conflict_id)).first()
    if row is None:
        raise NotFound("Conflict not found")
    return views([row])[0]


def resolve_conflict(agency_id: uuid.UUID, conflict_id: uuid.UUID, resolution: str, actor_id: uuid.UUID,
                     note: str | None = None) -> ChannelConflict:
    """Resolve an open conflict and record who and when. Flushes, never commits.

    `accept` cancels the colliding local booking and holds the channel's stay in the same
    transaction. Raises NotFound, ValidationFailed (unknown resolution, missing or long note),
    ConflictNotOpen (409) and, for accept, Conflict when the conflict did not collide with a
    booking or BookingConflict when something else still occupies the dates.
    """
    if resolution not in RESOLUTIONS:
        raise ValidationFailed.field("resolution", f"Resolution must be one of: {', '.join(RESOLUTIONS)}")
    note = (note or "").strip() or None
    if resolution == "ignore" and not note:
        raise ValidationFailed.field("note", "Say why the conflict is ignored")
    if note and len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed.field("note", f"At most {NOTE_MAX_LENGTH} characters")
    conflict = get_owned(ChannelConflict, agency_id, conflict_id, "Conflict not found", for_update=True)
    if conflict.status != "open":
        raise ConflictNotOpen()
    if resolution == "accept":
        accept_channel_stay(conflict, actor_id)
    conflict.status, conflict.resolution_note = RESOLVED_STATUSES[resolution], note
    conflict.resolved_by, conflict.resolved_at = actor_id, utcnow()
    db.session.flush()
    return conflict


def accept_channel_stay(conflict: ChannelConflict, actor_id: uuid.UUID) -> None:
    """Cancel the local booking the event collided with, then hold the event's dates for its channel."""
    if conflict.collided_kind != "booking":
        raise Conflict("Only a conflict with a local booking can be accepted; "
                       "free the dates first or resolve it on the channel")
    connection = db.session.get(ChannelConnection, conflict.connection_id)
    reason = f"Overbooking: replaced by the {platform_label(connection.platform_type)} reservation " \
             f"{conflict.external_uid}"
    inventory.cancel_booking(conflict.agency_id, conflict.collided_source_id, reason=reason[:NOTE_MAX_LENGTH],
                             actor_id=actor_id)
    inventory.upsert_channel_hold(conflict.agency_id, conflict.property_id, conflict.connection_id,
                                  conflict.external_uid, conflict.start_date, conflict.end_date)

