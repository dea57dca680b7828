"""Booking rules: the status transition table and the stay rules for direct bookings.

Every rule answers 422 with a field-level message. The transition table is
repeated in the docstring of `PATCH /api/v1/bookings/{id}` (a test keeps both equal).
"""
from __future__ import annotations

from datetime import timedelta

from app.core.errors import ValidationFailed
from app.inventory.models import Property
from app.inventory.service.properties import property_today
from app.inventory.service.ranges import Stay, require_ordered

# current status -> statuses it may change to. Staying in the same status is always allowed
# (a second cancel answers 200, unchanged). Terminal statuses have no way out.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "inquiry": ("pending", "confirmed", "declined", "cancelled"),
    "pending": ("confirmed", "declined", "cancelled"),
    "confirmed": ("checked_in", "no_show", "cancelled"),
    "checked_in": ("checked_out",),
    "checked_out": (),
    "cancelled": (),
    "declined": (),
    "no_show": (),
}
# a booking is born as one of these; the later statuses are reached through transitions
INITIAL_STATUSES = ("inquiry", "pending", "confirmed")
DATE_EDITABLE_STATUSES = ("inquiry", "pending", "confirmed", "checked_in")


def check_initial_status(status: str) -> None:
    if status not in INITIAL_STATUSES:
        raise ValidationFailed.field(
            "status", f"A new booking must be one of: {', '.join(INITIAL_STATUSES)} (got {status!r})")


def check_transition(current: str, new: str) -> None:
    """422 unless the transition table allows current -> new."""
    if new == current:
        return
    allowed = TRANSITIONS.get(current, ())
    if new not in allowed:
        options = ", ".join(allowed) if allowed else f"none, {current} is final"
        raise ValidationFailed.field(
            "status", f"Cannot change status from {current} to {new} (allowed: {options})")


def check_dates_editable(status: str) -> None:
    if status not in DATE_EDITABLE_STATUSES:
        raise ValidationFailed.field("check_in", f"Dates of a {status} booking cannot be changed")


def check_stay(prop: Property, stay: Stay, *, direct: bool, new_arrival: bool = True) -> None:
    """Stay rules (spec 20): ordered dates always; for direct bookings also the booking window
    (`max_advance_days`, counted in the property's time zone, every night must lie inside it)
    and no arrival in the past when the arrival is new.

    The minimum stay and arrival day depend on the arrival night's season: the pricing engine
    checks them when it prices the stay. Channel imports record what the channel already sold,
    so only the date order applies.
    """
    require_ordered(stay, "check_in", "check_out")
    if not direct:
        return
    today = property_today(prop)
    if new_arrival and stay.start < today:
        raise ValidationFailed.field("check_in", f"check_in {stay.start} is in the past (today is {today})")
    last_night = today + timedelta(days=prop.max_advance_days)
    if stay.end - timedelta(days=1) > last_night:
        field = "check_in" if stay.start > last_night else "check_out"
        raise ValidationFailed.field(
            field, f"Stay reaches beyond the booking window of {prop.max_advance_days} days "
                   f"(last bookable night: {last_night})")
