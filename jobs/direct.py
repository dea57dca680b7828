"""Direct booking: `decline_expired_direct_bookings` declines the website's pending bookings left
unconfirmed for DIRECT_BOOKING_PENDING_HOURS, so their dates become free again.

Safe to run concurrently: it takes its own periodic lock and does nothing when another run holds it.
"""
from __future__ import annotations

import logging

from app.db import run_locked, utcnow
from app.direct import service
from jobs import app_context

log = logging.getLogger("jobs.direct")


def decline_expired_direct_bookings() -> int:
    """Every 15 minutes: decline expired pending website bookings; returns how many."""
    with app_context():
        count = run_locked("direct.decline_expired_direct_bookings", service.decline_expired, utcnow()) or 0
    if count:
        log.info("Declined %d pending website booking(s) left unconfirmed", count)
    return count
