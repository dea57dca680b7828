"""Demo inventory for `flask seed-demo`: properties, guests, bookings in every status and two blocks.

Idempotent: properties are found by name and a property's stays are only
created together with the property; guests are reused by email. Dates are
relative to the day of the first seeding.
"""
from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.guests import service as guests
from app.inventory import service
from app.inventory.models import AvailabilityBlock, Booking, Property

PROPERTIES = (
    {"name": "Altstadt Apartment", "city": "Heidelberg", "country": "DE", "max_guests": 2, "bedrooms": 1,
     "base_nightly_rate": Decimal("95"), "min_stay_nights": 2},
    {"name": "Berghütte Alpenglühen", "city": "Garmisch-Partenkirchen", "country": "DE", "max_guests": 5,
     "bedrooms": 2, "base_nightly_rate": Decimal("150")},
    {"name": "Ferienhaus Seeblick", "city": "Konstanz", "country": "DE", "max_guests": 6, "bedrooms": 3,
     "base_nightly_rate": Decimal("180"), "min_stay_nights": 3},
    {"name": "Loft am Hafen", "city": "Hamburg", "country": "DE", "max_guests": 3, "bedrooms": 1,
     "base_nightly_rate": Decimal("120")},
    {"name": "Strandkate Sylt", "city": "Westerland", "country": "DE", "max_guests": 4, "bedrooms": 2,
     "base_nightly_rate": Decimal("210")},
)
GUESTS = {
    "anna": ("Anna", "Schmidt", "anna.schmidt@example.com", "de"),
    "lukas": ("Lukas", "Müller", "lukas.mueller@example.com", "de"),
    "sophie": ("Sophie", "Martin", "sophie.martin@example.com", "fr"),
    "james": ("James", "Wilson", "james.wilson@example.com", "en"),
}
# property -> stays: (first day, last day (exclusive), final status, guest key or None, channel or "direct")
STAYS = {
    "Altstadt Apartment": ((-12, -9, "checked_out", "anna", "booking_com"), (7, 10, "confirmed", "anna", "direct"),
                           (20, 23, "inquiry", "sophie", "direct")),
    "Ferienhaus Seeblick": ((-2, 3, "checked_in", "lukas", "airbnb"), (14, 18, "pending", "lukas", "direct"),
                            (30, 33, "cancelled", "james", "direct")),
    "Strandkate Sylt": ((3, 6, "confirmed", "sophie", "direct"), (9, 12, "declined", None, "direct")),
    "Berghütte Alpenglühen": ((40, 47, "confirmed", "james", "direct"), (5, 8, "confirmed", None, "direct")),
}
BLOCKS = {"Ferienhaus Seeblick": (50, 53, "maintenance"), "Loft am Hafen": (10, 17, "owner stay")}
# the way from the status a booking is created with to its final status
PATHS = {"checked_in": ("checked_in",), "checked_out": ("checked_in", "checked_out"), "cancelled": ("cancelled",),
         "declined": ("declined",)}


def seed_stays(agency_id: uuid.UUID, prop: Property, guest_ids: dict) -> None:
    today = service.property_today(prop)
    for first, last, final, guest, source in STAYS.get(prop.name, ()):
        stay = service.Stay(today + timedelta(days=first), today + timedelta(days=last))
        initial = final if final in service.INITIAL_STATUSES else ("pending" if final == "declined" else "confirmed")
        booking = service.create_booking(
            agency_id, prop.id, stay, status=initial, guest_id=guest_ids.get(guest), source=source,
            external_ref=f"DEMO-{prop.name[:3].upper()}-{first}" if source != "direct" else None)
        for status in PATHS.get(final, ()):
            service.update_booking(agency_id, booking.id, service.BookingChanges(status=status))
    if prop.name in BLOCKS:
        first, last, reason = BLOCKS[prop.name]
        service.create_block(agency_id, prop.id, service.Stay(today + timedelta(days=first),
                                                              today + timedelta(days=last)), reason)


def seed_inventory(agency_id: uuid.UUID) -> str:
    """Create what is missing of the demo inventory; return a one-line summary. Flushes only."""
    guest_ids = {key: guests.find_or_create_guest(agency_id, first, last, email, language=language).id
                 for key, (first, last, email, language) in GUESTS.items()}
    created = 0
    for fields in PROPERTIES:
        if service.find_property_by_name(agency_id, fields["name"]) is None:
            prop = service.create_property(agency_id, **fields)
            seed_stays(agency_id, prop, guest_ids)
            created += 1

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.agency_id == agency_id))

    return (f"Demo inventory: {count(Property)} properties ({created} new), {count(Booking)} bookings, "
            f"{count(AvailabilityBlock)} blocks, {len(guest_ids)} demo guests")
