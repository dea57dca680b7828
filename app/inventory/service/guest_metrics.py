"""Guest metrics, recomputed from the guest's bookings in the same transaction as each booking write.

Counted are stays that occupy inventory (pending, confirmed, checked in, checked
out); inquiries and cancelled, declined or no-show bookings do not count.
first/last_booking_at are the earliest and latest arrival days (00:00 UTC).
Recomputing instead of adding deltas keeps the numbers right after any change.
The guests service stores them (`set_booking_metrics`).
"""
from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.guests import service as guests
from app.inventory.models import OCCUPYING_STATUSES, Booking


def refresh_guest_metrics(agency_id: uuid.UUID, *guest_ids: uuid.UUID | None) -> None:
    """Recompute total_bookings, total_spent and first/last_booking_at of the given guests."""
    for guest_id in {guest_id for guest_id in guest_ids if guest_id}:
        count, spent, first, last = db.session.execute(
            select(func.count(), func.coalesce(func.sum(Booking.total_price), 0),
                   func.min(Booking.check_in), func.max(Booking.check_in))
            .where(Booking.agency_id == agency_id, Booking.guest_id == guest_id,
                   Booking.status.in_(OCCUPYING_STATUSES))).one()
        guests.set_booking_metrics(agency_id, guest_id, guests.BookingMetrics(count, spent, first, last))
    db.session.flush()
