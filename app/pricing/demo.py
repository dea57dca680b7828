"""Demo pricing for `flask seed-demo`: two seasons, a final cleaning, bed linen, a cot and a Kurtaxe.

Idempotent: services, rules and seasons are found by name and never changed once they exist, and
a property's extras are assigned only while it has none, so edits survive restarts.
"""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.models import Property
from app.pricing import service
from app.pricing.models import ExtraService, RateSeason, VisitorTaxRule

EXTRAS = (
    {"name": "Final cleaning", "price": Decimal("65"), "billing_unit": "per_stay", "is_mandatory": True,
     "vat_percent": Decimal("19")},
    {"name": "Bed linen and towels", "price": Decimal("14.50"), "billing_unit": "per_person",
     "vat_percent": Decimal("19")},
    {"name": "Baby cot", "price": Decimal("6"), "billing_unit": "per_unit_night", "max_quantity": 2},
)
KURTAXE = {"name": "Kurtaxe Westerland", "municipality": "Westerland (Sylt)", "amount_per_adult_night": Decimal("3.50"),
           "child_bands": [{"min_age": 0, "max_age": 5, "amount": 0}, {"min_age": 6, "max_age": 17, "amount": 1.75}],
           "max_nights": 21, "season_start": "04-01", "season_end": "10-31", "collected_on_site": True,
           "valid_from": date(2026, 1, 1)}
PRICED_PROPERTIES = ("Strandkate Sylt", "Ferienhaus Seeblick")
TAXED_PROPERTY = "Strandkate Sylt"


def next_date(today: date, month: int, day: int) -> date:
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def demo_seasons(today: date) -> tuple[dict, ...]:
    """A summer season and the winter holidays, the next ones from today."""
    summer, winter = next_date(today, 6, 15), next_date(today, 12, 20)
    return ({"name": "Summer", "start_date": summer, "end_date": date(summer.year, 9, 15),
             "nightly_rate": Decimal("260"), "weekend_rate": Decimal("290"), "min_stay_nights": 5,
             "arrival_weekdays": [6]},
            {"name": "Winter holidays", "start_date": winter, "end_date": date(winter.year + 1, 1, 6),
             "nightly_rate": Decimal("240"), "min_stay_nights": 4})


def find_by_name(model, agency_id: uuid.UUID, name: str):
    return db.session.scalar(scoped(model, agency_id).where(model.name == name))


def seed_pricing(agency_id: uuid.UUID, today: date) -> str:
    """Create what is missing of the demo pricing; return a one-line summary. Flushes only."""
    extras = [find_by_name(ExtraService, agency_id, fields["name"])
              or service.create_extra_service(agency_id, **fields) for fields in EXTRAS]
    rule = find_by_name(VisitorTaxRule, agency_id, KURTAXE["name"]) or service.create_tax_rule(agency_id, **KURTAXE)
    seasons = 0
    for name in PRICED_PROPERTIES:
        prop = db.session.scalar(scoped(Property, agency_id).where(Property.name == name))
        if prop is None:
            continue
        if not service.property_assignments(agency_id, prop.id):
            service.set_property_extras(agency_id, prop.id, [(extra.id, None) for extra in extras])
        if name == TAXED_PROPERTY and prop.visitor_tax_rule_id is None:
            prop.visitor_tax_rule_id = rule.id
        for fields in demo_seasons(today):
            exists = db.session.scalar(select(RateSeason.id).where(RateSeason.property_id == prop.id,
                                                                   RateSeason.name == fields["name"]))
            if exists is None:
                service.create_season(agency_id, prop.id, **fields)
                seasons += 1
    db.session.flush()
    return f"Demo pricing: {len(extras)} extra services, visitor tax {rule.name!r}, {seasons} new season(s)"
