"""`/api/v1/properties/`: list, create, read, update, soft delete, iCal token rotation."""
from __future__ import annotations

import uuid

from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import PROPERTY_EDITORS, bp
from app.inventory.schemas import PropertyIn, PropertyListQuery, PropertyOut, PropertyPage, PropertyPatch
from app.web.api import ApiResponse, Detail, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

TAGS = ["properties"]


@bp.get("/properties/")
@spec.validate(query=PropertyListQuery, resp=ApiResponse(HTTP_200=PropertyPage), tags=TAGS)
def list_properties(query: PropertyListQuery):
    """List the agency's properties (paginated, by name)."""
    page = service.list_properties(current_agency_id(), q=query.q, is_active=query.is_active,
                                   limit=query.limit, offset=query.offset)
    return PropertyPage.of(page)


@bp.post("/properties/")
@require_role(*PROPERTY_EDITORS)
@idempotent
@spec.validate(json=PropertyIn, headers=IdempotencyHeaders,
               resp=ApiResponse(HTTP_201=PropertyOut, HTTP_403=Detail), tags=TAGS)
def create_property(json: PropertyIn):
    """Create a property (admin, manager)."""
    agency_id, fields = current_agency_id(), json.model_dump(exclude_unset=True)
    prop = commit_with_retry(lambda: service.create_property(agency_id, **fields))
    return PropertyOut.model_validate(prop), 201


@bp.get("/properties/<uuid:property_id>")
@spec.validate(resp=ApiResponse(HTTP_200=PropertyOut, HTTP_404=Detail), tags=TAGS)
def get_property(property_id: uuid.UUID):
    """One property."""
    return PropertyOut.model_validate(service.get_property(current_agency_id(), property_id))


@bp.patch("/properties/<uuid:property_id>")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=PropertyPatch, resp=ApiResponse(HTTP_200=PropertyOut, HTTP_403=Detail, HTTP_404=Detail),
               tags=TAGS)
def update_property(property_id: uuid.UUID, json: PropertyPatch):
    """Change the given fields of a property (admin, manager)."""
    agency_id, changes = current_agency_id(), json.model_dump(exclude_unset=True)
    prop = commit_with_retry(lambda: service.update_property(agency_id, property_id, **changes))
    return PropertyOut.model_validate(prop)


@bp.delete("/properties/<uuid:property_id>")
@require_role("admin")
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def delete_property(property_id: uuid.UUID):
    """Soft delete a property (admin): it leaves every list; its bookings stay as history."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_property(agency_id, property_id))
    return "", 204


@bp.post("/properties/<uuid:property_id>/ical-token")
@require_role(*PROPERTY_EDITORS)
@spec.validate(resp=ApiResponse(HTTP_200=PropertyOut, HTTP_403=Detail, HTTP_404=Detail), tags=TAGS)
def rotate_ical_token(property_id: uuid.UUID):
    """Issue a new iCal export token (admin, manager); the old export URL stops working at once."""
    agency_id = current_agency_id()
    prop = commit_with_retry(lambda: service.rotate_ical_token(agency_id, property_id))
    return PropertyOut.model_validate(prop)
