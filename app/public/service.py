"""What an agency's website shows: its active properties, their occupied nights and prices.

Reads only. Every query is scoped to the site's agency and to active, not
deleted properties: any other property is reported like a missing one (404).
Occupancy is dates only — never a reason, a source or a guest.
"""
from __future__ import annotations

import re
import uuid
from calendar import Calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import exists, func, select

from app.extensions import db
from app.inventory.models import InventoryRange, Property
from app.listing import service as listing
from app.listing.models import Amenity, PropertyPhoto
from app.pricing import engine
from app.pricing import service as pricing
from app.pricing.models import RateSeason
from app.core.errors import NotFound
from app.core.tenancy import scoped

CALENDAR_MONTHS = 12
MAX_LISTED = 200
PROPERTY_NOT_FOUND = "Property not found"
BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


@dataclass(frozen=True)
class Search:
    """The listing's filters: a stay (both dates or none), the party size, amenities (all of them) and,
    for a page's chosen properties, their ids."""
    arrival: date | None = None
    departure: date | None = None
    guests: int | None = None
    amenities: tuple[uuid.UUID, ...] = ()
    property_ids: frozenset[uuid.UUID] | None = None


@dataclass(frozen=True)
class Listed:
    prop: Property
    from_price: Decimal
    photo: PropertyPhoto | None = None  # the first photo


@dataclass(frozen=True)
class OccupiedRange:
    start: date  # first occupied night
    end: date  # the day after the last occupied night


@dataclass(frozen=True)
class Month:
    first: date
    weeks: list[list[date | None]]  # Monday-first rows; None pads the days of other months
    occupied: frozenset[date]


def site_properties_query(agency_id: uuid.UUID):
    return scoped(Property, agency_id).where(Property.is_active.is_(True))


def is_free_query(start: date, end: date):
    """True where no active inventory range of the property overlaps [start, end)."""
    return ~exists().where(InventoryRange.property_id == Property.id, InventoryRange.state == "active",
                           InventoryRange.start_date < end, InventoryRange.end_date > start)


def from_price_query(today: date):
    """The lowest nightly rate of the base rate and the seasons not yet over."""
    lowest_season = (select(func.min(RateSeason.nightly_rate))
                     .where(RateSeason.property_id == Property.id, RateSeason.end_date > today)
                     .scalar_subquery())
    return func.least(Property.base_nightly_rate, func.coalesce(lowest_season, Property.base_nightly_rate))


def list_properties(agency_id: uuid.UUID, search: Search, today: date) -> list[Listed]:
    """The agency's active properties by name; with dates only those free for the whole stay."""
    query = site_properties_query(agency_id).add_columns(from_price_query(today))
    if search.guests:
        query = query.where(Property.max_guests >= search.guests)
    if search.property_ids is not None:
        query = query.where(Property.id.in_(search.property_ids))
    if search.arrival and search.departure:
        query = query.where(is_free_query(search.arrival, search.departure))
    if search.amenities:
        query = query.where(*listing.has_amenities(list(search.amenities)))
    rows = db.session.execute(query.order_by(Property.name, Property.id).limit(MAX_LISTED)).all()
    photos = listing.first_photos([prop.id for prop, _ in rows])
    return [Listed(prop, price, photos.get(prop.id)) for prop, price in rows]


def filter_amenities(agency_id: uuid.UUID) -> list[Amenity]:
    """The amenities to filter by: those of the agency's active properties (the same for every visitor)."""
    return listing.amenities_in_use(agency_id)


def photos(prop: Property) -> list[PropertyPhoto]:
    return listing.photos_of(prop.id)


def amenities(prop: Property) -> list[Amenity]:
    return listing.property_amenities_of(prop.id)


def amenities_by_property(property_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Amenity]]:
    return listing.amenities_by_property(property_ids)


def paragraphs(text: str | None) -> list[str]:
    """Plain text split at blank lines (the template escapes each paragraph)."""
    return [part.strip() for part in BLANK_LINE.split(text or "") if part.strip()]


def get_property(agency_id: uuid.UUID, slug: str) -> Property:
    prop = db.session.scalar(site_properties_query(agency_id).where(Property.slug == slug))
    if prop is None:
        raise NotFound(PROPERTY_NOT_FOUND)
    return prop


def occupied_ranges(property_id: uuid.UUID, start: date, end: date) -> list[OccupiedRange]:
    """Active occupancy overlapping [start, end), clipped to it, in date order."""
    query = (select(InventoryRange.start_date, InventoryRange.end_date)
             .where(InventoryRange.property_id == property_id, InventoryRange.state == "active",
                    InventoryRange.start_date < end, InventoryRange.end_date > start)
             .order_by(InventoryRange.start_date))
    return [OccupiedRange(max(first, start), min(last, end)) for first, last in db.session.execute(query)]


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def availability_calendar(property_id: uuid.UUID, today: date, months: int = CALENDAR_MONTHS) -> list[Month]:
    """`months` months from the current one with their occupied nights."""
    first = today.replace(day=1)
    end = add_months(first, months)
    nights = {r.start + timedelta(days=n) for r in occupied_ranges(property_id, first, end)
              for n in range((r.end - r.start).days)}
    calendar = Calendar()
    result = []
    for offset in range(months):
        month = add_months(first, offset)
        weeks = [[d if d.month == month.month else None for d in week]
                 for week in calendar.monthdatescalendar(month.year, month.month)]
        result.append(Month(month, weeks, frozenset(d for d in nights if (d.year, d.month) == (month.year, month.month))))
    return result


def bookable_extras(prop: Property) -> list:
    """The optional extras a guest may choose (mandatory ones are always in the quote)."""
    return [extra for extra, _ in pricing.assigned_extras(prop) if extra.is_active and not extra.is_mandatory]


def quote(prop: Property, stay: engine.StayRequest) -> engine.Quote:
    """The pricing engine's price of the stay; occupied dates are priced but flagged unavailable."""
    return pricing.quote_property(prop, stay)
