"""The Extras page: the agency's extra services; create and edit in a dialog, deactivate in place."""
from __future__ import annotations

import uuid

from flask import render_template, request

from app.core.errors import DomainError
from app.db import commit_with_retry
from app.inventory.views.base import close_modal
from app.pricing import service
from app.pricing.api import PRICING_EDITORS
from app.pricing.models import ExtraService
from app.pricing.schemas import ExtraServiceIn
from app.pricing.views.base import bp, can_edit_pricing
from app.web.auth import current_agency_id, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import hx_response, render_page_or_partial, toast
from app.web.panels import load

EXTRAS_CHANGED = "extras-changed"
EXTRA_FORM_FIELDS = ("name", "description", "price", "billing_unit", "max_quantity", "vat_percent")
CHECKBOXES = ("is_mandatory", "is_active")
UNIT_LABELS = {"per_stay": "per stay", "per_night": "per night", "per_person": "per person",
               "per_person_night": "per person and night", "per_unit": "per unit",
               "per_unit_night": "per unit and night"}


def billing_unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


bp.add_app_template_filter(billing_unit_label, "billing_unit")


@bp.get("/extras")
def extras():
    agency_id = current_agency_id()
    loaded = load("the extra services", lambda: service.list_extra_services(agency_id))
    return render_page_or_partial("pricing/extras.html", "pricing/partials/_extra_table.html", status=loaded.status,
                                  extras=loaded.value or [], error=loaded.error, can_edit=can_edit_pricing())


def extra_form(values, errors: dict, extra: ExtraService | None = None, status: int = 200):
    return render_template("pricing/partials/_extra_dialog.html", values=values, errors=errors, extra=extra,
                           unit_options=list(UNIT_LABELS.items())), status


def extra_fields(form) -> dict:
    values = form_values(ExtraServiceIn, form, EXTRA_FORM_FIELDS)
    values.update({name: form.get(name) == "on" for name in CHECKBOXES})
    return validated(ExtraServiceIn, values).model_dump(exclude_unset=True)


@bp.get("/extras/new")
@require_role(*PRICING_EDITORS)
def extra_new():
    return extra_form({"max_quantity": 1, "vat_percent": 0, "is_active": True}, {})


@bp.post("/extras")
@require_role(*PRICING_EDITORS)
def create_extra():
    agency_id = current_agency_id()
    try:
        fields = extra_fields(request.form)
        commit_with_retry(lambda: service.create_extra_service(agency_id, **fields))
    except DomainError as exc:
        return extra_form(request.form, field_errors(exc), status=form_status(exc))
    return close_modal(trigger={**toast("Extra service created"), EXTRAS_CHANGED: True})


@bp.get("/extras/<uuid:extra_id>/edit")
@require_role(*PRICING_EDITORS)
def extra_edit(extra_id: uuid.UUID):
    extra = service.get_extra_service(current_agency_id(), extra_id)
    return extra_form(extra, {}, extra)


@bp.post("/extras/<uuid:extra_id>/edit")
@require_role(*PRICING_EDITORS)
def update_extra(extra_id: uuid.UUID):
    agency_id = current_agency_id()
    extra = service.get_extra_service(agency_id, extra_id)
    try:
        fields = extra_fields(request.form)
        commit_with_retry(lambda: service.update_extra_service(agency_id, extra_id, **fields))
    except DomainError as exc:
        return extra_form(request.form, field_errors(exc), extra, status=form_status(exc))
    return close_modal(trigger={**toast("Extra service saved"), EXTRAS_CHANGED: True})


@bp.post("/extras/<uuid:extra_id>/active")
@require_role(*PRICING_EDITORS)
def set_extra_active(extra_id: uuid.UUID):
    """Deactivate (no new bookings; booked lines stay) or activate again."""
    agency_id, active = current_agency_id(), request.form.get("is_active") == "true"
    extra = commit_with_retry(lambda: service.update_extra_service(agency_id, extra_id, is_active=active))
    body = render_template("pricing/partials/_extra_row.html", extra=extra, can_edit=True)
    return hx_response(body, trigger=toast(f"{extra.name} {'activated' if active else 'deactivated'}"))
