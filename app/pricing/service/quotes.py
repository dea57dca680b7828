"""Loading a property's pricing rows for the engine, quotes, effective rates and booking price lines."""
from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select

from app.core.errors import ValidationFailed
from app.extensions import db
from app.inventory.models import Booking, InventoryRange, Property
from app.pricing import engine
from app.pricing.models import BookingPriceLine, RateSeason, VisitorTaxRule
from app.pricing.service.extras import assigned_extras
from app.pricing.service.seasons import get_pricing_property

MAX_RATES_WINDOW_DAYS = 400
MANUAL_LABEL = "Total price (set by hand)"


def season_of(row: RateSeason) -> engine.Season:
    return engine.Season(row.name, row.start_date, row.end_date, row.nightly_rate, row.weekend_rate,
                         row.min_stay_nights, tuple(row.arrival_weekdays) if row.arrival_weekdays else None)


def tax_rule_of(row: VisitorTaxRule | None) -> engine.TaxRule | None:
    if row is None:
        return None
    bands = tuple(engine.ChildBand(int(band["min_age"]), int(band["max_age"]), Decimal(str(band["amount"])))
                  for band in row.child_bands or ())
    return engine.TaxRule(row.name, row.amount_per_adult_night, bands, row.max_nights, row.season_start,
                          row.season_end, row.collected_on_site, row.valid_from, row.valid_to)


def pricing_of(prop: Property, start: date | None = None, end: date | None = None) -> engine.PricingProperty:
    """The engine's view of a property: its seasons (overlapping [start, end) when given), extras, tax rule."""
    query = select(RateSeason).where(RateSeason.property_id == prop.id)
    if start is not None and end is not None:
        query = query.where(RateSeason.end_date > start, RateSeason.start_date < end)
    seasons = tuple(season_of(row) for row in db.session.scalars(query.order_by(RateSeason.start_date)))
    extras = tuple(engine.Extra(extra.id, extra.name, override if override is not None else extra.price,
                                extra.billing_unit, extra.is_mandatory, extra.max_quantity, extra.vat_percent,
                                extra.is_active)
                   for extra, override in assigned_extras(prop))
    rule = db.session.get(VisitorTaxRule, prop.visitor_tax_rule_id) if prop.visitor_tax_rule_id else None
    return engine.PricingProperty(
        prop.base_nightly_rate, prop.min_stay_nights, prop.max_guests, prop.currency,
        prop.weekly_discount_percent, prop.monthly_discount_percent, seasons, extras, tax_rule_of(rule))


def is_free(property_id: uuid.UUID, check_in: date, check_out: date, ignore_source: uuid.UUID | None = None) -> bool:
    """No active inventory range (booking, block, channel hold) overlaps the stay, besides `ignore_source`'s."""
    query = select(InventoryRange.id).where(
        InventoryRange.property_id == property_id, InventoryRange.state == "active",
        InventoryRange.start_date < check_out, InventoryRange.end_date > check_in).limit(1)
    if ignore_source is not None:
        query = query.where(InventoryRange.source_id != ignore_source)
    return db.session.scalar(query) is None


def quote_property(prop: Property, stay: engine.StayRequest, *, check_rules: bool = True,
                   booking_id: uuid.UUID | None = None) -> engine.Quote:
    """Price a stay at a loaded property; occupied dates still get a price, flagged unavailable."""
    result = engine.quote(pricing_of(prop, stay.check_in, stay.check_out), stay, check_rules=check_rules)
    free = stay.check_out > stay.check_in and is_free(prop.id, stay.check_in, stay.check_out, booking_id)
    return engine.Quote(result.currency, result.nights, result.lines, free)


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


def write_price_lines(booking: Booking, lines: list[engine.Line]) -> None:
    """Replace the booking's lines (same transaction as the booking); total_price = the lines payable now."""
    db.session.execute(delete(BookingPriceLine).where(BookingPriceLine.booking_id == booking.id))
    db.session.add_all(
        BookingPriceLine(booking_id=booking.id, kind=line.kind, label=line.label, quantity=line.quantity,
                         unit_amount=line.unit_amount, amount=line.amount, vat_percent=line.vat_percent,
                         collected_on_site=line.collected_on_site, position=position,
                         extra_service_id=line.extra_service_id, extra_quantity=line.extra_quantity)
        for position, line in enumerate(lines))
    booking.total_price = sum((line.amount for line in lines if not line.collected_on_site), Decimal("0.00"))
    db.session.flush()


def manual_line(total: Decimal) -> engine.Line:
    return engine.Line("manual", MANUAL_LABEL, 1, engine.money(total), engine.money(total))
