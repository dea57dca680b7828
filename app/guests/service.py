"""Guests service: the only code that writes guest profiles (create, update, soft delete).

Booking metrics on the guest (total_bookings, total_spent, first/last booking)
are written by the inventory service with each booking write, never here.
Functions flush but never commit.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.core.errors import ValidationFailed
from app.core.pagination import DEFAULT_LIMIT, Page, paginate
from app.core.tenancy import get_owned, scoped, soft_delete_owned, update_owned
from app.extensions import db
from app.guests.models import Guest
from app.inventory.models import Booking, Property

GUEST_NOT_FOUND = "Guest not found"
EDITABLE_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "language", "notes"})
TIMELINE_LENGTH = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One booking of the guest with the name of its property."""
    booking: Booking
    property_name: str


def get_guest(agency_id: uuid.UUID, guest_id: uuid.UUID) -> Guest:
    """The agency's guest (not soft-deleted). Raises NotFound "Guest not found"."""
    return get_owned(Guest, agency_id, guest_id, GUEST_NOT_FOUND)


def list_guests(agency_id: uuid.UUID, q: str | None = None, recent_first: bool = False,
                limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[Guest]:
    """One page of guests by last and first name, or latest arrival first; `q` searches names and email."""
    order = (Guest.last_booking_at.desc().nulls_last(),) if recent_first else ()
    query = scoped(Guest, agency_id).order_by(*order, Guest.last_name, Guest.first_name, Guest.id)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Guest.first_name.ilike(pattern), Guest.last_name.ilike(pattern),
                                Guest.email.ilike(pattern)))
    return paginate(query, limit, offset)


def guest_timeline(agency_id: uuid.UUID, guest_id: uuid.UUID, limit: int = TIMELINE_LENGTH) -> list[TimelineEntry]:
    """The guest's bookings, latest arrival first (all statuses)."""
    rows = db.session.execute(
        select(Booking, Property.name).join(Property, Property.id == Booking.property_id)
        .where(Booking.agency_id == agency_id, Booking.guest_id == guest_id)
        .order_by(Booking.check_in.desc(), Booking.created_at.desc()).limit(limit))
    return [TimelineEntry(booking, name) for booking, name in rows]


def check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown guest field")
    for name in ("first_name", "last_name"):
        if name in fields and not (fields[name] or "").strip():
            raise ValidationFailed.field(name, f"{name} must not be empty")


def create_guest(agency_id: uuid.UUID, first_name: str, last_name: str, **fields) -> Guest:
    """Create a guest profile. Raises ValidationFailed."""
    fields = {"first_name": first_name, "last_name": last_name, **fields}
    check_fields(fields)
    guest = Guest(agency_id=agency_id, **fields)
    db.session.add(guest)
    db.session.flush()
    return guest


def find_or_create_guest(agency_id: uuid.UUID, first_name: str, last_name: str,
                         email: str | None = None, **fields) -> Guest:
    """Reuse the agency's guest with this email (case-insensitive), else create one."""
    if email:
        existing = db.session.scalar(scoped(Guest, agency_id).where(
            func.lower(Guest.email) == email.strip().lower()).order_by(Guest.created_at).limit(1))
        if existing is not None:
            return existing
    return create_guest(agency_id, first_name, last_name, email=email, **fields)


def update_guest(agency_id: uuid.UUID, guest_id: uuid.UUID, **changes) -> Guest:
    """Change profile fields (not metrics). Raises NotFound, ValidationFailed."""
    check_fields(changes)
    return update_owned(Guest, agency_id, guest_id, GUEST_NOT_FOUND, changes)


def delete_guest(agency_id: uuid.UUID, guest_id: uuid.UUID) -> None:
    """Soft delete: hidden from lists and lookups; bookings keep their guest id as history."""
    soft_delete_owned(Guest, agency_id, guest_id, GUEST_NOT_FOUND)
