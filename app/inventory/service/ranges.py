"""Inventory ranges: the single source of truth for occupancy (spec 10).

Every occupying booking, every block and every channel hold owns exactly one
active range; the exclusion constraint `inventory_ranges_no_overlap` makes two
overlapping active ranges impossible. Writers take the property's advisory
lock first so parallel requests queue instead of deadlocking in the index.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, Text, Uuid, bindparam, case, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.core.errors import NotFound, ValidationFailed
from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.errors import guarded_write
from app.inventory.models import AvailabilityBlock, InventoryRange, Property
from app.inventory.service.properties import PROPERTY_NOT_FOUND

# First key of the two-key advisory lock: keeps inventory locks apart from other advisory locks.
PROPERTY_LOCK_NAMESPACE = 7301
RANGE_STATE_LABELS = {"booking": "booked", "block": "blocked", "channel_hold": "held"}


@dataclass(frozen=True)
class Stay:
    """A half-open date range [start, end): the start day is occupied, the end day is free."""
    start: date
    end: date

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class OccupiedRange:
    """One active inventory range as the availability API and the calendar show it."""
    property_id: uuid.UUID
    kind: str
    start_date: date
    end_date: date
    booking_id: uuid.UUID | None = None
    block_id: uuid.UUID | None = None
    reason: str | None = None
    connection_id: uuid.UUID | None = None
    external_uid: str | None = None

    @property
    def state(self) -> str:
        return RANGE_STATE_LABELS[self.kind]


def require_ordered(stay: Stay, start_field: str, end_field: str) -> None:
    """422 unless end > start (the CHECK every stay table carries)."""
    if stay.end <= stay.start:
        raise ValidationFailed.field(end_field, f"{end_field} must be after {start_field}")


def property_lock(property_id):
    """The advisory lock of a property as an SQL expression (a column of a statement that reads anyway)."""
    return func.pg_advisory_xact_lock(PROPERTY_LOCK_NAMESPACE, func.hashtext(cast(property_id, Text)))


def lock_property(property_id: uuid.UUID) -> None:
    """Serialise inventory writes of one property until the transaction ends."""
    db.session.execute(select(property_lock(property_id)))


def active_range(agency_id: uuid.UUID, property_id: uuid.UUID, kind: str, source_id: uuid.UUID, stay: Stay,
                 **hold_fields) -> InventoryRange:
    """A new active range, added to the session; the caller's flush inserts it."""
    occupied = InventoryRange(agency_id=agency_id, property_id=property_id, kind=kind, source_id=source_id,
                              start_date=stay.start, end_date=stay.end, state="active", **hold_fields)
    db.session.add(occupied)
    return occupied


def occupy(agency_id: uuid.UUID, property_id: uuid.UUID, kind: str, source_id: uuid.UUID, stay: Stay,
           **hold_fields) -> InventoryRange:
    """Insert an active range. Raises BookingConflict when it overlaps another active range."""
    with guarded_write():
        occupied = active_range(agency_id, property_id, kind, source_id, stay, **hold_fields)
    return occupied


def move(occupied: InventoryRange, stay: Stay) -> None:
    """Move an active range to new dates. Raises BookingConflict; the old dates then stay taken."""
    with guarded_write():
        occupied.start_date, occupied.end_date = stay.start, stay.end


def release(occupied: InventoryRange | None) -> None:
    """Free the dates at once; the released row stays as history."""
    if occupied is not None:
        occupied.state = "released"
        db.session.flush()


def active_range_of(kind: str, source_id: uuid.UUID) -> InventoryRange | None:
    return db.session.scalar(select(InventoryRange).where(
        InventoryRange.kind == kind, InventoryRange.source_id == source_id, InventoryRange.state == "active"))


def list_active_ranges(agency_id: uuid.UUID, window: Stay,
                       property_ids: list[uuid.UUID] | None = None) -> list[OccupiedRange]:
    """Active ranges of the agency overlapping `window`, ordered by property and start date.

    Free here means a booking will succeed: this reads the same rows the
    exclusion constraint checks. Pass `property_ids` to limit the properties.
    """
    query = (
        select(InventoryRange, AvailabilityBlock.reason)
        .outerjoin(AvailabilityBlock, (InventoryRange.kind == "block")
                   & (AvailabilityBlock.id == InventoryRange.source_id))
        .where(InventoryRange.agency_id == agency_id, InventoryRange.state == "active",
               InventoryRange.start_date < window.end, InventoryRange.end_date > window.start)
        .order_by(InventoryRange.property_id, InventoryRange.start_date)
    )
    if property_ids is not None:
        query = query.where(InventoryRange.property_id.in_(property_ids))
    return [occupied_range(row, reason) for row, reason in db.session.execute(query)]


def occupied_range(row: InventoryRange, reason: str | None) -> OccupiedRange:
    return OccupiedRange(
        property_id=row.property_id, kind=row.kind, start_date=row.start_date, end_date=row.end_date,
        booking_id=row.source_id if row.kind == "booking" else None,
        block_id=row.source_id if row.kind == "block" else None,
        reason=reason, connection_id=row.connection_id, external_uid=row.external_uid)


def overlaps(start, end):
    """`daterange(start_date, end_date) && [start, end)`, in the very form of the exclusion constraint's
    GiST index (active ranges by property and dates), so a property's ranges are found without a scan."""
    own = func.daterange(InventoryRange.start_date, InventoryRange.end_date, literal_column("'[)'"))
    return own.op("&&")(func.daterange(start, end, literal_column("'[)'")))


def ranges_json(property_id, agency_id, start, end):
    """The property's active ranges overlapping [start, end) as one JSON array ordered by start date,
    each a row shaped like the availability API's range (`json_agg` of rows: cheaper than building
    each object with `json_build_object`)."""
    kind_id = {kind: case((InventoryRange.kind == kind, InventoryRange.source_id)) for kind in ("booking", "block")}
    occupied = (
        select(InventoryRange.kind, case(RANGE_STATE_LABELS, value=InventoryRange.kind).label("state"),
               InventoryRange.start_date, InventoryRange.end_date, kind_id["booking"].label("booking_id"),
               kind_id["block"].label("block_id"), AvailabilityBlock.reason, InventoryRange.connection_id,
               InventoryRange.external_uid)
        .outerjoin(AvailabilityBlock, (InventoryRange.kind == "block")
                   & (AvailabilityBlock.id == InventoryRange.source_id))
        .where(InventoryRange.property_id == property_id, InventoryRange.agency_id == agency_id,
               InventoryRange.state == "active", overlaps(start, end))
        .subquery("occupied"))
    rows = func.json_agg(aggregate_order_by(occupied.table_valued(), occupied.c.start_date))
    return select(func.coalesce(rows, literal_column("'[]'::json"))).scalar_subquery()


@cache
def availability_statement():
    """Built once (building it costs more CPU than PostgreSQL needs to run it); the values are bound."""
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    property_id, agency_id = bindparam("property_id", type_=Uuid), bindparam("agency_id", type_=Uuid)
    document = func.json_build_object("property_id", Property.id, "from_date", start, "to_date", end,
                                      "ranges", ranges_json(property_id, agency_id, start, end))
    return scoped(Property, agency_id).where(Property.id == property_id).with_only_columns(cast(document, Text))


def availability_document(agency_id: uuid.UUID, property_id: uuid.UUID, window: Stay) -> str:
    """`GET /api/v1/availability`'s answer as JSON text, shaped by PostgreSQL in one statement (no row
    objects on this hot path). Raises ValidationFailed (window order), NotFound "Property not found"."""
    require_ordered(window, "from_date", "to_date")
    text_document = db.session.scalar(availability_statement(), {
        "agency_id": agency_id, "property_id": property_id, "start": window.start, "end": window.end})
    if text_document is None:
        raise NotFound(PROPERTY_NOT_FOUND)
    return text_document
