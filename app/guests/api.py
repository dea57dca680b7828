"""`/api/v1/guests/`: list, create, read (metrics and booking timeline), update, soft delete."""
from __future__ import annotations

import uuid

from app.db import commit_with_retry
from app.guests import service
from app.guests.schemas import GuestCreate, GuestDetailOut, GuestListQuery, GuestOut, GuestPage, GuestPatch, TimelineOut
from app.web.api import ApiResponse, Detail, api_blueprint, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

bp = api_blueprint("guests_api", __name__)
TAGS = ["guests"]
GUEST_EDITORS = ("admin", "manager", "staff")


def timeline_entry(entry: service.TimelineEntry) -> TimelineOut:
    booking = entry.booking
    return TimelineOut(booking_id=booking.id, property_id=booking.property_id, property_name=entry.property_name,
                       check_in=booking.check_in, check_out=booking.check_out, status=booking.status,
                       total_price=booking.total_price, currency=booking.currency)


def guest_detail(agency_id: uuid.UUID, guest_id: uuid.UUID) -> GuestDetailOut:
    guest = GuestOut.model_validate(service.get_guest(agency_id, guest_id))
    timeline = [timeline_entry(entry) for entry in service.guest_timeline(agency_id, guest_id)]
    return GuestDetailOut(**guest.model_dump(), bookings=timeline)


@bp.get("/guests/")
@spec.validate(query=GuestListQuery, resp=ApiResponse(HTTP_200=GuestPage), tags=TAGS)
def list_guests(query: GuestListQuery):
    """List guests with their metrics (paginated, by name or latest arrival first)."""
    return GuestPage.of(service.list_guests(current_agency_id(), q=query.q, recent_first=query.sort == "recent",
                                            limit=query.limit, offset=query.offset))


@bp.post("/guests/")
@require_role(*GUEST_EDITORS)
@idempotent
@spec.validate(json=GuestCreate, headers=IdempotencyHeaders, resp=ApiResponse(HTTP_201=GuestOut, HTTP_403=Detail),
               tags=TAGS)
def create_guest(json: GuestCreate):
    """Create a guest profile (admin, manager, staff)."""
    guest = commit_with_retry(lambda: service.create_guest(current_agency_id(), **json.model_dump()))
    return GuestOut.model_validate(guest), 201


@bp.get("/guests/<uuid:guest_id>")
@spec.validate(resp=ApiResponse(HTTP_200=GuestDetailOut, HTTP_404=Detail), tags=TAGS)
def get_guest(guest_id: uuid.UUID):
    """A guest with metrics and booking timeline (latest arrival first, up to 50 bookings)."""
    return guest_detail(current_agency_id(), guest_id)


@bp.patch("/guests/<uuid:guest_id>")
@require_role(*GUEST_EDITORS)
@spec.validate(json=GuestPatch, resp=ApiResponse(HTTP_200=GuestOut, HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def update_guest(guest_id: uuid.UUID, json: GuestPatch):
    """Change profile fields of a guest (admin, manager, staff); metrics follow the bookings."""
    changes = json.model_dump(exclude_unset=True)
    guest = commit_with_retry(lambda: service.update_guest(current_agency_id(), guest_id, **changes))
    return GuestOut.model_validate(guest)


@bp.delete("/guests/<uuid:guest_id>")
@require_role("admin", "manager")
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def delete_guest(guest_id: uuid.UUID):
    """Soft delete a guest (admin, manager); their bookings stay."""
    commit_with_retry(lambda: service.delete_guest(current_agency_id(), guest_id))
    return "", 204
