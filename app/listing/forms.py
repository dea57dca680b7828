"""Listing parts of other pages' forms: the property form's amenity checkboxes and the property page's
photo panel (both rendered by the inventory's property views)."""
from __future__ import annotations

import uuid

from app.inventory import service as inventory
from app.inventory.api.base import PROPERTY_EDITORS
from app.listing import service
from app.listing.schemas import MAX_CAPTION, PropertyAmenitiesIn
from app.web.auth import has_role
from app.web.forms import validated
from app.web.panels import load


def amenity_choices(agency_id: uuid.UUID, property_id: uuid.UUID | None, form) -> dict:
    """The property form's amenity checkboxes: the agency's amenities and the ticked ones (a submitted
    form's ticks, else the property's saved amenities)."""
    if form is not None and hasattr(form, "getlist"):
        ticked = set(form.getlist("amenity_ids"))
    elif property_id is not None:
        ticked = {str(amenity.id) for amenity in service.property_amenities_of(property_id)}
    else:
        ticked = set()
    return {"amenities": service.list_amenities(agency_id), "ticked_amenities": ticked}


def ticked_amenity_ids(form) -> list[uuid.UUID]:
    """The ticked amenity ids of the property form (a malformed one is a 422 on the field)."""
    return validated(PropertyAmenitiesIn, {"amenity_ids": form.getlist("amenity_ids")}).amenity_ids


def photo_context(property_id: uuid.UUID, errors: dict | None = None) -> dict:
    """The photos and messages of the photo panel; the property page adds them to its own context."""
    return {"photos": load("the photos", lambda: service.photos_of(property_id)), "photo_errors": errors or {},
            "max_caption": MAX_CAPTION}


def panel_context(agency_id: uuid.UUID, property_id: uuid.UUID, errors: dict | None = None) -> dict:
    """Everything the photo panel shows when rendered alone."""
    return {"prop": inventory.get_property(agency_id, property_id), "can_edit": has_role(*PROPERTY_EDITORS),
            **photo_context(property_id, errors)}
