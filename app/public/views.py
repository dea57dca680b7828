"""The agency's website pages (server-rendered, htmx-enhanced, working without JavaScript).

Only reachable on the agency's own hosts (`hosts.route_by_host`); `/` shows the
property list until content pages exist.
"""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from app.extensions import csrf
from app.inventory.errors import BookingConflict
from app.pricing import engine
from app.public import booking, service
from app.public.forms import FIELD_MESSAGES, BookingForm, QuoteQuery, SearchQuery, parse
from app.public.hosts import plain_not_found, site_agency, site_today
from app.public.language import site_locale, site_url
from app.core.errors import DomainError, NotFound
from app.web.forms import field_errors
from app.web.htmx import is_htmx

bp = Blueprint("public", __name__)


@bp.errorhandler(NotFound)
def not_found(exc):
    return plain_not_found()


@bp.errorhandler(TooManyRequests)
def too_many_requests(exc):
    """A rate limit's answer in the visitor's language, in place of the widget or form that hit it
    (only the quote and the booking request are limited on the pages)."""
    context = detail_context(request.view_args["slug"])
    message = _("Too many requests from your connection. Please try again later.")
    if request.endpoint == "public.booking_request":
        context.update(booking_values=request.form.to_dict(), booking_errors={"form": message})
        partial = "public/partials/_booking_form.html"
    else:
        context.update(quote_values=request.args.to_dict(), quote_errors={"form": message})
        partial = "public/partials/_quote.html"
    return render_template(partial if is_htmx() else "public/property_detail.html", **context), 429


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
            "booking_values": {}, "booking_errors": {}, **content_context(prop)}


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
                "children_ages": FIELD_MESSAGES["children_ages"], "extras": FIELD_MESSAGES["extras"]}
    fields = {"check_in": "arrival", "check_out": "departure"}
    return {fields.get(name, name): messages.get(name, _("No price for this stay."))
            for name in field_errors(exc)} or {"form": _("No price for this stay.")}


@bp.get("/unterkuenfte/<slug>/preis")
@booking.quote_rate_limit
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


# --- booking request form -----------------------------------------------------------------

def booking_error_messages(exc: DomainError, prop) -> dict:
    """Dates taken meanwhile: the friendly "just booked" answer; rule refusals by the form's fields."""
    if isinstance(exc, BookingConflict):
        return {"form": _("Sorry, these dates were just booked. Please choose other dates.")}
    return rule_messages(exc, prop)


def request_sent(prop, status: str):
    """The success answer: htmx swaps the form for it, a plain post is redirected to the page."""
    if is_htmx():
        return render_template("public/partials/_booking_sent.html", prop=prop, status=status)
    return redirect(site_url("public.booking_sent", slug=prop.slug, status=status), 303)


@bp.post("/unterkuenfte/<slug>/anfrage")
@csrf.exempt  # anonymous visitors have no session to forge; the rate limit and the honeypot guard it
@booking.booking_rate_limit
def booking_request(slug: str):
    """The booking request form: field messages next to the fields, 409 when the dates went meanwhile."""
    context = detail_context(slug)
    prop = context["prop"]
    if booking.is_spam(request.form.get("website")):
        return request_sent(prop, "pending" if prop.direct_booking_mode == "instant" else "inquiry")
    form, values, errors = parse(BookingForm, request.form)
    status = 422 if errors else 200
    if form is not None:
        try:
            submitted = booking.submit(slug, form.arrival, form.departure, form, form.adults, form.children_ages,
                                       form.extras, str(site_locale()))
            return request_sent(prop, submitted.booking.status)
        except DomainError as exc:
            errors, status = booking_error_messages(exc, prop), exc.status_code
    context.update(booking_values=values, booking_errors=errors)
    if is_htmx():
        return render_template("public/partials/_booking_form.html", **context), status
    return render_template("public/property_detail.html", **context), status


@bp.get("/unterkuenfte/<slug>/anfrage/gesendet")
def booking_sent(slug: str):
    """What happens next after a request (a bookmarkable page, no booking data in it)."""
    prop = service.get_property(site_agency().id, slug)
    status = "pending" if request.args.get("status") == "pending" else "inquiry"
    return render_template("public/booking_sent.html", prop=prop, status=status)
