"""Listing JSON API (`listing_api`, /api/v1): amenities, a property's amenities and photos.

Writes: admin and manager; reads: every role. Handlers parse and render only; the
rules live in `app.listing.service`.
"""
from __future__ import annotations

import uuid

from flask import request

from app.db import commit_with_retry
from app.inventory.api.base import PROPERTY_EDITORS
from app.listing import service
from app.listing.icons import icon_names
from app.listing.schemas import (
    AmenityIn, AmenityList, AmenityOut, AmenityPatch, IconList, PhotoList, PhotoOrderIn, PhotoOut, PhotoPatch,
    PropertyAmenitiesIn,
)
from app.web.api import ApiResponse, Detail, api_blueprint, spec
from app.web.auth import current_agency_id, require_role
from app.web.limits import accepts_upload

bp = api_blueprint("listing_api", __name__)
AMENITY_TAGS = ["amenities"]
PHOTO_TAGS = ["photos"]
WRITE_ERRORS = {"HTTP_403": Detail, "HTTP_404": Detail}


# --- amenities ----------------------------------------------------------------------------

@bp.get("/amenities/")
@spec.validate(resp=ApiResponse(HTTP_200=AmenityList), tags=AMENITY_TAGS)
def list_amenities():
    """The agency's amenities in their order."""
    return AmenityList.of(service.list_amenities(current_agency_id()))


@bp.get("/amenities/icons")
@spec.validate(resp=ApiResponse(HTTP_200=IconList), tags=AMENITY_TAGS)
def list_icons():
    """The icons an amenity may use."""
    return IconList(items=icon_names())


@bp.post("/amenities/")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=AmenityIn, resp=ApiResponse(HTTP_201=AmenityOut, HTTP_409=Detail, **WRITE_ERRORS),
               tags=AMENITY_TAGS)
def create_amenity(json: AmenityIn):
    """Add an amenity (admin, manager); its icon must be one of /amenities/icons (422 otherwise)."""
    agency_id, fields = current_agency_id(), json.model_dump(exclude_unset=True)
    amenity = commit_with_retry(lambda: service.create_amenity(agency_id, **fields))
    return AmenityOut.model_validate(amenity), 201


@bp.get("/amenities/<uuid:amenity_id>")
@spec.validate(resp=ApiResponse(HTTP_200=AmenityOut, HTTP_404=Detail), tags=AMENITY_TAGS)
def get_amenity(amenity_id: uuid.UUID):
    """One amenity."""
    return AmenityOut.model_validate(service.get_amenity(current_agency_id(), amenity_id))


@bp.patch("/amenities/<uuid:amenity_id>")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=AmenityPatch, resp=ApiResponse(HTTP_200=AmenityOut, HTTP_409=Detail, **WRITE_ERRORS),
               tags=AMENITY_TAGS)
def update_amenity(amenity_id: uuid.UUID, json: AmenityPatch):
    """Change the given fields of an amenity (admin, manager)."""
    agency_id, changes = current_agency_id(), json.model_dump(exclude_unset=True)
    amenity = commit_with_retry(lambda: service.update_amenity(agency_id, amenity_id, **changes))
    return AmenityOut.model_validate(amenity)


@bp.delete("/amenities/<uuid:amenity_id>")
@require_role(*PROPERTY_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", **WRITE_ERRORS), tags=AMENITY_TAGS)
def delete_amenity(amenity_id: uuid.UUID):
    """Remove an amenity (admin, manager); the properties that had it lose it."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_amenity(agency_id, amenity_id))
    return "", 204


@bp.get("/properties/<uuid:property_id>/amenities")
@spec.validate(resp=ApiResponse(HTTP_200=AmenityList, HTTP_404=Detail), tags=AMENITY_TAGS)
def property_amenities(property_id: uuid.UUID):
    """The property's amenities."""
    return AmenityList.of(service.list_property_amenities(current_agency_id(), property_id))


@bp.put("/properties/<uuid:property_id>/amenities")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=PropertyAmenitiesIn, resp=ApiResponse(HTTP_200=AmenityList, **WRITE_ERRORS), tags=AMENITY_TAGS)
def set_property_amenities(property_id: uuid.UUID, json: PropertyAmenitiesIn):
    """Replace the property's amenities (admin, manager); every id must be one of the agency's amenities."""
    agency_id = current_agency_id()
    amenities = commit_with_retry(lambda: service.set_property_amenities(agency_id, property_id, json.amenity_ids))
    return AmenityList.of(amenities)


# --- photos -------------------------------------------------------------------------------

@bp.get("/properties/<uuid:property_id>/photos/")
@spec.validate(resp=ApiResponse(HTTP_200=PhotoList, HTTP_404=Detail), tags=PHOTO_TAGS)
def list_photos(property_id: uuid.UUID):
    """The property's photos in their order."""
    return PhotoList.of(service.list_photos(current_agency_id(), property_id))


def uploaded_photo():
    """The multipart upload's `file` stream (None when missing: the service says so) and `caption`."""
    upload = request.files.get("file")
    return (upload.stream if upload else None), (request.form.get("caption") or "").strip()


@bp.post("/properties/<uuid:property_id>/photos/")
@accepts_upload("PHOTO_MAX_BYTES")
@require_role(*PROPERTY_EDITORS)
@spec.validate(resp=ApiResponse(HTTP_201=PhotoOut, HTTP_413=Detail, **WRITE_ERRORS), tags=PHOTO_TAGS)
def upload_photo(property_id: uuid.UUID):
    """Upload a photo (admin, manager) as multipart/form-data: `file` (JPEG, PNG or WebP up to 10 MB; the
    real type is checked, metadata such as EXIF/GPS removed, a 1600 px and a 400 px version stored) and an
    optional `caption`."""
    agency_id, (stream, caption) = current_agency_id(), uploaded_photo()
    photo = commit_with_retry(lambda: service.add_photo(agency_id, property_id, stream, caption))
    return PhotoOut.of(photo), 201


@bp.patch("/photos/<uuid:photo_id>")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=PhotoPatch, resp=ApiResponse(HTTP_200=PhotoOut, **WRITE_ERRORS), tags=PHOTO_TAGS)
def update_photo(photo_id: uuid.UUID, json: PhotoPatch):
    """Change a photo's caption (admin, manager)."""
    agency_id = current_agency_id()
    return PhotoOut.of(commit_with_retry(lambda: service.update_photo(agency_id, photo_id, json.caption.strip())))


@bp.put("/properties/<uuid:property_id>/photos/order")
@require_role(*PROPERTY_EDITORS)
@spec.validate(json=PhotoOrderIn, resp=ApiResponse(HTTP_200=PhotoList, **WRITE_ERRORS), tags=PHOTO_TAGS)
def reorder_photos(property_id: uuid.UUID, json: PhotoOrderIn):
    """Put the property's photos in the given order (admin, manager); the first is the list photo."""
    agency_id = current_agency_id()
    return PhotoList.of(commit_with_retry(lambda: service.reorder_photos(agency_id, property_id, json.photo_ids)))


@bp.delete("/photos/<uuid:photo_id>")
@require_role(*PROPERTY_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", **WRITE_ERRORS), tags=PHOTO_TAGS)
def delete_photo(photo_id: uuid.UUID):
    """Remove a photo and its files (admin, manager)."""
    agency_id = current_agency_id()
    service.discard_files(commit_with_retry(lambda: service.delete_photo(agency_id, photo_id)))
    return "", 204
