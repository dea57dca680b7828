"""The calendar read model: one property's month as weeks of days, each day with what occupies it.

Occupancy comes from the active inventory ranges (bookings, blocks, channel
holds), the same rows the exclusion constraint guards, so a free day in the
grid is a day a booking will get. Overbooking conflicts are channel events
a feed import could not hold (spec 30) and nobody resolved yet; they and the
platforms of channel holds are read through what the channel manager lends
(`channel_reads`), never written here, and left out when it is not mounted.
"""
from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, literal_column, null, select, true

from app.extensions import db
from app.guests.models import Guest
from app.inventory.models import AvailabilityBlock, Booking, InventoryRange
from app.inventory.service.channel_reads import channel_reads
from app.inventory.service.overview import platform_label, source_label as overview_source_label
from app.inventory.service.properties import get_property
from app.inventory.service.ranges import OccupiedRange, Stay, occupied_range

BLOCK_LABEL = "Blocked"
# Constants in the SQL text, not parameters: a prepared statement's generic plan must still match the
# exclusion constraint's partial GiST index (on daterange(start_date, end_date, '[)') WHERE state = 'active').
ACTIVE, HALF_OPEN = literal_column("'active'"), literal_column("'[)'")


@dataclass(frozen=True)
class CalendarItem:
    """An occupied range with what the grid writes on it."""
    range: OccupiedRange
    label: str
    booking_status: str | None = None


@dataclass(frozen=True)
class OverbookingConflict:
    """A channel event that overlaps existing occupancy and could not be held."""
    connection_id: uuid.UUID
    property_id: uuid.UUID
    uid: str
    start_date: date
    end_date: date
    summary: str
    reason: str
    logged_at: datetime


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    item: CalendarItem | None
    conflicts: tuple[OverbookingConflict, ...]

    @property
    def first_night(self) -> bool:
        return self.item is not None and self.item.range.start_date == self.day

    @property
    def last_night(self) -> bool:
        return self.item is not None and self.item.range.end_date == self.day + timedelta(days=1)

    @property
    def shows_label(self) -> bool:
        """The item's label is written on its first night, and again at the start of each week."""
        return self.item is not None and (self.first_night or self.day.weekday() == 0)


@dataclass(frozen=True)
class CalendarMonth:
    property_id: uuid.UUID
    month: date
    weeks: list[list[CalendarDay]]
    items: list[CalendarItem]
    conflicts: list[OverbookingConflict]

    @property
    def previous_month(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=31)).replace(day=1)


def month_calendar(agency_id: uuid.UUID, property_id: uuid.UUID, month: date) -> CalendarMonth:
    """The property's month (weeks Monday to Sunday) with bookings, blocks, holds and conflicts.

    Raises NotFound "Property not found".
    """
    prop = get_property(agency_id, property_id)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    window = Stay(weeks[0][0], weeks[-1][-1] + timedelta(days=1))
    items = calendar_items(agency_id, window, [prop.id])
    conflicts = overbooking_conflicts(agency_id, [prop.id], window)
    grid = [[calendar_day(day, month, items, conflicts) for day in week] for week in weeks]
    return CalendarMonth(prop.id, month.replace(day=1), grid, items, conflicts)


def calendar_day(day: date, month: date, items: list[CalendarItem],
                 conflicts: list[OverbookingConflict]) -> CalendarDay:
    item = next((i for i in items if i.range.start_date <= day < i.range.end_date), None)
    hits = tuple(c for c in conflicts if c.start_date <= day < c.end_date)
    return CalendarDay(day, day.month == month.month, item, hits)


def labelled_ranges(agency_id: uuid.UUID, window: Stay) -> Select:
    """Active ranges of the agency overlapping `window`, each with what labels it: the booking's
    status, source and guest name, the block's reason, the hold's platform (one statement). The
    overlap is asked as the exclusion constraint's GiST index answers it (property, date range)."""
    query = (
        select(InventoryRange.property_id, InventoryRange.kind, InventoryRange.start_date, InventoryRange.end_date,
               InventoryRange.source_id, InventoryRange.connection_id, InventoryRange.external_uid,
               BLOCK.c.reason, BOOKING.c.booking_status, BOOKING.c.booking_source, BOOKING.c.guest_name)
        .select_from(InventoryRange).outerjoin(BLOCK, true()).outerjoin(BOOKING, true())
        .where(InventoryRange.agency_id == agency_id, InventoryRange.state == ACTIVE,
               stay_range(InventoryRange.start_date, InventoryRange.end_date).op("&&")(
                   stay_range(window.start, window.end)))
    )
    return with_hold_platforms(query, agency_id)


def looked_up_for(kind: str, query: Select, name: str):
    """`query` (one row by the range's source id) run only for ranges of `kind`: a lateral subquery
    kept apart (LIMIT 1), so its condition on the range's kind gates the lookup instead of filtering
    its result."""
    return query.where(InventoryRange.kind == kind).limit(1).lateral(name)


BLOCK = looked_up_for("block", select(AvailabilityBlock.reason).where(
    AvailabilityBlock.id == InventoryRange.source_id), "block")
BOOKING = looked_up_for("booking", select(
    Booking.status.label("booking_status"), Booking.source.label("booking_source"),
    func.nullif(func.trim(func.concat_ws(" ", Guest.first_name, Guest.last_name)), "").label("guest_name"))
    .outerjoin(Guest, Guest.id == Booking.guest_id).where(Booking.id == InventoryRange.source_id), "booking")


def stay_range(start, end):
    """daterange(start, end, '[)'): the expression of the exclusion constraint's index."""
    return func.daterange(start, end, HALF_OPEN)


def with_hold_platforms(query: Select, agency_id: uuid.UUID) -> Select:
    """The query with the platform of each channel hold's connection (`platform_type`; null for
    bookings and blocks, and without the channel manager)."""
    reads = channel_reads()
    platform = case((InventoryRange.kind == "channel_hold",
                     reads.connection_platform(agency_id, InventoryRange.connection_id))) if reads else null()
    return query.add_columns(platform.label("platform_type"))


def calendar_items(agency_id: uuid.UUID, window: Stay, property_ids: list[uuid.UUID]) -> list[CalendarItem]:
    """The labelled ranges of the given properties, by property and start date."""
    query = (labelled_ranges(agency_id, window).where(InventoryRange.property_id.in_(property_ids))
             .order_by(InventoryRange.property_id, InventoryRange.start_date))
    return [calendar_item(row) for row in db.session.execute(query)]


def calendar_item(row) -> CalendarItem:
    """A `labelled_ranges` row as the month grid shows it."""
    occupied = occupied_range(row, row.reason)
    if occupied.kind == "booking":
        return CalendarItem(occupied, item_label("booking", row.guest_name), row.booking_status)
    return CalendarItem(occupied, item_label(occupied.kind, reason=row.reason, platform_type=row.platform_type))


def item_label(kind: str, guest_name: str | None = None, reason: str | None = None,
               platform_type: str | None = None) -> str:
    """Guest names for bookings, reasons for blocks, platforms for channel holds."""
    if kind == "booking":
        return guest_name or "Booking"
    if kind == "block":
        return reason or BLOCK_LABEL
    return f"{platform_label(platform_type)} hold"


def source_label(source: str | None) -> str | None:
    """Where a booking came from as people say it ("Booking.com"); None for a direct booking."""
    if not source or source == "direct":
        return None
    return overview_source_label(source)


def overbooking_conflicts(agency_id: uuid.UUID, property_ids: list[uuid.UUID],
                          window: Stay) -> list[OverbookingConflict]:
    """Open conflicts of the given properties overlapping `window`, soonest first (resolved ones are
    not marked); none without the channel manager."""
    reads = channel_reads()
    if reads is None:
        return []
    query = reads.open_conflicts(agency_id, window)
    rows = db.session.execute(query.where(query.selected_columns.property_id.in_(property_ids))
                              .order_by(query.selected_columns.start_date))
    return [OverbookingConflict(row.connection_id, row.property_id, row.external_uid, row.start_date, row.end_date,
                                row.summary, row.reason, row.last_seen_at) for row in rows]
