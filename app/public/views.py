"""The agency's website pages (server-rendered, htmx-enhanced, working without JavaScript).

Only reachable on the agency's own hosts (`hosts.route_by_host`); `/` shows the
property list until content pages exist.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from app.pricing import engine
from app.public import service
from app.public.forms import FIELD_MESSAGES, QuoteQuery, SearchQuery, parse
from app.public.hosts import plain_not_found, site_agency, site_today
from app.core.errors import DomainError, NotFound
from app.web.forms import field_errors
from app.web.htmx import is_htmx

bp = Blueprint("public", __name__)


@bp.errorhandler(NotFound)
def not_found(exc):
    return plain_not_found()


@bp.get("/unterkuenfte")
def properties():
    """The agency's active properties, filtered by stay and party size; htmx swaps the list only."""
    query, values, errors = parse(SearchQuery, request.args)
    search = service.Search(query.arrival, query.departure, query.guests, tuple(query.amenity)) if query \
        else service.Search()
    context = {"listed": service.list_properties(site_agency().id, search, site_today()),
               "values": values, "errors": errors, "search": search,
               "filter_amenities": service.filter_amenities(site_agency().id),
               "chosen_amenities": set(values.get("amenity", []))}
    if is_htmx():
        return render_template("public/partials/_property_list.html", **context)
    return render_template("public/properties.html", **context)


def detail_context(slug: str) -> dict:
    prop = service.get_property(site_agency().id, slug)
    return {"prop": prop, "months": service.availability_calendar(prop.id, site_today()),
            "extras": service.bookable_extras(prop), "quote": None, "quote_errors": {}, "quote_values": {},
            **content_context(prop)}


def content_context(prop) -> dict:
    """The property's website content: photos, amenities and the description's paragraphs."""
    return {"photos": service.photos(prop), "amenities": service.amenities(prop),
            "description": service.paragraphs(prop.description)}


@bp.get("/unterkuenfte/<slug>")
def property_detail(slug: str):
    return render_template("public/property_detail.html", **detail_context(slug))


def rule_messages(exc: DomainError, prop) -> dict:
    """The pricing engine's refusals in the visitor's language, by the widget's field names."""
    messages = {"check_in": _("Arrival on this weekday is not possible here."),
                "check_out": _("This length of stay is not possible here (minimum stay %(nights)s nights).",
                               nights=prop.min_stay_nights),
                "adults": _("Too many guests: at most %(guests)s.", guests=prop.max_guests),
                "children_ages": FIELD_MESSAGES["children_ages"]}
    fields = {"check_in": "arrival", "check_out": "departure"}
    return {fields.get(name, name): messages.get(name, _("No price for this stay."))
            for name in field_errors(exc)} or {"form": _("No price for this stay.")}


@bp.get("/unterkuenfte/<slug>/preis")
def property_quote(slug: str):
    """The quote widget's answer: itemised price lines, or what to correct (the whole page without JS)."""
    context = detail_context(slug)
    query, values, errors = parse(QuoteQuery, request.args)
    if query is not None:
        offered = {extra.id for extra in context["extras"]}
        stay = engine.StayRequest(query.arrival, query.departure, query.adults, tuple(query.children_ages),
                                  extras=tuple(engine.ExtraRequest(extra_id) for extra_id in query.extras
                                               if extra_id in offered))
        try:
            context["quote"] = service.quote(context["prop"], stay)
        except DomainError as exc:
            errors = rule_messages(exc, context["prop"])
    context.update(quote_values=values, quote_errors=errors)
    if is_htmx():
        return render_template("public/partials/_quote.html", **context)
    return render_template("public/property_detail.html", **context)
