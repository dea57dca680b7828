"""`/api/v1/bookings/`: list, create, read, change (status, dates, guest, notes); no delete."""
from __future__ import annotations

import uuid

from app.core.errors import Forbidden
from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import BOOKING_EDITORS, bp
from app.inventory.models import Booking
from app.inventory.schemas import (
    BookingDetailOut, BookingIn, BookingListQuery, BookingPage, BookingPatch, ConflictDetail,
)
from app.pricing import engine, service as pricing
from app.pricing.api import PRICING_EDITORS
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, current_principal, has_role, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

TAGS = ["bookings"]
WRITE_ERRORS = {"HTTP_403": Detail, "HTTP_404": Detail, "HTTP_409": ConflictDetail, "HTTP_503": Detail}


def service_arguments(data: dict) -> dict:
    """Turn an inline guest and extras of a validated body into the service's GuestDetails and ExtraRequests."""
    if data.get("guest") is not None:
        data["guest"] = service.GuestDetails(**data["guest"])
    if data.get("extras") is not None:
        data["extras"] = tuple(engine.ExtraRequest(**extra) for extra in data["extras"])
    return data


def check_price_setter(total_price) -> None:
    """A price set by hand (a manual line) is for admins and managers (spec 80); staff book at the engine's price."""
    if total_price is not None and not has_role(*PRICING_EDITORS):
        raise Forbidden("Only admins and managers can set a price by hand")


def booking_detail(booking: Booking) -> BookingDetailOut:
    """The booking with its stored price lines (and the engine's total when it just priced it).

    A booking created in this request carries the lines it wrote; others read them.
    """
    quote = getattr(booking, "quote", None)
    lines = getattr(booking, "written_lines", None)
    return BookingDetailOut.model_validate({
        **{name: getattr(booking, name) for name in BookingDetailOut.model_fields
           if name not in ("price_lines", "quoted_total")},
        "price_lines": pricing.price_lines(booking.id) if lines is None else lines,
        "quoted_total": quote.total if quote else None})


@bp.get("/bookings/")
@spec.validate(query=BookingListQuery, resp=ApiResponse(HTTP_200=BookingPage), tags=TAGS)
def list_bookings(query: BookingListQuery):
    """List bookings (paginated, latest arrival first); from/to keep stays overlapping [from_date, to_date)."""
    filters = query.model_dump(exclude={"limit", "offset"})
    page = service.list_bookings(current_agency_id(), limit=query.limit, offset=query.offset, **filters)
    return BookingPage.of(page)


@bp.post("/bookings/")
@require_role(*BOOKING_EDITORS)
@idempotent
@spec.validate(json=BookingIn, headers=IdempotencyHeaders,
               resp=ApiResponse(HTTP_201=BookingDetailOut, **WRITE_ERRORS), tags=TAGS)
def create_booking(json: BookingIn):
    """Create a direct booking (admin, manager, staff).

    Price: without total_price the pricing engine prices the stay (seasons, weekend rates, stay discounts,
    extras, visitor tax) and its lines are stored; a given total_price (admin, manager; else 403) is stored
    as one manual line, with the engine's total in quoted_total for comparison. Engine rules answer 422
    with a field.

    Overlap with a booking, block or channel hold: 409 {"detail": "Property is already booked for these
    dates", "conflict_type": "inventory_overlap"}. Rules (422): check_out after check_in; at least the
    minimum stay of the arrival night's season (else the property's min_stay_nights) and an arrival day the
    season allows; guests within max_guests; every night inside max_advance_days (property time zone);
    check_in not in the past; status inquiry, pending or confirmed; extras offered at the property.
    Unknown property: 404 {"detail": "Property not found"}.
    """
    check_price_setter(json.total_price)
    agency_id = current_agency_id()
    data = service_arguments(json.model_dump(exclude={"property_id", "check_in", "check_out"}))
    stay = service.Stay(json.check_in, json.check_out)
    # The answer is built from the flushed rows before the commit: no read after it.
    return commit_with_retry(
        lambda: booking_detail(service.create_booking(agency_id, json.property_id, stay, **data))), 201


@bp.get("/bookings/<uuid:booking_id>")
@spec.validate(resp=ApiResponse(HTTP_200=BookingDetailOut, HTTP_404=Detail), tags=TAGS)
def get_booking(booking_id: uuid.UUID):
    """One booking with its price lines (total_price = the lines not collected on site)."""
    return booking_detail(service.get_booking(current_agency_id(), booking_id))


@bp.patch("/bookings/<uuid:booking_id>")
@require_role(*BOOKING_EDITORS)
@spec.validate(json=BookingPatch, resp=ApiResponse(HTTP_200=BookingDetailOut, **WRITE_ERRORS), tags=TAGS)
def update_booking(booking_id: uuid.UUID, json: BookingPatch):
    """Change status, dates, guest, counts, price or notes of a booking (admin, manager, staff).

    Status transitions: inquiry -> pending, confirmed, declined, cancelled; pending -> confirmed, declined,
    cancelled; confirmed -> checked_in, no_show, cancelled; checked_in -> checked_out; checked_out, cancelled,
    declined and no_show are final. Any other change answers 422; keeping the status is always allowed.

    Cancelling is PATCH {"status": "cancelled"}: the dates are free at once, and a second cancel answers
    200 unchanged. Declined and no-show bookings free their dates too. New dates are checked again:
    409 inventory_overlap when taken (the old dates then stay booked); dates of checked-out, cancelled,
    declined or no-show bookings cannot change (422).

    Price: total_price sets a price by hand (one manual line; admin, manager, else 403). New dates, guests or extras re-price the
    booking through the pricing engine and replace its lines, unless its price was set by hand (then only
    new extras or a new total_price change it).
    """
    check_price_setter(json.total_price)
    agency_id, actor_id = current_agency_id(), current_principal().user.id
    changes = service.BookingChanges(**service_arguments(json.model_dump(exclude_unset=True)))
    booking = commit_with_retry(lambda: service.update_booking(agency_id, booking_id, changes, actor_id))
    return booking_detail(booking)


@bp.delete("/bookings/<uuid:booking_id>")
@spec.validate(resp=ApiResponse(HTTP_405=Detail), tags=TAGS)
def delete_booking(booking_id: uuid.UUID):
    """Bookings are never deleted (405): cancel with PATCH {"status": "cancelled"}."""
    return ({"detail": 'Bookings cannot be deleted; cancel with PATCH {"status": "cancelled"}'}, 405,
            {"Allow": "GET, HEAD, PATCH"})
