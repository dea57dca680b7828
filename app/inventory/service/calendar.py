"""The calendar read model: one property's month as weeks of days, each day with what occupies it.

Occupancy comes from the active inventory ranges (bookings, blocks, channel
holds), the same rows the exclusion constraint guards, so a free day in the
grid is a day a booking will get. Overbooking conflicts are channel events
a feed import could not hold (spec 30) and nobody resolved yet; they are
read from the channel manager's conflict records, never written here.
"""
from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.channels.models import ChannelConflict, ChannelConnection
from app.extensions import db
from app.inventory.models import Booking
from app.inventory.service.overview import guest_names, platform_label
from app.inventory.service.properties import get_property
from app.inventory.service.ranges import OccupiedRange, Stay, list_active_ranges

BLOCK_LABEL = "Blocked"


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
    items = labelled(list_active_ranges(agency_id, window, [prop.id]))
    conflicts = overbooking_conflicts(agency_id, prop.id, window)
    grid = [[calendar_day(day, month, items, conflicts) for day in week] for week in weeks]
    return CalendarMonth(prop.id, month.replace(day=1), grid, items, conflicts)


def calendar_day(day: date, month: date, items: list[CalendarItem],
                 conflicts: list[OverbookingConflict]) -> CalendarDay:
    item = next((i for i in items if i.range.start_date <= day < i.range.end_date), None)
    hits = tuple(c for c in conflicts if c.start_date <= day < c.end_date)
    return CalendarDay(day, day.month == month.month, item, hits)


def labelled(ranges: list[OccupiedRange]) -> list[CalendarItem]:
    """Guest names for bookings, reasons for blocks, platforms for channel holds."""
    booking_ids = [r.booking_id for r in ranges if r.booking_id]
    bookings = {b.id: b for b in db.session.scalars(select(Booking).where(Booking.id.in_(booking_ids)))} \
        if booking_ids else {}
    guests = guest_names(b.guest_id for b in bookings.values())
    connection_ids = {r.connection_id for r in ranges if r.connection_id}
    platforms = dict(db.session.execute(select(ChannelConnection.id, ChannelConnection.platform_type).where(
        ChannelConnection.id.in_(connection_ids))).all()) if connection_ids else {}
    items = []
    for occupied in ranges:
        if occupied.kind == "booking":
            booking = bookings[occupied.booking_id]
            items.append(CalendarItem(occupied, guests.get(booking.guest_id) or "Booking", booking.status))
        elif occupied.kind == "block":
            items.append(CalendarItem(occupied, occupied.reason or BLOCK_LABEL))
        else:
            items.append(CalendarItem(occupied, f"{platform_label(platforms.get(occupied.connection_id))} hold"))
    return items


def overbooking_conflicts(agency_id: uuid.UUID, property_id: uuid.UUID, window: Stay) -> list[OverbookingConflict]:
    """Open conflicts of the property overlapping `window`, soonest first (resolved ones are not marked)."""
    rows = db.session.scalars(
        select(ChannelConflict).where(
            ChannelConflict.agency_id == agency_id, ChannelConflict.property_id == property_id,
            ChannelConflict.status == "open", ChannelConflict.start_date < window.end,
            ChannelConflict.end_date > window.start)
        .order_by(ChannelConflict.start_date))
    return [OverbookingConflict(row.connection_id, row.external_uid, row.start_date, row.end_date, row.summary,
                                row.reason, row.last_seen_at) for row in rows]
