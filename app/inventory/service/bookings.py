"""Bookings: create, change (status, dates, guest, price, notes), cancel, list.

An occupying booking (pending, confirmed, checked in, checked out) owns one
active inventory range; every write moves, takes or releases it in the same
transaction, under the property's advisory lock, and refreshes guest metrics.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from decimal import Decimal

from app.core.errors import ValidationFailed
from app.core.pagination import DEFAULT_LIMIT, Page, paginate
from app.core.tenancy import get_owned, scoped
from app.extensions import db
from app.guests import service as guests
from app.inventory.errors import guarded_write
from app.inventory.models import OCCUPYING_STATUSES, Booking
from app.inventory.service.guest_metrics import refresh_guest_metrics
from app.inventory.service.properties import get_property
from app.inventory.service.ranges import (
    Stay, active_range, active_range_of, lock_property, move, occupy, property_lock, release,
)
from app.inventory.service.rules import check_dates_editable, check_initial_status, check_stay, check_transition
from app.pricing import engine, service as pricing

BOOKING_NOT_FOUND = "Booking not found"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()  # "not given" in BookingChanges, as opposed to an explicit None


@dataclass(frozen=True)
class GuestDetails:
    """An inline guest: reused by email within the agency, else created."""
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class BookingChanges:
    """The fields a PATCH gives; UNSET fields stay as they are."""
    status: str | _Unset = UNSET
    check_in: date | _Unset = UNSET
    check_out: date | _Unset = UNSET
    guest_id: uuid.UUID | None | _Unset = UNSET
    guest: GuestDetails | None | _Unset = UNSET
    adults: int | _Unset = UNSET
    children: int | _Unset = UNSET
    total_price: Decimal | _Unset = UNSET
    children_ages: list[int] | None | _Unset = UNSET
    extras: tuple[engine.ExtraRequest, ...] | _Unset = UNSET
    notes: str | None | _Unset = UNSET
    cancellation_reason: str | None | _Unset = UNSET

    def given(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not UNSET}


def get_booking(agency_id: uuid.UUID, booking_id: uuid.UUID, for_update: bool = False) -> Booking:
    """The agency's booking. Raises NotFound "Booking not found"."""
    return get_owned(Booking, agency_id, booking_id, BOOKING_NOT_FOUND, for_update=for_update)


def list_bookings(agency_id: uuid.UUID, *, property_id: uuid.UUID | None = None, status: str | None = None,
                  guest_id: uuid.UUID | None = None, from_date: date | None = None, to_date: date | None = None,
                  limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[Booking]:
    """One page of bookings, latest arrival first. from/to keep stays overlapping [from_date, to_date)."""
    query = scoped(Booking, agency_id).order_by(Booking.check_in.desc(), Booking.created_at.desc(), Booking.id)
    filters = {Booking.property_id: property_id, Booking.status: status, Booking.guest_id: guest_id}
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if from_date is not None:
        query = query.where(Booking.check_out > from_date)
    if to_date is not None:
        query = query.where(Booking.check_in < to_date)
    return paginate(query, limit, offset)


def find_booking_by_external_ref(agency_id: uuid.UUID, source: str, external_ref: str) -> Booking | None:
    """A channel's reservation already imported into the agency, if any."""
    return db.session.scalar(scoped(Booking, agency_id).where(
        Booking.source == source, Booking.external_ref == external_ref))


def resolve_guest(agency_id: uuid.UUID, guest_id: uuid.UUID | None, guest: GuestDetails | None) -> uuid.UUID | None:
    if guest_id is not None and guest is not None:
        raise ValidationFailed.field("guest", "Give either guest_id or guest, not both")
    if guest_id is not None:
        return guests.get_guest(agency_id, guest_id).id
    if guest is not None:
        details = {f.name: getattr(guest, f.name) for f in fields(guest)}
        return guests.find_or_create_guest(agency_id, **details).id
    return None


def create_booking(agency_id: uuid.UUID, property_id: uuid.UUID, stay: Stay, *, status: str = "confirmed",
                   guest_id: uuid.UUID | None = None, guest: GuestDetails | None = None, source: str = "direct",
                   external_ref: str | None = None, adults: int = 1, children: int = 0,
                   children_ages: list[int] | None = None, extras: tuple[engine.ExtraRequest, ...] = (),
                   total_price: Decimal | None = None, notes: str | None = None) -> Booking:
    """Create a booking; an occupying one takes the dates (property lock, then insert).

    The property, its pricing rows and (for an occupying booking) its lock come in one statement.
    The pricing engine prices the stay and its lines are stored; a given total_price becomes one
    `manual` line instead (the engine's quote stays on `booking.quote` for comparison, the stored
    lines on `booking.written_lines`, so an answer needs no read after the commit). Raises
    NotFound (property, guest), ValidationFailed (rules), BookingConflict (dates taken), DuplicateExternalRef.
    """
    occupies = status in OCCUPYING_STATUSES
    priced = pricing.load_priced_property(agency_id, property_id, stay.start, stay.end,
                                          also=(property_lock,) if occupies else ())
    prop = priced.prop
    check_initial_status(status)
    check_stay(prop, stay, direct=source == "direct")
    quote = pricing.quote_priced(priced, stay_request(stay, adults, children, children_ages, extras),
                                 check_rules=source == "direct")
    booking = Booking(
        id=uuid.uuid4(), agency_id=agency_id, property_id=prop.id, check_in=stay.start, check_out=stay.end,
        status=status, source=source, external_ref=external_ref, adults=adults, children=children,
        children_ages=children_ages, currency=prop.currency, notes=notes)
    booking.quote = quote
    # One transaction and no savepoint: a conflict fails the flush and the caller rolls everything back.
    with guarded_write(savepoint=False):
        booking.guest_id = resolve_guest(agency_id, guest_id, guest)
        db.session.add(booking)
        if occupies:
            active_range(agency_id, prop.id, "booking", booking.id, stay)
        booking.written_lines = pricing.add_price_lines(
            booking, list(quote.lines) if total_price is None else [pricing.manual_line(total_price)])
    refresh_guest_metrics(agency_id, booking.guest_id)
    return booking


def stay_request(stay: Stay, adults: int, children: int, children_ages: list[int] | None,
                 extras: tuple[engine.ExtraRequest, ...]) -> engine.StayRequest:
    return engine.StayRequest(stay.start, stay.end, adults,
                              tuple(children_ages) if children_ages is not None else None, children, tuple(extras))


def update_booking(agency_id: uuid.UUID, booking_id: uuid.UUID, changes: BookingChanges,
                   actor_id: uuid.UUID | None = None) -> Booking:
    """Apply a PATCH: status transition, dates, guest, counts, price, notes.

    Cancelling twice is a no-op. Raises NotFound, ValidationFailed (transition or rules),
    BookingConflict (new dates or re-occupied dates taken; the old dates then stay booked).
    """
    booking = get_booking(agency_id, booking_id, for_update=True)
    given = changes.given()
    new_status = given.pop("status", booking.status)
    check_transition(booking.status, new_status)
    stay = Stay(given.pop("check_in", booking.check_in), given.pop("check_out", booking.check_out))
    check_new_stay(booking, new_status, stay)
    old_guest_id = booking.guest_id
    lines = repriced_lines(booking, stay, given)
    with guarded_write():  # all or nothing: a conflict leaves the booking as it was
        if "guest_id" in given or "guest" in given:
            booking.guest_id = resolve_guest(agency_id, given.pop("guest_id", None), given.pop("guest", None))
        for name, value in given.items():
            setattr(booking, name, value)
        if new_status == "cancelled" and booking.status != "cancelled":
            booking.cancelled_at, booking.cancelled_by = datetime.now(timezone.utc), actor_id
        apply_inventory(booking, new_status, stay)
        if lines is not None:
            pricing.write_price_lines(booking, lines)
    refresh_guest_metrics(agency_id, old_guest_id, booking.guest_id)
    return booking


def cancel_booking(agency_id: uuid.UUID, booking_id: uuid.UUID, reason: str | None = None,
                   actor_id: uuid.UUID | None = None) -> Booking:
    """Cancel and free the dates at once; cancelling a cancelled booking changes nothing."""
    changes = BookingChanges(status="cancelled", cancellation_reason=reason) if reason else \
        BookingChanges(status="cancelled")
    return update_booking(agency_id, booking_id, changes, actor_id)


def check_new_stay(booking: Booking, new_status: str, stay: Stay) -> None:
    """Rules for changed dates, and for an inquiry that starts occupying (a new stay in effect)."""
    dates_changed = (stay.start, stay.end) != (booking.check_in, booking.check_out)
    starts_occupying = new_status in OCCUPYING_STATUSES and booking.status not in OCCUPYING_STATUSES
    if dates_changed:
        check_dates_editable(booking.status)
    if dates_changed or starts_occupying:
        prop = get_property(booking.agency_id, booking.property_id)
        check_stay(prop, stay, direct=booking.source == "direct",
                   new_arrival=stay.start != booking.check_in or starts_occupying)


def apply_inventory(booking: Booking, new_status: str, stay: Stay) -> None:
    """Write dates and status together with the booking's range: move, take or release it."""
    occupies_now = new_status in OCCUPYING_STATUSES
    current = active_range_of("booking", booking.id) if booking.status in OCCUPYING_STATUSES else None
    if occupies_now:
        lock_property(booking.property_id)
    with guarded_write():
        booking.check_in, booking.check_out, booking.status = stay.start, stay.end, new_status
        if occupies_now and current is not None:
            if (current.start_date, current.end_date) != (stay.start, stay.end):
                move(current, stay)
        elif occupies_now:
            occupy(booking.agency_id, booking.property_id, "booking", booking.id, stay)
        else:
            release(current)



PRICED_FIELDS = ("adults", "children", "children_ages", "extras")


def repriced_lines(booking: Booking, stay: Stay, given: dict) -> list[engine.Line] | None:
    """New price lines when the PATCH sets a price or changes dates, guests or extras, else None.

    Pops total_price and extras from `given`. A price set by hand stays until a new one is given
    or the extras change; the engine re-prices everything else (its rules only for direct bookings).
    """
    total_price, extras = given.pop("total_price", None), given.pop("extras", None)
    if "children" in given and "children_ages" not in given and given["children"] != booking.children:
        given["children_ages"] = None  # the old ages no longer fit
    dates_changed = (stay.start, stay.end) != (booking.check_in, booking.check_out)
    if not (dates_changed or extras is not None or any(name in given for name in PRICED_FIELDS)):
        return None if total_price is None else [pricing.manual_line(total_price)]
    request = stay_request(stay, given.get("adults", booking.adults), given.get("children", booking.children),
                           given.get("children_ages", booking.children_ages),
                           extras if extras is not None else pricing.booked_extras(booking.id))
    engine.check_request(request)  # e.g. one age per child, also when the price is set by hand
    if total_price is not None:
        return [pricing.manual_line(total_price)]
    if extras is None and pricing.has_manual_price(booking.id):
        return None
    quote = pricing.quote_property(get_property(booking.agency_id, booking.property_id), request,
                                   check_rules=booking.source == "direct" and dates_changed, booking_id=booking.id)
    return list(quote.lines)
