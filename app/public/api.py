"""Public JSON API (`public_api`, /api/public/v1): anonymous, on the agency's own hosts.

Reads the same things as the public pages (active, not deleted properties of
the host's agency; occupied ranges only) and prices stays with the pricing
engine. Browsers on the agency's own domains and on ALLOWED_ORIGINS may call it
(CORS); every caller IP is rate limited.
"""
from __future__ import annotations

from flask import current_app, request

from app.extensions import limiter
from app.inventory.schemas import ConflictDetail
from app.pricing import engine
from app.pricing.schemas import QuoteOut
from app.public import booking, service
from app.public.hosts import is_public_request, site_agency, site_today
from app.public.schemas import (
    AvailabilityOut, AvailabilityQuery, BookingRequestIn, BookingRequestOut, OccupiedOut, PropertySearch,
    PublicAmenityList, PublicAmenityOut, PublicPropertyList, PublicPropertyOut, PublicQuoteIn, listed_out, property_out,
)
from app.public.language import site_locale
from app.web.api import ApiResponse, Detail, api_blueprint, spec

bp = api_blueprint("public_api", __name__, url_prefix="/api/public/v1", public=True)
TAGS = ["public"]
CORS_MAX_AGE_SECONDS = 600

limiter.limit(lambda: current_app.config["PUBLIC_API_RATE_LIMIT"])(bp)


def allowed_origins() -> set[str]:
    """The agency's own website hosts (http and https) and the configured ALLOWED_ORIGINS."""
    hosts = site_agency().hosts
    return {f"{scheme}://{host}" for host in hosts for scheme in ("https", "http")} | set(
        current_app.config["ALLOWED_ORIGINS"])


@bp.after_request
def cors_headers(response):
    """CORS for the agency's origins (anonymous: no credentials); others get no CORS headers."""
    origin = request.headers.get("Origin")
    if origin and is_public_request() and origin in allowed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
        response.headers.pop("Access-Control-Allow-Credentials", None)
    response.vary.add("Origin")
    return response


@bp.get("/properties/")
@spec.validate(query=PropertySearch, resp=ApiResponse(HTTP_200=PublicPropertyList), tags=TAGS, security={})
def list_properties(query: PropertySearch):
    """The agency's active properties by name; with arrival and departure only those free for the stay."""
    search = service.Search(query.arrival, query.departure, query.guests, tuple(query.amenity))
    listed = service.list_properties(site_agency().id, search, site_today())
    amenities = service.amenities_by_property([item.prop.id for item in listed])
    return PublicPropertyList(items=[listed_out(item, amenities[item.prop.id]) for item in listed])


@bp.get("/properties/<slug>")
@spec.validate(resp=ApiResponse(HTTP_200=PublicPropertyOut, HTTP_404=Detail), tags=TAGS, security={})
def get_property(slug: str):
    """One active property by its slug with its amenities and photos; inactive, deleted and other agencies'
    properties are 404."""
    prop = service.get_property(site_agency().id, slug)
    return property_out(prop, service.amenities(prop), service.photos(prop))


@bp.get("/amenities/")
@spec.validate(resp=ApiResponse(HTTP_200=PublicAmenityList), tags=TAGS, security={})
def list_amenities():
    """The amenities of the agency's active properties (the website's filter), in their order."""
    return PublicAmenityList(items=[PublicAmenityOut.of(amenity)
                                    for amenity in service.filter_amenities(site_agency().id)])


@bp.get("/availability")
@spec.validate(query=AvailabilityQuery, resp=ApiResponse(HTTP_200=AvailabilityOut, HTTP_404=Detail), tags=TAGS,
               security={})
def availability(query: AvailabilityQuery):
    """Occupied ranges [start, end) of a property within [from_date, to_date): dates only, at most 400 days."""
    prop = service.get_property(site_agency().id, query.property)
    ranges = service.occupied_ranges(prop.id, query.from_date, query.to_date)
    return AvailabilityOut(property=prop.slug, from_date=query.from_date, to_date=query.to_date,
                           occupied=[OccupiedOut(start=r.start, end=r.end) for r in ranges])


@bp.post("/quotes")
@booking.quote_rate_limit
@spec.validate(json=PublicQuoteIn, resp=ApiResponse(HTTP_200=QuoteOut, HTTP_404=Detail), tags=TAGS, security={})
def create_quote(json: PublicQuoteIn):
    """Price a stay with the pricing engine (same rules and 422 fields as the private quote);
    occupied dates are priced with available=false. Extras not offered at the property are 422."""
    prop = service.get_property(site_agency().id, json.property)
    stay = engine.StayRequest(json.check_in, json.check_out, json.adults, tuple(json.children_ages),
                              extras=tuple(engine.ExtraRequest(extra_id) for extra_id in json.extras))
    return QuoteOut.of(service.quote(prop, stay))


@bp.post("/booking-requests")
@booking.booking_rate_limit
@spec.validate(json=BookingRequestIn, resp=ApiResponse(HTTP_201=BookingRequestOut, HTTP_404=Detail,
                                                        HTTP_409=ConflictDetail), tags=TAGS, security={})
def create_booking_request(json: BookingRequestIn):
    """Ask to book a stay, with the same rules and limits as the website's form (at most 5 per hour per IP).

    A property in `request` mode answers `inquiry` (nothing held until the agency confirms), one in
    `instant` mode `pending` (the dates are held). Dates taken meanwhile are 409 `inventory_overlap`;
    the stay rules and extras not offered are 422. The guest and the agency get an e-mail."""
    prop = service.get_property(site_agency().id, json.property)
    if booking.is_spam(json.website):
        status = "pending" if prop.direct_booking_mode == "instant" else "inquiry"
        return BookingRequestOut(status=status, check_in=json.check_in, check_out=json.check_out), 201
    submitted = booking.submit(prop.slug, json.check_in, json.check_out, json, json.adults, json.children_ages,
                               json.extras, json.language or site_locale())
    made = submitted.booking
    return BookingRequestOut(status=made.status, check_in=made.check_in, check_out=made.check_out), 201
