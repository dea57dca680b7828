"""Loading a property's pricing rows for the engine, quotes, effective rates and booking price lines."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from decimal import Decimal

from sqlalchemy import Date, Text, Uuid, bindparam, cast, delete, func, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.core.errors import NotFound, ValidationFailed
from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.models import Booking, InventoryRange, Property
from app.pricing import engine
from app.pricing.models import BookingPriceLine, ExtraService, PropertyExtraService, RateSeason, VisitorTaxRule
from app.pricing.service.seasons import PROPERTY_NOT_FOUND, get_pricing_property

MAX_RATES_WINDOW_DAYS = 400
MANUAL_LABEL = "Total price (set by hand)"


@dataclass(frozen=True)
class PricedProperty:
    """A property with everything the engine needs to price a stay, read in one statement."""
    prop: Property
    pricing: engine.PricingProperty
    free: bool  # no active range (booking, block, channel hold) overlaps the stay, besides the ignored one's


def decoded(document: str) -> list | dict | None:
    """JSON read as text, numbers with decimals as Decimal (money never passes through float)."""
    return json.loads(document, parse_float=Decimal)


def seasons_column(property_id, start: date, end: date):
    """The property's seasons overlapping [start, end) as one JSON array, by start date."""
    fields = {"name": RateSeason.name, "start_date": RateSeason.start_date, "end_date": RateSeason.end_date,
              "nightly_rate": RateSeason.nightly_rate, "weekend_rate": RateSeason.weekend_rate,
              "min_stay_nights": RateSeason.min_stay_nights, "arrival_weekdays": RateSeason.arrival_weekdays}
    return json_array(fields, RateSeason.start_date).where(
        RateSeason.property_id == property_id, RateSeason.end_date > start, RateSeason.start_date < end)


def extras_column(property_id, agency_id):
    """The services assigned to the property (price override applied) as one JSON array, by name."""
    fields = {"id": ExtraService.id, "name": ExtraService.name,
              "price": func.coalesce(PropertyExtraService.price_override, ExtraService.price),
              "billing_unit": ExtraService.billing_unit, "is_mandatory": ExtraService.is_mandatory,
              "max_quantity": ExtraService.max_quantity, "vat_percent": ExtraService.vat_percent,
              "is_active": ExtraService.is_active}
    return (json_array(fields, ExtraService.name, ExtraService.id)
            .join(PropertyExtraService, PropertyExtraService.extra_service_id == ExtraService.id)
            .where(PropertyExtraService.property_id == property_id, ExtraService.agency_id == agency_id))


def tax_rule_column(rule_id):
    fields = {name: getattr(VisitorTaxRule, name) for name in (
        "name", "amount_per_adult_night", "child_bands", "max_nights", "season_start", "season_end",
        "collected_on_site", "valid_from", "valid_to")}
    return select(func.jsonb_build_object(*json_pairs(fields))).where(VisitorTaxRule.id == rule_id)


def json_pairs(fields: dict) -> list:
    return [part for name, column in fields.items() for part in (name, column)]


def json_array(fields: dict, *order_by):
    row = func.jsonb_build_object(*json_pairs(fields))
    return select(func.coalesce(func.jsonb_agg(aggregate_order_by(row, *order_by)), text("'[]'::jsonb")))


def free_column(property_id, check_in, check_out, ignore_source=None):
    occupied = select(InventoryRange.id).where(
        InventoryRange.property_id == property_id, InventoryRange.state == "active",
        InventoryRange.start_date < check_out, InventoryRange.end_date > check_in)
    if ignore_source is not None:
        occupied = occupied.where(InventoryRange.source_id != ignore_source)
    return ~occupied.exists()


START, END = bindparam("start", type_=Date), bindparam("end", type_=Date)


def pricing_columns(property_id, agency_id, rule_id, ignores_source: bool = False) -> list:
    """Seasons, extras, tax rule (JSON text) and whether the bound [start, end) is free, as columns
    of one statement."""
    ignore_source = bindparam("ignore_source", type_=Uuid) if ignores_source else None
    return [cast(seasons_column(property_id, START, END).scalar_subquery(), Text),
            cast(extras_column(property_id, agency_id).scalar_subquery(), Text),
            cast(tax_rule_column(rule_id).scalar_subquery(), Text),
            free_column(property_id, START, END, ignore_source)]


@cache
def pricing_statement(ignores_source: bool):
    """The pricing rows of a loaded property; built once (building costs more CPU than running it)."""
    return select(*pricing_columns(bindparam("property_id", type_=Uuid), bindparam("agency_id", type_=Uuid),
                                   bindparam("rule_id", type_=Uuid), ignores_source))


@cache
def priced_property_statement(also: tuple):
    """The property, its pricing rows and `also`'s columns of its id; built once per `also`."""
    return (scoped(Property, bindparam("agency_id", type_=Uuid)).where(Property.id == bindparam("property_id"))
            .add_columns(*pricing_columns(Property.id, Property.agency_id, Property.visitor_tax_rule_id),
                         *(column(Property.id) for column in also)))


def season_from(row: dict) -> engine.Season:
    weekdays = row["arrival_weekdays"]
    return engine.Season(row["name"], date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"]),
                         row["nightly_rate"], row["weekend_rate"], row["min_stay_nights"],
                         tuple(weekdays) if weekdays else None)


def extra_from(row: dict) -> engine.Extra:
    return engine.Extra(uuid.UUID(row["id"]), row["name"], row["price"], row["billing_unit"], row["is_mandatory"],
                        row["max_quantity"], row["vat_percent"], row["is_active"])


def tax_rule_from(row: dict | None) -> engine.TaxRule | None:
    if row is None:
        return None
    bands = tuple(engine.ChildBand(int(band["min_age"]), int(band["max_age"]), Decimal(str(band["amount"])))
                  for band in row["child_bands"] or ())
    valid_to = row["valid_to"]
    return engine.TaxRule(row["name"], row["amount_per_adult_night"], bands, row["max_nights"], row["season_start"],
                          row["season_end"], row["collected_on_site"], date.fromisoformat(row["valid_from"]),
                          date.fromisoformat(valid_to) if valid_to else None)


def engine_property(prop: Property, seasons: str, extras: str, tax_rule: str | None) -> engine.PricingProperty:
    """The engine's view of a property from the JSON columns of `pricing_columns`."""
    return engine.PricingProperty(
        prop.base_nightly_rate, prop.min_stay_nights, prop.max_guests, prop.currency,
        prop.weekly_discount_percent, prop.monthly_discount_percent,
        tuple(season_from(row) for row in decoded(seasons)), tuple(extra_from(row) for row in decoded(extras)),
        tax_rule_from(decoded(tax_rule) if tax_rule is not None else None))


def loaded_pricing(prop: Property, start: date, end: date, ignore_source: uuid.UUID | None = None):
    """(engine property, free) of a loaded property for [start, end), in one statement."""
    seasons, extras, tax_rule, free = db.session.execute(pricing_statement(ignore_source is not None), {
        "property_id": prop.id, "agency_id": prop.agency_id, "rule_id": prop.visitor_tax_rule_id,
        "start": start, "end": end, "ignore_source": ignore_source}).one()
    return engine_property(prop, seasons, extras, tax_rule), free


def pricing_of(prop: Property, start: date, end: date) -> engine.PricingProperty:
    """The engine's view of a loaded property: its seasons overlapping [start, end), extras, tax rule."""
    return loaded_pricing(prop, start, end)[0]


def load_priced_property(agency_id: uuid.UUID, property_id: uuid.UUID, start: date, end: date, *,
                         also: tuple = ()) -> PricedProperty:
    """The agency's property with its pricing rows for [start, end) in one statement.

    `also` are functions of the property's id column whose expressions the statement evaluates too (e.g. the
    inventory's property lock, so a booking takes it without a round trip of its own). Raises NotFound
    "Property not found".
    """
    row = db.session.execute(priced_property_statement(also), {
        "agency_id": agency_id, "property_id": property_id, "start": start, "end": end}).first()
    if row is None:
        raise NotFound(PROPERTY_NOT_FOUND)
    prop, seasons, extras, tax_rule, free = row[:5]
    return PricedProperty(prop, engine_property(prop, seasons, extras, tax_rule), free)


def quote_priced(priced: PricedProperty, stay: engine.StayRequest, *, check_rules: bool = True) -> engine.Quote:
    """Price a stay at a property loaded by `load_priced_property` for the stay's dates."""
    result = engine.quote(priced.pricing, stay, check_rules=check_rules)
    return engine.Quote(result.currency, result.nights, result.lines, priced.free and stay.check_out > stay.check_in)


def quote_property(prop: Property, stay: engine.StayRequest, *, check_rules: bool = True,
                   booking_id: uuid.UUID | None = None) -> engine.Quote:
    """Price a stay at a loaded property; occupied dates still get a price, flagged unavailable."""
    pricing, free = loaded_pricing(prop, stay.check_in, stay.check_out, booking_id)
    return quote_priced(PricedProperty(prop, pricing, free), stay, check_rules=check_rules)


def quote_stay(agency_id: uuid.UUID, property_id: uuid.UUID, stay: engine.StayRequest) -> engine.Quote:
    """`POST /api/v1/quotes`: the engine's price of a stay. Raises NotFound, ValidationFailed."""
    return quote_property(get_pricing_property(agency_id, property_id), stay)


def property_rates(agency_id: uuid.UUID, property_id: uuid.UUID, start: date, end: date) -> list[engine.DayRate]:
    """Each night's effective rate, minimum stay and arrival rule in [start, end)."""
    if end <= start:
        raise ValidationFailed.field("to_date", "to_date must be after from_date", loc_prefix="query")
    if (end - start).days > MAX_RATES_WINDOW_DAYS:
        raise ValidationFailed.field("to_date", f"At most {MAX_RATES_WINDOW_DAYS} days at once", loc_prefix="query")
    prop = get_pricing_property(agency_id, property_id)
    return engine.effective_rates(pricing_of(prop, start, end), start, end)


def price_lines(booking_id: uuid.UUID) -> list[BookingPriceLine]:
    return list(db.session.scalars(select(BookingPriceLine).where(BookingPriceLine.booking_id == booking_id)
                                   .order_by(BookingPriceLine.position)))


def booked_extras(booking_id: uuid.UUID) -> tuple[engine.ExtraRequest, ...]:
    """The extras a booking holds (to keep them when its dates or guests change)."""
    return tuple(engine.ExtraRequest(line.extra_service_id, line.extra_quantity or 1)
                 for line in price_lines(booking_id) if line.kind == "extra" and line.extra_service_id)


def has_manual_price(booking_id: uuid.UUID) -> bool:
    return any(line.kind == "manual" for line in price_lines(booking_id))


def add_price_lines(booking: Booking, lines: list[engine.Line]) -> list[BookingPriceLine]:
    """Add the booking's lines (flushed with it); total_price = the lines payable now."""
    rows = [
        BookingPriceLine(booking_id=booking.id, kind=line.kind, label=line.label, quantity=line.quantity,
                         unit_amount=line.unit_amount, amount=line.amount, vat_percent=line.vat_percent,
                         collected_on_site=line.collected_on_site, position=position,
                         extra_service_id=line.extra_service_id, extra_quantity=line.extra_quantity)
        for position, line in enumerate(lines)]
    db.session.add_all(rows)
    booking.total_price = sum((line.amount for line in lines if not line.collected_on_site), Decimal("0.00"))
    return rows


def write_price_lines(booking: Booking, lines: list[engine.Line]) -> None:
    """Replace the booking's lines (same transaction as the booking)."""
    db.session.execute(delete(BookingPriceLine).where(BookingPriceLine.booking_id == booking.id))
    add_price_lines(booking, lines)
    db.session.flush()


def manual_line(total: Decimal) -> engine.Line:
    return engine.Line("manual", MANUAL_LABEL, 1, engine.money(total), engine.money(total))
