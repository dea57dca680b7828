"""Guests service: the only code that writes guest profiles (create, update, soft delete) and
their booking metrics.

Guests never import inventory: the inventory service recomputes a guest's
booking metrics with each booking write and stores them through
`set_booking_metrics`, and lends the booking timeline at app setup
(`register_timeline`). Functions flush but never commit.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import func, or_

from app.core.errors import ValidationFailed
from app.core.hooks import provide, provided
from app.core.pagination import DEFAULT_LIMIT, Page, paginate
from app.core.tenancy import get_owned, scoped, soft_delete_owned, update_owned
from app.extensions import db
from app.guests.models import Guest

GUEST_NOT_FOUND = "Guest not found"
EDITABLE_FIELDS = frozenset({"first_name", "last_name", "email", "phone", "language", "notes"})
TIMELINE_LENGTH = 50
TIMELINE_HOOK = "guests.timeline"


@dataclass(frozen=True)
class TimelineEntry:
    """One booking of the guest (the inventory's booking row) with the name of its property."""
    booking: Any
    property_name: str


@dataclass(frozen=True)
class BookingMetrics:
    """What a guest's occupying bookings add up to: how many, their total, first and last arrival day."""
    count: int
    spent: Decimal
    first_arrival: date | None
    last_arrival: date | None


TimelineSource = Callable[[uuid.UUID, uuid.UUID, int], list[TimelineEntry]]


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


def register_timeline(app: Flask, source: TimelineSource) -> None:
    """Where the booking timeline comes from (the inventory module registers its bookings)."""
    provide(app, TIMELINE_HOOK, source)


def guest_timeline(agency_id: uuid.UUID, guest_id: uuid.UUID, limit: int = TIMELINE_LENGTH) -> list[TimelineEntry]:
    """The guest's bookings, latest arrival first (all statuses)."""
    source = provided(TIMELINE_HOOK)
    return source(agency_id, guest_id, limit) if source else []


def arrival_timestamp(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=timezone.utc) if day else None


def set_booking_metrics(agency_id: uuid.UUID, guest_id: uuid.UUID, metrics: BookingMetrics) -> None:
    """Store total_bookings, total_spent and first/last_booking_at (arrival days at 00:00 UTC) of the
    agency's guest; a guest of another agency or one that is gone is left alone."""
    guest = db.session.get(Guest, guest_id)
    if guest is None or guest.agency_id != agency_id:
        return
    guest.total_bookings, guest.total_spent = metrics.count, metrics.spent
    guest.first_booking_at = arrival_timestamp(metrics.first_arrival)
    guest.last_booking_at = arrival_timestamp(metrics.last_arrival)


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
