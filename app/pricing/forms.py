"""Pricing fields of back-office forms (children's ages, booked extras, a property's assignments)
and the booking form's live quote.

Forms name a booked extra `extra_qty_<id>` (its quantity, 0 = not booked) and an assignment on the
property form `assign_<id>` (ticked) with `assign_price_<id>` (optional price override).
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from app.core.errors import DomainError, ValidationFailed
from app.pricing import engine, service
from app.pricing.schemas import AssignmentIn
from app.web.auth import current_agency_id
from app.web.forms import field_errors, validated
from app.web.panels import detail_text

EXTRA_QTY_PREFIX = "extra_qty_"
ASSIGN_PREFIX = "assign_"
ASSIGN_PRICE_PREFIX = "assign_price_"


def children_ages(form: Mapping[str, str]) -> list[int] | None:
    """"4, 15" -> [4, 15]; blank -> None (ages not given). Range checks are the schema's."""
    raw = (form.get("children_ages") or "").strip()
    if not raw:
        return None
    try:
        return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise ValidationFailed.field("children_ages", "Give the ages as whole numbers, e.g. 4, 15",
                                     loc_prefix="form") from None


def booked_extras(form: Mapping[str, str]) -> list[dict]:
    """The extras with a quantity above 0, as the API's `extras` list."""
    extras = []
    for name, value in form.items():
        if name.startswith(EXTRA_QTY_PREFIX) and value.strip() not in ("", "0"):
            extras.append({"extra_service_id": name.removeprefix(EXTRA_QTY_PREFIX), "quantity": value.strip()})
    return extras


def extra_quantities(form: Mapping[str, str]) -> dict[str, str]:
    """What the booking form shows in each extra's quantity field after a re-render."""
    return {name.removeprefix(EXTRA_QTY_PREFIX): value for name, value in form.items()
            if name.startswith(EXTRA_QTY_PREFIX)}


def property_pricing_options(agency_id: uuid.UUID, property_id: uuid.UUID | None, form: Mapping | None) -> dict:
    """The property form's pricing choices: the agency's extras and tax rules, and what is assigned
    (a submitted form's ticks, else the property's saved assignments)."""
    if form is not None and hasattr(form, "getlist"):
        assigned = {name.removeprefix(ASSIGN_PREFIX): (form.get(ASSIGN_PRICE_PREFIX + name.removeprefix(ASSIGN_PREFIX))
                                                        or "")
                    for name in form if name.startswith(ASSIGN_PREFIX) and not name.startswith(ASSIGN_PRICE_PREFIX)}
    elif property_id is not None:
        assigned = {str(extra.id): "" if override is None else override
                    for extra, override in service.property_assignments(agency_id, property_id)}
    else:
        assigned = {}
    return {"extras": service.list_extra_services(agency_id), "assigned": assigned,
            "tax_rule_options": [(rule.id, rule.name) for rule in service.list_tax_rules(agency_id)]}


def property_assignments(form: Mapping[str, str]) -> list[tuple[uuid.UUID, Decimal | None]]:
    """The ticked extras of the property form with their price overrides (validated like the API)."""
    assignments = []
    for name in form:
        if name.startswith(ASSIGN_PREFIX) and not name.startswith(ASSIGN_PRICE_PREFIX):
            extra_id = name.removeprefix(ASSIGN_PREFIX)
            override = (form.get(ASSIGN_PRICE_PREFIX + extra_id) or "").strip() or None
            item = validated(AssignmentIn, {"extra_service_id": extra_id, "price_override": override})
            assignments.append((item.extra_service_id, item.price_override))
    return assignments


PROMPT = "Choose a property and dates to see the price."


def parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def stay_of(form) -> engine.StayRequest | None:
    check_in, check_out = parse_date(form.get("check_in")), parse_date(form.get("check_out"))
    if check_in is None or check_out is None:
        return None
    adults, children = int(form.get("adults") or 0), int(form.get("children") or 0)
    ages = children_ages(form)
    extras = tuple(engine.ExtraRequest(uuid.UUID(item["extra_service_id"]), int(item["quantity"]))
                   for item in booked_extras(form))
    return engine.StayRequest(check_in, check_out, adults, tuple(ages) if ages is not None else None, children,
                              extras)


def quote_context(form) -> dict:
    """The property's extras and the quote (or why there is none) for the form's current values."""
    context = {"extras": [], "quantities": extra_quantities(form), "quote": None, "message": PROMPT}
    if not form.get("property_id"):
        return context
    try:
        agency_id = current_agency_id()
        prop = service.get_pricing_property(agency_id, uuid.UUID(str(form.get("property_id"))))
        context["extras"] = service.assigned_extras(prop)
        stay = stay_of(form)
        if stay is not None:
            context.update(quote=service.quote_property(prop, stay), message=None)
    except DomainError as exc:
        context["message"] = next(iter(field_errors(exc).values()), detail_text(exc))
    except ValueError:
        context["message"] = "Check the property, guests and quantities: whole numbers only."
    return context
