"""Pricing JSON API (`pricing_api`, /api/v1): seasons, rates, extra services, visitor tax, quotes.

Writes: admin and manager; reads: every role. Handlers parse and render only;
rules live in `app.pricing.service` and the engine.
"""
from __future__ import annotations

import uuid

from flask import request

from app.core.errors import ValidationFailed
from app.db import commit_with_retry
from app.pricing import engine, service
from app.pricing.schemas import (
    AssignmentList, AssignmentOut, AssignmentsIn, Detail409, ExtraServiceIn, ExtraServiceList, ExtraServiceOut,
    ExtraServicePatch, QuoteIn, QuoteOut, RatesOut, RatesQuery, SeasonIn, SeasonList, SeasonOut, SeasonPatch,
    TaxRuleIn, TaxRuleList, TaxRuleOut, TaxRulePatch,
)
from app.web.api import ApiResponse, Detail, api_blueprint, spec
from app.web.auth import current_agency_id, require_role
from app.web.idempotency import IdempotencyHeaders, idempotent

bp = api_blueprint("pricing_api", __name__)
PRICING_EDITORS = ("admin", "manager")
WRITE_ERRORS = {"HTTP_403": Detail, "HTTP_404": Detail}


def fields_of(model, exclude_unset: bool = True) -> dict:
    """The validated body as service keyword arguments; child bands become JSON numbers for jsonb."""
    fields = model.model_dump(exclude_unset=exclude_unset)
    if fields.get("child_bands") is not None:
        fields["child_bands"] = [{**band, "amount": float(band["amount"])} for band in fields["child_bands"]]
    return fields


# --- seasons and rates --------------------------------------------------------------------

@bp.get("/properties/<uuid:property_id>/seasons/")
@spec.validate(resp=ApiResponse(HTTP_200=SeasonList, HTTP_404=Detail), tags=["pricing"])
def list_seasons(property_id: uuid.UUID):
    """The property's rate seasons by start date."""
    seasons = service.list_seasons(current_agency_id(), property_id)
    return SeasonList([SeasonOut.model_validate(season) for season in seasons])


@bp.post("/properties/<uuid:property_id>/seasons/")
@require_role(*PRICING_EDITORS)
@idempotent
@spec.validate(json=SeasonIn, headers=IdempotencyHeaders,
               resp=ApiResponse(HTTP_201=SeasonOut, HTTP_409=Detail409, **WRITE_ERRORS), tags=["pricing"])
def create_season(property_id: uuid.UUID, json: SeasonIn):
    """Add a season (admin, manager): rates and stay rules for the nights [start_date, end_date).

    Another season of the property on any of these nights: 409 {"error": "season_overlap"}.
    """
    agency_id, fields = current_agency_id(), fields_of(json, exclude_unset=False)
    season = commit_with_retry(lambda: service.create_season(agency_id, property_id, **fields))
    return SeasonOut.model_validate(season), 201


@bp.patch("/seasons/<uuid:season_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(json=SeasonPatch, resp=ApiResponse(HTTP_200=SeasonOut, HTTP_409=Detail409, **WRITE_ERRORS),
               tags=["pricing"])
def update_season(season_id: uuid.UUID, json: SeasonPatch):
    """Change a season (admin, manager); overlapping another season: 409 season_overlap."""
    agency_id, changes = current_agency_id(), fields_of(json)
    season = commit_with_retry(lambda: service.update_season(agency_id, season_id, **changes))
    return SeasonOut.model_validate(season)


@bp.delete("/seasons/<uuid:season_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", **WRITE_ERRORS), tags=["pricing"])
def delete_season(season_id: uuid.UUID):
    """Remove a season (admin, manager): its nights use the property's base rate again."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_season(agency_id, season_id))
    return "", 204


@bp.get("/properties/<uuid:property_id>/rates")
@spec.validate(query=RatesQuery, resp=ApiResponse(HTTP_200=RatesOut, HTTP_404=Detail), tags=["pricing"])
def property_rates(property_id: uuid.UUID, query: RatesQuery):
    """Each night's effective rate, minimum stay of an arrival, arrival rule and source (season or base)."""
    agency_id = current_agency_id()
    rates = service.property_rates(agency_id, property_id, query.from_date, query.to_date)
    currency = service.get_pricing_property(agency_id, property_id).currency
    return RatesOut(property_id=property_id, currency=currency, rates=rates)


# --- extra services -----------------------------------------------------------------------

@bp.get("/extra-services/")
@spec.validate(resp=ApiResponse(HTTP_200=ExtraServiceList), tags=["pricing"])
def list_extra_services():
    """The agency's extra services by name."""
    extras = service.list_extra_services(current_agency_id())
    return ExtraServiceList([ExtraServiceOut.model_validate(extra) for extra in extras])


@bp.post("/extra-services/")
@require_role(*PRICING_EDITORS)
@idempotent
@spec.validate(json=ExtraServiceIn, headers=IdempotencyHeaders,
               resp=ApiResponse(HTTP_201=ExtraServiceOut, HTTP_403=Detail), tags=["pricing"])
def create_extra_service(json: ExtraServiceIn):
    """Add an extra service (admin, manager). Billing units: per_stay (price), per_night (× nights),
    per_person (× guests), per_person_night (× guests × nights), per_unit (× quantity),
    per_unit_night (× quantity × nights)."""
    agency_id, fields = current_agency_id(), fields_of(json)
    extra = commit_with_retry(lambda: service.create_extra_service(agency_id, **fields))
    return ExtraServiceOut.model_validate(extra), 201


@bp.get("/extra-services/<uuid:extra_id>")
@spec.validate(resp=ApiResponse(HTTP_200=ExtraServiceOut, HTTP_404=Detail), tags=["pricing"])
def get_extra_service(extra_id: uuid.UUID):
    """One extra service."""
    return ExtraServiceOut.model_validate(service.get_extra_service(current_agency_id(), extra_id))


@bp.patch("/extra-services/<uuid:extra_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(json=ExtraServicePatch, resp=ApiResponse(HTTP_200=ExtraServiceOut, **WRITE_ERRORS), tags=["pricing"])
def update_extra_service(extra_id: uuid.UUID, json: ExtraServicePatch):
    """Change an extra service (admin, manager); is_active=false stops new bookings of it."""
    agency_id, changes = current_agency_id(), fields_of(json)
    extra = commit_with_retry(lambda: service.update_extra_service(agency_id, extra_id, **changes))
    return ExtraServiceOut.model_validate(extra)


@bp.delete("/extra-services/<uuid:extra_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", **WRITE_ERRORS), tags=["pricing"])
def delete_extra_service(extra_id: uuid.UUID):
    """Delete an extra service and its assignments (admin, manager); booked lines keep their amounts."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_extra_service(agency_id, extra_id))
    return "", 204


def assignment_list(rows) -> AssignmentList:
    return AssignmentList([AssignmentOut(extra_service=ExtraServiceOut.model_validate(extra), price_override=override)
                           for extra, override in rows])


@bp.get("/properties/<uuid:property_id>/extra-services")
@spec.validate(resp=ApiResponse(HTTP_200=AssignmentList, HTTP_404=Detail), tags=["pricing"])
def property_extra_services(property_id: uuid.UUID):
    """The extra services offered at the property, with its price overrides."""
    return assignment_list(service.property_assignments(current_agency_id(), property_id))


@bp.put("/properties/<uuid:property_id>/extra-services")
@require_role(*PRICING_EDITORS)
@spec.validate(json=AssignmentsIn, resp=ApiResponse(HTTP_200=AssignmentList, **WRITE_ERRORS), tags=["pricing"])
def set_property_extra_services(property_id: uuid.UUID, json: AssignmentsIn):
    """Replace the services offered at the property (admin, manager); only these can be booked there."""
    if not json.root and request.get_json(silent=True) != []:
        raise ValidationFailed.field("body", "Send the list of assignments ([] removes every one)")
    agency_id = current_agency_id()
    pairs = [(item.extra_service_id, item.price_override) for item in json.root]
    rows = commit_with_retry(lambda: service.set_property_extras(agency_id, property_id, pairs))
    return assignment_list(rows)


# --- visitor tax --------------------------------------------------------------------------

@bp.get("/visitor-tax-rules/")
@spec.validate(resp=ApiResponse(HTTP_200=TaxRuleList), tags=["pricing"])
def list_tax_rules():
    """The agency's visitor-tax rules by name."""
    return TaxRuleList([TaxRuleOut.model_validate(rule) for rule in service.list_tax_rules(current_agency_id())])


@bp.post("/visitor-tax-rules/")
@require_role(*PRICING_EDITORS)
@idempotent
@spec.validate(json=TaxRuleIn, headers=IdempotencyHeaders, resp=ApiResponse(HTTP_201=TaxRuleOut, HTTP_403=Detail),
               tags=["pricing"])
def create_tax_rule(json: TaxRuleIn):
    """Add a visitor-tax rule (admin, manager): amount per adult and night, child bands by age, taxed
    season (month-days, both null = all year), max nights per stay, collected on site or with the booking."""
    agency_id, fields = current_agency_id(), fields_of(json, exclude_unset=False)
    rule = commit_with_retry(lambda: service.create_tax_rule(agency_id, **fields))
    return TaxRuleOut.model_validate(rule), 201


@bp.get("/visitor-tax-rules/<uuid:rule_id>")
@spec.validate(resp=ApiResponse(HTTP_200=TaxRuleOut, HTTP_404=Detail), tags=["pricing"])
def get_tax_rule(rule_id: uuid.UUID):
    """One visitor-tax rule."""
    return TaxRuleOut.model_validate(service.get_tax_rule(current_agency_id(), rule_id))


@bp.patch("/visitor-tax-rules/<uuid:rule_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(json=TaxRulePatch, resp=ApiResponse(HTTP_200=TaxRuleOut, **WRITE_ERRORS), tags=["pricing"])
def update_tax_rule(rule_id: uuid.UUID, json: TaxRulePatch):
    """Change a visitor-tax rule (admin, manager)."""
    agency_id, changes = current_agency_id(), fields_of(json)
    rule = commit_with_retry(lambda: service.update_tax_rule(agency_id, rule_id, **changes))
    return TaxRuleOut.model_validate(rule)


@bp.delete("/visitor-tax-rules/<uuid:rule_id>")
@require_role(*PRICING_EDITORS)
@spec.validate(resp=ApiResponse("HTTP_204", **WRITE_ERRORS), tags=["pricing"])
def delete_tax_rule(rule_id: uuid.UUID):
    """Delete a visitor-tax rule (admin, manager); its properties charge no visitor tax any more."""
    agency_id = current_agency_id()
    commit_with_retry(lambda: service.delete_tax_rule(agency_id, rule_id))
    return "", 204


# --- quotes -------------------------------------------------------------------------------

def stay_request(json: QuoteIn) -> engine.StayRequest:
    return engine.StayRequest(json.check_in, json.check_out, json.adults, tuple(json.children_ages), None,
                              tuple(engine.ExtraRequest(e.extra_service_id, e.quantity) for e in json.extras))


@bp.post("/quotes")
@spec.validate(json=QuoteIn, resp=ApiResponse(HTTP_200=QuoteOut, HTTP_404=Detail), tags=["pricing"])
def create_quote(json: QuoteIn):
    """Price a stay: per-night rates with their source, itemised lines, total payable now and on site.

    Every rule answers 422 with a field: check_out after check_in; minimum stay and arrival weekday of
    the arrival night's season (or the property); guests within max_guests; extras offered at the
    property, active, quantity within max_quantity (mandatory extras are always included); ages 0-17.
    Occupied dates are still priced, with available=false.
    """
    quote = service.quote_stay(current_agency_id(), json.property_id, stay_request(json))
    return QuoteOut.of(quote)
