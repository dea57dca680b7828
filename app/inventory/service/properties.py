"""Properties: create, update, soft delete, list, iCal export token."""
from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify
from sqlalchemy import or_, select

from app.core.errors import ValidationFailed
from app.core.pagination import DEFAULT_LIMIT, Page, paginate
from app.core.tenancy import get_owned, scoped, soft_delete_owned, update_owned
from app.extensions import db
from app.inventory.errors import guarded_write
from app.inventory.models import Property
from app.pricing.models import VisitorTaxRule

PROPERTY_NOT_FOUND = "Property not found"
EDITABLE_FIELDS = frozenset({
    "name", "slug", "internal_name", "address_line", "postal_code", "city", "country", "max_guests", "bedrooms",
    "is_active", "min_stay_nights", "max_advance_days", "check_in_time", "check_out_time",
    "base_nightly_rate", "currency", "timezone", "weekly_discount_percent", "monthly_discount_percent",
    "visitor_tax_rule_id", "direct_booking_mode",
    "short_description", "description", "area_sqm", "bathrooms", "beds", "house_rules", "cancellation_policy",
    "latitude", "longitude", "checkin_instructions",
})


def new_ical_token() -> str:
    return secrets.token_urlsafe(32)


def property_today(prop: Property) -> date:
    """Today's date where the property is: booking-window and past-arrival rules use it."""
    return datetime.now(ZoneInfo(prop.timezone)).date()


def get_property(agency_id: uuid.UUID, property_id: uuid.UUID) -> Property:
    """The agency's property (not soft-deleted). Raises NotFound "Property not found"."""
    return get_owned(Property, agency_id, property_id, PROPERTY_NOT_FOUND)


def list_properties(agency_id: uuid.UUID, q: str | None = None, is_active: bool | None = None,
                    limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[Property]:
    """One page of properties ordered by name; `q` searches name, internal name and city."""
    query = scoped(Property, agency_id).order_by(Property.name, Property.id)
    if q:
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Property.name.ilike(pattern), Property.internal_name.ilike(pattern),
                                Property.city.ilike(pattern)))
    if is_active is not None:
        query = query.where(Property.is_active.is_(is_active))
    return paginate(query, limit, offset)


def find_property_by_name(agency_id: uuid.UUID, name: str) -> Property | None:
    return db.session.scalar(scoped(Property, agency_id).where(Property.name == name))


def find_property_by_ical_token(token: str) -> Property | None:
    """The property whose public iCal export URL carries `token` (not tenant-scoped: the URL is the key)."""
    return db.session.scalar(select(Property).where(Property.ical_token == token,
                                                    Property.deleted_at.is_(None)))


def check_fields(fields: dict) -> None:
    """422 for unknown fields and values the database would reject."""
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown property field")
    if "name" in fields and not (fields["name"] or "").strip():
        raise ValidationFailed.field("name", "Name must not be empty")
    for name in ("min_stay_nights", "max_advance_days"):
        if name in fields and fields[name] < 1:
            raise ValidationFailed.field(name, f"{name} must be at least 1")
    if "timezone" in fields and not is_known_timezone(fields["timezone"]):
        raise ValidationFailed.field("timezone", f"Unknown time zone {fields['timezone']!r}")


def is_known_timezone(name: str) -> bool:
    """An IANA time zone name the server knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_tax_rule(agency_id: uuid.UUID, fields: dict) -> None:
    """The visitor-tax rule must be one of the agency's (another agency's id reads as unknown)."""
    rule_id = fields.get("visitor_tax_rule_id")
    if rule_id is not None and db.session.scalar(
            scoped(VisitorTaxRule, agency_id).where(VisitorTaxRule.id == rule_id)) is None:
        raise ValidationFailed.field("visitor_tax_rule_id", "Visitor tax rule not found")


SLUG_MAX_LENGTH = 80
UMLAUTS = [["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ß", "ss"]]


def slug_of(name: str) -> str:
    """A URL word for a name: "Haus Möwe" -> "haus-moewe"."""
    return slugify(name, replacements=UMLAUTS, max_length=SLUG_MAX_LENGTH, word_boundary=True) or "unterkunft"


def slug_taken(agency_id: uuid.UUID, slug: str, property_id: uuid.UUID | None = None) -> bool:
    """Used by another of the agency's properties (deleted ones keep theirs: old links must not change meaning)."""
    query = select(Property.id).where(Property.agency_id == agency_id, Property.slug == slug)
    if property_id is not None:
        query = query.where(Property.id != property_id)
    return db.session.scalar(query.limit(1)) is not None


def free_slug(agency_id: uuid.UUID, name: str) -> str:
    """`slug_of(name)`, with -2, -3, ... when the agency already uses it."""
    base = slug_of(name)
    candidate, number = base, 2
    while slug_taken(agency_id, candidate):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def check_slug(agency_id: uuid.UUID, fields: dict, property_id: uuid.UUID | None = None) -> None:
    """An explicit slug is a URL word (422 otherwise) no other property of the agency uses (422)."""
    slug = fields.get("slug")
    if not slug:
        fields.pop("slug", None)  # empty: keep the current one (new properties: from the name)
        return
    if slug != slug_of(slug):
        raise ValidationFailed.field("slug", "Use lower-case letters, digits and hyphens, e.g. haus-moewe")
    if slug_taken(agency_id, slug, property_id):
        raise ValidationFailed.field("slug", "Another property already uses this slug")


COORDINATES = ("latitude", "longitude")


def check_coordinates(fields: dict, current: Property | None = None) -> None:
    """Latitude and longitude come together (a map link needs both): 422 on the missing one."""
    if not any(name in fields for name in COORDINATES):
        return
    merged = {name: fields[name] if name in fields else getattr(current, name, None) for name in COORDINATES}
    missing = [name for name in COORDINATES if merged[name] is None]
    if len(missing) == 1:
        raise ValidationFailed.field(missing[0], "Give latitude and longitude together")


def create_property(agency_id: uuid.UUID, name: str, **fields) -> Property:
    """Create a property with a fresh iCal export token (slug from the name unless given). Raises ValidationFailed."""
    fields = {"name": name, **fields}
    check_fields(fields)
    check_tax_rule(agency_id, fields)
    check_slug(agency_id, fields)
    check_coordinates(fields)
    fields.setdefault("slug", free_slug(agency_id, name))
    prop = Property(agency_id=agency_id, ical_token=new_ical_token(), **fields)
    with guarded_write():  # two properties of one name created at once: the second gets a 409
        db.session.add(prop)
    return prop


def update_property(agency_id: uuid.UUID, property_id: uuid.UUID, **changes) -> Property:
    """Change the given fields. Raises NotFound, ValidationFailed."""
    check_fields(changes)
    check_tax_rule(agency_id, changes)
    check_slug(agency_id, changes, property_id)
    check_coordinates(changes, get_property(agency_id, property_id))
    with guarded_write():
        return update_owned(Property, agency_id, property_id, PROPERTY_NOT_FOUND, changes)


def delete_property(agency_id: uuid.UUID, property_id: uuid.UUID) -> None:
    """Soft delete: the property disappears from every list; its bookings stay as history."""
    soft_delete_owned(Property, agency_id, property_id, PROPERTY_NOT_FOUND)


def rotate_ical_token(agency_id: uuid.UUID, property_id: uuid.UUID) -> Property:
    """Replace the iCal export token: the old export URL stops working at once."""
    return update_owned(Property, agency_id, property_id, PROPERTY_NOT_FOUND, {"ical_token": new_ical_token()})
