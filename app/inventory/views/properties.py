"""Property pages: list with search, create/edit form, detail with bookings, blocks,
connections and the iCal export URL (copy, rotate through an in-page dialog)."""
from __future__ import annotations

import uuid

from flask import render_template, request, url_for

from app.core.errors import DomainError
from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import BLOCK_EDITORS, BOOKING_EDITORS, PROPERTY_EDITORS
from app.inventory.models import Property
from app.inventory.schemas import PropertyIn, PropertyListQuery
from app.inventory.service import overview
from app.inventory.service.channel_reads import channel_reads
from app.inventory.views.base import LIST_PAGE_SIZE, bp, close_modal
from app.listing import forms as listing_forms, service as listing
from app.pricing import forms as pricing_forms, service as pricing
from app.web.auth import current_agency_id, has_role, require_role
from app.web.forms import field_errors, form_error, form_status, form_values, validated
from app.web.htmx import go_to, render_page_or_partial, toast
from app.web.pages import may_open
from app.web.panels import load, load_list

# every editable model field except the checkbox, which a browser omits when unticked
PROPERTY_FORM_FIELDS = tuple(name for name in PropertyIn.model_fields if name != "is_active")
DETAIL_LIST_SIZE = 10


def ical_export_url(prop: Property) -> str | None:
    """The public feed URL channels subscribe to; None when the channel manager (which serves it) is off."""
    reads = channel_reads()
    return reads.ical_url(prop) if reads else None


def connections_panel(agency_id: uuid.UUID, prop: Property):
    """The property's channel connections; None (no panel) when the channel manager is off."""
    reads = channel_reads()
    return load("connections", lambda: reads.property_connections(agency_id, prop.id)) if reads else None


@bp.get("/properties")
def properties():
    agency_id, args = current_agency_id(), request.args.to_dict()
    loaded = load_list("properties", PropertyListQuery, args, lambda query: service.list_properties(
        agency_id, q=query.q, limit=query.limit, offset=query.offset), LIST_PAGE_SIZE)
    return render_page_or_partial("inventory/properties.html", "inventory/partials/_property_table.html",
                                  status=loaded.status, page=loaded.value, error=loaded.error,
                                  q=args.get("q", ""), can_edit=has_role(*PROPERTY_EDITORS))


def known_timezone(values) -> list[dict]:
    """The time zone, checked in the same pass as the other fields (the service checks it again)."""
    name = values.get("timezone")
    if not name or service.is_known_timezone(name):
        return []
    return [form_error("timezone", f"Unknown time zone “{name[:64]}”: use an IANA name like Europe/Berlin")]


def property_fields(form) -> dict:
    values = form_values(PropertyIn, form, PROPERTY_FORM_FIELDS)
    values["is_active"] = form.get("is_active") == "on"
    for code in ("country", "currency"):  # "de" means DE
        if values.get(code):
            values[code] = values[code].upper()
    return validated(PropertyIn, values, known_timezone).model_dump(exclude_unset=True)


def render_property_form(prop: Property | None, values, errors: dict, status: int = 200):
    agency_id, property_id = current_agency_id(), prop.id if prop else None
    pricing_options = pricing_forms.property_pricing_options(agency_id, property_id, values)
    amenity_options = listing_forms.amenity_choices(agency_id, property_id, values)
    return render_page_or_partial("inventory/property_form.html", "inventory/partials/_property_form.html",
                                  status=status, prop=prop, values=values, errors=errors, **pricing_options,
                                  **amenity_options)


def save_property(agency_id: uuid.UUID, property_id: uuid.UUID | None, form) -> Property:
    """Create or update the property, its assigned extras and its amenities in one unit of work."""
    fields, assignments = property_fields(form), pricing_forms.property_assignments(form)
    amenity_ids = listing_forms.ticked_amenity_ids(form)

    def work() -> Property:
        prop = service.update_property(agency_id, property_id, **fields) if property_id else \
            service.create_property(agency_id, **fields)
        pricing.set_property_extras(agency_id, prop.id, assignments)
        listing.set_property_amenities(agency_id, prop.id, amenity_ids)
        return prop
    return commit_with_retry(work)


@bp.get("/properties/new")
@require_role(*PROPERTY_EDITORS)
def property_new():
    return render_property_form(None, property_defaults(), {})


def property_defaults() -> dict:
    """A new property's form starts with the model's column defaults (2 guests, 15:00 check-in, ...)."""
    return {column.name: column.default.arg for column in Property.__table__.columns
            if column.default is not None and column.default.is_scalar}


@bp.get("/properties/<uuid:property_id>/edit")
@require_role(*PROPERTY_EDITORS)
def property_edit(property_id: uuid.UUID):
    prop = service.get_property(current_agency_id(), property_id)
    return render_property_form(prop, prop, {})


@bp.post("/properties")
@require_role(*PROPERTY_EDITORS)
def create_property():
    agency_id = current_agency_id()
    try:
        prop = save_property(agency_id, None, request.form)
    except DomainError as exc:
        return render_property_form(None, request.form, field_errors(exc), form_status(exc))
    return go_to(url_for("inventory.property_detail", property_id=prop.id))


@bp.post("/properties/<uuid:property_id>/edit")
@require_role(*PROPERTY_EDITORS)
def update_property(property_id: uuid.UUID):
    agency_id = current_agency_id()
    prop = service.get_property(agency_id, property_id)
    try:
        save_property(agency_id, property_id, request.form)
    except DomainError as exc:
        return render_property_form(prop, request.form, field_errors(exc), form_status(exc))
    return go_to(url_for("inventory.property_detail", property_id=property_id))


def detail_context(agency_id: uuid.UUID, prop: Property) -> dict:
    bookings = load("bookings", lambda: overview.booking_rows(agency_id, service.list_bookings(
        agency_id, property_id=prop.id, limit=DETAIL_LIST_SIZE).items))
    return {"prop": prop, "bookings": bookings, "blocks": load_blocks(agency_id, prop.id),
            "connections": connections_panel(agency_id, prop),
            "ical_url": ical_export_url(prop), "can_edit": has_role(*PROPERTY_EDITORS),
            "link_connections": may_open("channels.connections"),
            "can_block": has_role(*BLOCK_EDITORS), "can_book": has_role(*BOOKING_EDITORS),
            **listing_forms.photo_context(prop.id)}


def load_blocks(agency_id: uuid.UUID, property_id: uuid.UUID):
    return load("blocks", lambda: service.list_blocks(agency_id, property_id=property_id, limit=DETAIL_LIST_SIZE))


@bp.get("/properties/<uuid:property_id>")
def property_detail(property_id: uuid.UUID):
    agency_id = current_agency_id()
    context = detail_context(agency_id, service.get_property(agency_id, property_id))
    return render_page_or_partial("inventory/property_detail.html", "inventory/partials/_property_panels.html",
                                  **context)


@bp.get("/properties/<uuid:property_id>/ical-token/rotate")
@require_role(*PROPERTY_EDITORS)
def ical_rotate_confirm(property_id: uuid.UUID):
    prop = service.get_property(current_agency_id(), property_id)
    return render_template("inventory/partials/_confirm_ical_rotate.html", prop=prop)


@bp.post("/properties/<uuid:property_id>/ical-token/rotate")
@require_role(*PROPERTY_EDITORS)
def rotate_ical_token(property_id: uuid.UUID):
    agency_id = current_agency_id()
    prop = commit_with_retry(lambda: service.rotate_ical_token(agency_id, property_id))
    fragment = render_template("inventory/partials/_property_ical.html", prop=prop, ical_url=ical_export_url(prop),
                               can_edit=True, oob=True)
    return close_modal(fragment, trigger=toast("New iCal export URL issued; the old one no longer works."))
