"""Rate seasons: a property's rates and stay rules for a date range; never two on one night."""
from __future__ import annotations

import uuid
from datetime import date

from app.core.errors import ValidationFailed
from app.core.tenancy import get_owned, scoped
from app.extensions import db
from app.inventory.errors import guarded_write
from app.inventory.models import Property
from app.pricing.errors import SeasonOverlap
from app.pricing.models import RateSeason

SEASON_NOT_FOUND = "Season not found"
PROPERTY_NOT_FOUND = "Property not found"
SEASON_FIELDS = frozenset({"name", "start_date", "end_date", "nightly_rate", "weekend_rate", "min_stay_nights",
                           "arrival_weekdays"})


def get_pricing_property(agency_id: uuid.UUID, property_id: uuid.UUID) -> Property:
    """The agency's property (not deleted). Raises NotFound "Property not found"."""
    return get_owned(Property, agency_id, property_id, PROPERTY_NOT_FOUND)


def get_season(agency_id: uuid.UUID, season_id: uuid.UUID, for_update: bool = False) -> RateSeason:
    return get_owned(RateSeason, agency_id, season_id, SEASON_NOT_FOUND, for_update=for_update)


def list_seasons(agency_id: uuid.UUID, property_id: uuid.UUID, start: date | None = None,
                 end: date | None = None) -> list[RateSeason]:
    """The property's seasons by start date; with a window only those overlapping [start, end)."""
    get_pricing_property(agency_id, property_id)
    query = scoped(RateSeason, agency_id).where(RateSeason.property_id == property_id)
    if start is not None:
        query = query.where(RateSeason.end_date > start)
    if end is not None:
        query = query.where(RateSeason.start_date < end)
    return list(db.session.scalars(query.order_by(RateSeason.start_date)))


def check_season(season: RateSeason) -> None:
    """422 for a season the database would reject, with the field to fix."""
    if not (season.name or "").strip():
        raise ValidationFailed.field("name", "Name must not be empty")
    if season.end_date <= season.start_date:
        raise ValidationFailed.field("end_date", "end_date must be after start_date (the season's last night + 1)")
    if season.arrival_weekdays is not None:
        if not season.arrival_weekdays or any(day < 1 or day > 7 for day in season.arrival_weekdays):
            raise ValidationFailed.field("arrival_weekdays", "Arrival weekdays are ISO days 1 (Monday) to 7 (Sunday)")
        season.arrival_weekdays = sorted(set(season.arrival_weekdays))


def create_season(agency_id: uuid.UUID, property_id: uuid.UUID, **fields) -> RateSeason:
    """Add a season. Raises NotFound, ValidationFailed, SeasonOverlap (another season on these nights)."""
    prop = get_pricing_property(agency_id, property_id)
    season = RateSeason(id=uuid.uuid4(), agency_id=agency_id, property_id=prop.id, **fields)
    check_season(season)
    with guarded_write(SeasonOverlap):
        db.session.add(season)
    return season


def update_season(agency_id: uuid.UUID, season_id: uuid.UUID, **changes) -> RateSeason:
    """Change the given fields. Raises NotFound, ValidationFailed, SeasonOverlap."""
    unknown = sorted(set(changes) - SEASON_FIELDS)
    if unknown:
        raise ValidationFailed.field(unknown[0], "Unknown season field")
    season = get_season(agency_id, season_id, for_update=True)
    with guarded_write(SeasonOverlap):
        for name, value in changes.items():
            setattr(season, name, value)
        check_season(season)
    return season


def delete_season(agency_id: uuid.UUID, season_id: uuid.UUID) -> None:
    """Remove a season: its nights fall back to the property's base rate and minimum stay."""
    db.session.delete(get_season(agency_id, season_id))
    db.session.flush()
