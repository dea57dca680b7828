"""Read models for the back office: bookings with their names, arrivals and departures,
occupancy, a guest's bookings, and how platforms and booking sources are called.

Read-only: nothing here writes. Platform names come from the channel manager
when it is mounted (`channel_reads`).
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.tenancy import scoped
from app.extensions import db
from app.guests.models import Guest
from app.guests.service import TimelineEntry
from app.inventory.models import OCCUPYING_STATUSES, Booking, Property
from app.inventory.service.channel_reads import platform_labels
from app.inventory.service.ranges import Stay, list_active_ranges


@dataclass(frozen=True)
class BookingRow:
    """A booking with the names a table shows next to it."""
    booking: Booking
    property_name: str
    guest_name: str | None


@dataclass(frozen=True)
class Occupancy:
    """Nights of one property in a window: sold (bookings and channel holds) and blocked."""
    property_id: uuid.UUID | None
    property_name: str
    nights: int
    booked: int
    blocked: int

    @property
    def bookable(self) -> int:
        return self.nights - self.blocked

    @property
    def percent(self) -> float | None:
        """Sold share of the nights that were not blocked; None when nothing was bookable."""
        return round(100 * self.booked / self.bookable, 1) if self.bookable else None


@dataclass(frozen=True)
class OccupancyReport:
    rows: list[Occupancy]

    @property
    def total(self) -> Occupancy:
        """All properties together (property_id None)."""
        return Occupancy(None, "All properties", sum(r.nights for r in self.rows),
                         sum(r.booked for r in self.rows), sum(r.blocked for r in self.rows))


def platform_label(name: str | None) -> str:
    """A channel's display name ("booking_com" shows as "Booking.com"); "Channel" when not known."""
    return platform_labels().get(name, "Channel")


def source_label(source: str | None) -> str:
    """Where a booking came from, for people: a channel's display name ("Booking.com"), else "Direct"."""
    return platform_labels().get(source) or (source or "direct").replace("_", " ").capitalize()


def guest_name(guest: Guest | None) -> str | None:
    return f"{guest.first_name} {guest.last_name}".strip() if guest else None


def guest_names(guest_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    ids = {guest_id for guest_id in guest_ids if guest_id}
    if not ids:
        return {}
    return {guest.id: guest_name(guest) for guest in db.session.scalars(select(Guest).where(Guest.id.in_(ids)))}


def booking_rows(agency_id: uuid.UUID, bookings: Iterable[Booking]) -> list[BookingRow]:
    """Attach property and guest names to bookings (two queries for the whole list)."""
    bookings = list(bookings)
    property_ids = {booking.property_id for booking in bookings}
    names = dict(db.session.execute(select(Property.id, Property.name).where(
        Property.agency_id == agency_id, Property.id.in_(property_ids))).all()) if property_ids else {}
    guests = guest_names(booking.guest_id for booking in bookings)
    return [BookingRow(booking, names.get(booking.property_id, "N/A"), guests.get(booking.guest_id))
            for booking in bookings]


def stays_on(agency_id: uuid.UUID, day: date, column) -> list[BookingRow]:
    query = (scoped(Booking, agency_id).where(column == day, Booking.status.in_(OCCUPYING_STATUSES))
             .order_by(Booking.property_id, Booking.created_at))
    return booking_rows(agency_id, db.session.scalars(query))


def arrivals(agency_id: uuid.UUID, day: date) -> list[BookingRow]:
    """Occupying bookings arriving on `day` (including guests already checked in)."""
    return stays_on(agency_id, day, Booking.check_in)


def departures(agency_id: uuid.UUID, day: date) -> list[BookingRow]:
    """Occupying bookings departing on `day` (including guests already checked out)."""
    return stays_on(agency_id, day, Booking.check_out)


def occupancy(agency_id: uuid.UUID, window: Stay) -> OccupancyReport:
    """Per property (by name): sold and blocked nights of the active inventory ranges inside `window`."""
    properties = db.session.execute(
        select(Property.id, Property.name).where(Property.agency_id == agency_id, Property.deleted_at.is_(None))
        .order_by(Property.name, Property.id)).all()
    counts: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: {"booked": 0, "blocked": 0})
    for occupied in list_active_ranges(agency_id, window, [prop_id for prop_id, _ in properties]):
        nights = (min(occupied.end_date, window.end) - max(occupied.start_date, window.start)).days
        counts[occupied.property_id]["blocked" if occupied.kind == "block" else "booked"] += nights
    return OccupancyReport([Occupancy(prop_id, name, window.nights, **counts[prop_id]) for prop_id, name in properties])


def guest_bookings(agency_id: uuid.UUID, guest_id: uuid.UUID, limit: int) -> list[TimelineEntry]:
    """The guest's bookings with their property names, latest arrival first (all statuses): the
    timeline the guests module shows (lent to it at app setup)."""
    rows = db.session.execute(
        select(Booking, Property.name).join(Property, Property.id == Booking.property_id)
        .where(Booking.agency_id == agency_id, Booking.guest_id == guest_id)
        .order_by(Booking.check_in.desc(), Booking.created_at.desc()).limit(limit))
    return [TimelineEntry(booking, name) for booking, name in rows]
