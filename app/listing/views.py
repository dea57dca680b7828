"""Listing pages: the Amenities page (create and edit in a dialog with an icon picker, remove after a
confirm) and a property's photo panel (upload, caption, order by arrows or drag, remove after a confirm).

The photo panel is part of the property page; its forms work without JavaScript (each answers with a
redirect back to the property) and with htmx (each answers with the panel).
"""
from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request, url_for

from app.core.errors import DomainError
from app.db import commit_with_retry
from app.inventory import service as inventory
from app.inventory.api.base import PROPERTY_EDITORS
from app.inventory.views.base import close_modal
from app.listing import service
from app.listing.api import uploaded_photo
from app.listing.icons import icon_names, icon_svg
from app.listing.models import AMENITY_CATEGORIES, Amenity
from app.listing.forms import panel_context
from app.listing.schemas import MAX_CAPTION, AmenityIn
from app.web.auth import current_agency_id, has_role, protect_pages, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import go_to, hx_response, is_htmx, render_page_or_partial, toast
from app.web.limits import accepts_upload
from app.web.panels import load

bp = protect_pages(Blueprint("listing", __name__))
bp.add_app_template_global(icon_svg)
AMENITIES_CHANGED = "amenities-changed"
AMENITY_FORM_FIELDS = ("name", "icon", "category", "position")
CATEGORY_LABELS = {"basics": "Basics", "kitchen": "Kitchen", "bathroom": "Bathroom", "outdoor": "Outdoor",
                   "family": "Family", "leisure": "Leisure"}
MOVES = {"up": -1, "down": 1}


# --- amenities ----------------------------------------------------------------------------

@bp.get("/amenities")
def amenities():
    agency_id = current_agency_id()
    loaded = load("the amenities", lambda: service.list_amenities(agency_id))
    return render_page_or_partial("listing/amenities.html", "listing/partials/_amenity_table.html",
                                  status=loaded.status, amenities=loaded.value or [], error=loaded.error,
                                  can_edit=has_role(*PROPERTY_EDITORS), category_labels=CATEGORY_LABELS)


def amenity_form(values, errors: dict, amenity: Amenity | None = None, status: int = 200):
    return render_template("listing/partials/_amenity_dialog.html", values=values, errors=errors, amenity=amenity,
                           icons=icon_names(), category_options=list(CATEGORY_LABELS.items())), status


def amenity_fields(form) -> dict:
    return validated(AmenityIn, form_values(AmenityIn, form, AMENITY_FORM_FIELDS)).model_dump(exclude_unset=True)


@bp.get("/amenities/new")
@require_role(*PROPERTY_EDITORS)
def amenity_new():
    return amenity_form({"category": AMENITY_CATEGORIES[0]}, {})


@bp.post("/amenities")
@require_role(*PROPERTY_EDITORS)
def create_amenity():
    agency_id = current_agency_id()
    try:
        fields = amenity_fields(request.form)
        amenity = commit_with_retry(lambda: service.create_amenity(agency_id, **fields))
    except DomainError as exc:
        return amenity_form(request.form, field_errors(exc), status=form_status(exc))
    return amenity_saved(f"Amenity “{amenity.name}” created")


@bp.get("/amenities/<uuid:amenity_id>/edit")
@require_role(*PROPERTY_EDITORS)
def amenity_edit(amenity_id: uuid.UUID):
    amenity = service.get_amenity(current_agency_id(), amenity_id)
    return amenity_form(amenity, {}, amenity)


@bp.post("/amenities/<uuid:amenity_id>/edit")
@require_role(*PROPERTY_EDITORS)
def update_amenity(amenity_id: uuid.UUID):
    agency_id = current_agency_id()
    amenity = service.get_amenity(agency_id, amenity_id)
    try:
        fields = amenity_fields(request.form)
        commit_with_retry(lambda: service.update_amenity(agency_id, amenity_id, **fields))
    except DomainError as exc:
        return amenity_form(request.form, field_errors(exc), amenity, status=form_status(exc))
    return amenity_saved("Amenity saved")


def amenity_saved(message: str):
    """Close the dialog and refresh the list (htmx); a plain form goes back to the list."""
    if not is_htmx():
        return go_to(url_for("listing.amenities"))
    return close_modal(trigger={**toast(message), AMENITIES_CHANGED: True})


@bp.get("/amenities/<uuid:amenity_id>/delete")
@require_role(*PROPERTY_EDITORS)
def amenity_delete_confirm(amenity_id: uuid.UUID):
    amenity = service.get_amenity(current_agency_id(), amenity_id)
    return render_template("listing/partials/_confirm_amenity_delete.html", amenity=amenity)


@bp.post("/amenities/<uuid:amenity_id>/delete")
@require_role(*PROPERTY_EDITORS)
def delete_amenity(amenity_id: uuid.UUID):
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_amenity(agency_id, amenity_id))
    return amenity_saved("Amenity removed")


# --- photos -------------------------------------------------------------------------------

def photo_panel(agency_id: uuid.UUID, property_id: uuid.UUID, errors: dict | None = None, status: int = 200,
                trigger: dict | None = None):
    """The panel alone (htmx), or back to the property page (plain forms; errors: the photos page)."""
    if not is_htmx() and not errors:
        return go_to(url_for("inventory.property_detail", property_id=property_id) + "#photos")
    context = panel_context(agency_id, property_id, errors)
    if is_htmx():
        return hx_response(render_template("listing/partials/_photo_panel.html", **context), status=status,
                           trigger=trigger)
    return render_template("listing/photos.html", **context), status


@bp.get("/properties/<uuid:property_id>/photos")
def photos(property_id: uuid.UUID):
    context = panel_context(current_agency_id(), property_id)
    return render_page_or_partial("listing/photos.html", "listing/partials/_photo_panel.html", **context)


@bp.post("/properties/<uuid:property_id>/photos")
@accepts_upload("PHOTO_MAX_BYTES")
@require_role(*PROPERTY_EDITORS)
def upload_photo(property_id: uuid.UUID):
    agency_id = current_agency_id()
    stream, caption = uploaded_photo()
    try:
        commit_with_retry(lambda: service.add_photo(agency_id, property_id, stream, caption))
    except DomainError as exc:
        return photo_panel(agency_id, property_id, field_errors(exc), form_status(exc))
    return photo_panel(agency_id, property_id, trigger=toast("Photo uploaded"))


@bp.post("/photos/<uuid:photo_id>/caption")
@require_role(*PROPERTY_EDITORS)
def update_photo_caption(photo_id: uuid.UUID):
    agency_id = current_agency_id()
    caption = (request.form.get("caption") or "").strip()[:MAX_CAPTION]
    photo = commit_with_retry(lambda: service.update_photo(agency_id, photo_id, caption))
    return photo_panel(agency_id, photo.property_id, trigger=toast("Caption saved"))


@bp.post("/photos/<uuid:photo_id>/move/<direction>")
@require_role(*PROPERTY_EDITORS)
def move_photo(photo_id: uuid.UUID, direction: str):
    agency_id, step = current_agency_id(), MOVES.get(direction)
    if step is None:
        return photo_panel(agency_id, service.get_photo(agency_id, photo_id).property_id)
    photos_now = commit_with_retry(lambda: service.move_photo(agency_id, photo_id, step))
    return photo_panel(agency_id, photos_now[0].property_id)


@bp.post("/properties/<uuid:property_id>/photos/order")
@require_role(*PROPERTY_EDITORS)
def reorder_photos(property_id: uuid.UUID):
    """The order after a drag (every photo id, in the new order)."""
    agency_id = current_agency_id()
    try:
        photo_ids = [uuid.UUID(value) for value in request.form.getlist("photo_ids")]
        commit_with_retry(lambda: service.reorder_photos(agency_id, property_id, photo_ids))
    except ValueError:
        return photo_panel(agency_id, property_id, {"photo_ids": "Reload the page and drag again"}, 422)
    except DomainError as exc:
        return photo_panel(agency_id, property_id, field_errors(exc), form_status(exc))
    return photo_panel(agency_id, property_id)


@bp.get("/photos/<uuid:photo_id>/delete")
@require_role(*PROPERTY_EDITORS)
def photo_delete_confirm(photo_id: uuid.UUID):
    photo = service.get_photo(current_agency_id(), photo_id)
    return render_template("listing/partials/_confirm_photo_delete.html", photo=photo)


@bp.post("/photos/<uuid:photo_id>/delete")
@require_role(*PROPERTY_EDITORS)
def delete_photo(photo_id: uuid.UUID):
    agency_id = current_agency_id()
    property_id = service.get_photo(agency_id, photo_id).property_id
    service.discard_files(commit_with_retry(lambda: service.delete_photo(agency_id, photo_id)))
    if not is_htmx():
        return go_to(url_for("inventory.property_detail", property_id=property_id) + "#photos")
    panel = render_template("listing/partials/_photo_panel.html", oob=True, **panel_context(agency_id, property_id))
    return close_modal(panel, trigger=toast("Photo removed"))
