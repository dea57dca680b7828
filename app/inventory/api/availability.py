"""`/api/v1/availability` and `/api/v1/availability/blocks`."""
from __future__ import annotations

import uuid

from flask import current_app

from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import BLOCK_EDITORS, bp
from app.inventory.schemas import (
    AvailabilityOut, AvailabilityQuery, BlockIn, BlockListQuery, BlockOut, BlockPage, ConflictDetail,
)
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, current_principal, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

TAGS = ["availability"]


@bp.get("/availability")
@spec.validate(query=AvailabilityQuery, resp=ApiResponse(HTTP_200=AvailabilityOut, HTTP_404=Detail), tags=TAGS)
def get_availability(query: AvailabilityQuery):
    """Occupied ranges of a property overlapping [from_date, to_date).

    Built from active inventory ranges only: bookings (state booked), blocks (blocked) and channel
    holds (held). A day that no range covers is free, and a booking there will succeed.
    """
    window = service.Stay(query.from_date, query.to_date)
    document = service.availability_document(current_agency_id(), query.property_id, window)
    return current_app.response_class(document, mimetype="application/json")


@bp.get("/availability/blocks", strict_slashes=False)
@spec.validate(query=BlockListQuery, resp=ApiResponse(HTTP_200=BlockPage), tags=TAGS)
def list_blocks(query: BlockListQuery):
    """List availability blocks (paginated, by start date), optionally of one property or reason."""
    page = service.list_blocks(current_agency_id(), property_id=query.property_id, reason=query.reason,
                               limit=query.limit, offset=query.offset)
    return BlockPage.of(page)


@bp.post("/availability/blocks", strict_slashes=False)
@require_role(*BLOCK_EDITORS)
@idempotent
@spec.validate(json=BlockIn, headers=IdempotencyHeaders, tags=TAGS, resp=ApiResponse(
    HTTP_201=BlockOut, HTTP_403=Detail, HTTP_404=Detail, HTTP_409=ConflictDetail, HTTP_503=Detail))
def create_block(json: BlockIn):
    """Block [start_date, end_date) of a property (admin, manager); 409 inventory_overlap when taken."""
    agency_id, user_id = current_agency_id(), current_principal().user.id
    stay = service.Stay(json.start_date, json.end_date)
    block = commit_with_retry(
        lambda: service.create_block(agency_id, json.property_id, stay, json.reason, created_by=user_id))
    return BlockOut.model_validate(block), 201


@bp.delete("/availability/blocks/<uuid:block_id>")
@require_role(*BLOCK_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def delete_block(block_id: uuid.UUID):
    """Delete a block (admin, manager); its dates are bookable at once."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_block(agency_id, block_id))
    return "", 204
