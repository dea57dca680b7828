"""The Visitor tax page: the agency's visitor-tax rules ("Kurtaxe"); create and edit in a dialog."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import render_template, request

from app.core.errors import DomainError, ValidationFailed
from app.db import commit_with_retry
from app.inventory.views.base import close_modal
from app.pricing import service
from app.pricing.api import PRICING_EDITORS, fields_of
from app.pricing.models import VisitorTaxRule
from app.pricing.schemas import TaxRuleIn
from app.pricing.views.base import bp, can_edit_pricing
from app.web.auth import current_agency_id, require_role
from app.web.forms import field_errors, form_status, form_values, validated
from app.web.htmx import hx_response, render_page_or_partial, toast
from app.web.pages import agency_timezone
from app.web.panels import load

TAX_RULES_CHANGED = "tax-rules-changed"
TAX_FORM_FIELDS = ("name", "municipality", "amount_per_adult_night", "max_nights", "season_start", "season_end",
                   "valid_from", "valid_to")
BAND_ROWS = 3
BAND_FIELDS = ("min_age", "max_age", "amount")


@bp.get("/visitor-tax")
def tax_rules():
    agency_id = current_agency_id()
    loaded = load("the visitor tax rules", lambda: service.list_tax_rules(agency_id))
    return render_page_or_partial("pricing/tax_rules.html", "pricing/partials/_tax_rule_table.html",
                                  status=loaded.status, rules=loaded.value or [], error=loaded.error,
                                  can_edit=can_edit_pricing(), today=datetime.now(agency_timezone()).date())


def band_rows(values) -> list[dict]:
    """The child-band rows of the form: a submitted form's, or a rule's bands padded with empty rows."""
    if hasattr(values, "getlist"):
        return [{name: values.get(f"band_{name}_{row}", "") for name in BAND_FIELDS} for row in range(BAND_ROWS)]
    bands = list(getattr(values, "child_bands", None) or [])
    return (bands + [{}] * BAND_ROWS)[:max(BAND_ROWS, len(bands))]


def tax_form(values, errors: dict, rule: VisitorTaxRule | None = None, status: int = 200):
    band_error = next((message for name, message in errors.items() if name.startswith("child_bands")), None)
    errors = {**errors, "child_bands": band_error} if band_error else errors
    return render_template("pricing/partials/_tax_rule_dialog.html", values=values, errors=errors, rule=rule,
                           bands=band_rows(values)), status


def tax_fields(form) -> dict:
    values = form_values(TaxRuleIn, form, TAX_FORM_FIELDS)
    values["collected_on_site"] = form.get("collected_on_site") == "on"
    values["child_bands"] = [band for band in band_rows(form) if any(str(value).strip() for value in band.values())]
    return fields_of(validated(TaxRuleIn, values), exclude_unset=False)


@bp.get("/visitor-tax/new")
@require_role(*PRICING_EDITORS)
def tax_rule_new():
    return tax_form({"collected_on_site": True}, {})


@bp.post("/visitor-tax")
@require_role(*PRICING_EDITORS)
def create_tax_rule():
    agency_id = current_agency_id()
    try:
        fields = tax_fields(request.form)
        commit_with_retry(lambda: service.create_tax_rule(agency_id, **fields))
    except DomainError as exc:
        return tax_form(request.form, field_errors(exc), status=form_status(exc))
    return close_modal(trigger={**toast("Visitor tax rule created"), TAX_RULES_CHANGED: True})


@bp.get("/visitor-tax/<uuid:rule_id>/edit")
@require_role(*PRICING_EDITORS)
def tax_rule_edit(rule_id: uuid.UUID):
    rule = service.get_tax_rule(current_agency_id(), rule_id)
    return tax_form(rule, {}, rule)


@bp.post("/visitor-tax/<uuid:rule_id>/edit")
@require_role(*PRICING_EDITORS)
def update_tax_rule(rule_id: uuid.UUID):
    agency_id = current_agency_id()
    rule = service.get_tax_rule(agency_id, rule_id)
    try:
        fields = tax_fields(request.form)
        commit_with_retry(lambda: service.update_tax_rule(agency_id, rule_id, **fields))
    except DomainError as exc:
        return tax_form(request.form, field_errors(exc), rule, status=form_status(exc))
    return close_modal(trigger={**toast("Visitor tax rule saved"), TAX_RULES_CHANGED: True})


@bp.post("/visitor-tax/<uuid:rule_id>/deactivate")
@require_role(*PRICING_EDITORS)
def deactivate_tax_rule(rule_id: uuid.UUID):
    """End the rule: nights from today on are no longer taxed (it stays listed and can be edited back)."""
    agency_id, today = current_agency_id(), datetime.now(agency_timezone()).date()
    try:
        commit_with_retry(lambda: service.update_tax_rule(agency_id, rule_id, valid_to=today - timedelta(days=1)))
    except ValidationFailed:
        return hx_response("", trigger=toast("A rule that starts today or later cannot end before it starts: "
                                             "edit or delete it instead.", "error"))
    return hx_response("", trigger={**toast("Visitor tax rule ended"), TAX_RULES_CHANGED: True})
