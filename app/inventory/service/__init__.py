"""Inventory service: the only code that writes properties, bookings, blocks, inventory
ranges and channel holds; it recomputes guest metrics with each booking write (the guests
service stores them).

Functions take the agency id first, flush but never commit, and raise
DomainErrors (404 NotFound, 422 ValidationFailed, 409 BookingConflict). Callers
own the single commit through `app.db.commit_with_retry`.
They never touch request, session or templates.
"""
from app.inventory.service.blocks import create_block, delete_block, get_block, list_blocks
from app.inventory.service.bookings import (
    BookingChanges, GuestDetails, cancel_booking, create_booking, find_booking_by_external_ref,
    get_booking, list_bookings, update_booking,
)
from app.inventory.service.guest_metrics import refresh_guest_metrics
from app.inventory.service.holds import release_channel_holds, upsert_channel_hold
from app.inventory.service.properties import (
    create_property, delete_property, find_property_by_ical_token, find_property_by_name, get_property,
    is_known_timezone, list_properties, property_today, rotate_ical_token, update_property,
)
from app.inventory.service.ranges import (
    OccupiedRange, Stay, availability_document, list_active_ranges,
)
from app.inventory.service.rules import INITIAL_STATUSES, TRANSITIONS

__all__ = [
    "BookingChanges", "GuestDetails", "availability_document", "INITIAL_STATUSES", "OccupiedRange", "Stay", "TRANSITIONS",
    "cancel_booking", "create_block", "create_booking", "create_property", "delete_block", "delete_property",
    "find_booking_by_external_ref", "find_property_by_ical_token", "find_property_by_name",
    "get_block",
    "get_booking", "get_property", "is_known_timezone", "list_active_ranges", "list_blocks", "list_bookings", "list_properties",
    "property_today", "refresh_guest_metrics", "release_channel_holds", "rotate_ical_token",
    "update_booking", "update_property", "upsert_channel_hold",
]
