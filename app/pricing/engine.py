"""The pricing engine: one pure function answers every price in the product (spec 80).

`quote()` works on loaded rows only (no database, no clock): the same input
always gives the same output. Money is `Decimal`; every line is rounded half-up
to cents, and totals are sums of rounded lines. Every broken rule raises
`ValidationFailed` with a field and a sentence a person understands.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.core.errors import ValidationFailed

CENT = Decimal("0.01")
WEEKEND_NIGHTS = (5, 6)  # ISO weekdays of Friday and Saturday nights
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEK_NIGHTS, MONTH_NIGHTS = 7, 28
MAX_CHILD_AGE = 17
MAX_QUOTE_NIGHTS = 365
BASE_SOURCE = "base"


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Season:
    name: str
    start_date: date
    end_date: date  # exclusive
    nightly_rate: Decimal
    weekend_rate: Decimal | None = None
    min_stay_nights: int | None = None
    arrival_weekdays: tuple[int, ...] | None = None  # ISO 1-7; None = any day

    def covers(self, night: date) -> bool:
        return self.start_date <= night < self.end_date


@dataclass(frozen=True)
class Extra:
    """An extra service as offered at the property (price override already applied)."""
    id: uuid.UUID
    name: str
    price: Decimal
    billing_unit: str
    is_mandatory: bool = False
    max_quantity: int = 1
    vat_percent: Decimal = Decimal("0")
    is_active: bool = True


@dataclass(frozen=True)
class ChildBand:
    min_age: int
    max_age: int
    amount: Decimal

    def covers(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


@dataclass(frozen=True)
class TaxRule:
    name: str
    amount_per_adult_night: Decimal
    child_bands: tuple[ChildBand, ...] = ()
    max_nights: int | None = None
    season_start: str | None = None  # "MM-DD", first taxed night
    season_end: str | None = None  # "MM-DD", last taxed night
    collected_on_site: bool = False
    valid_from: date = date.min
    valid_to: date | None = None  # last night the rule applies to

    def taxes(self, night: date) -> bool:
        if night < self.valid_from or (self.valid_to is not None and night > self.valid_to):
            return False
        if self.season_start is None or self.season_end is None:
            return True
        day = night.strftime("%m-%d")
        if self.season_start <= self.season_end:
            return self.season_start <= day <= self.season_end
        return day >= self.season_start or day <= self.season_end  # a season over New Year

    def child_amount(self, age: int) -> Decimal:
        """A child outside every band pays the adult amount."""
        band = next((band for band in self.child_bands if band.covers(age)), None)
        return band.amount if band else self.amount_per_adult_night


@dataclass(frozen=True)
class PricingProperty:
    """Everything the engine needs about one property, loaded beforehand."""
    base_nightly_rate: Decimal
    min_stay_nights: int = 1
    max_guests: int = 2
    currency: str = "EUR"
    weekly_discount_percent: Decimal = Decimal("0")
    monthly_discount_percent: Decimal = Decimal("0")
    seasons: tuple[Season, ...] = ()
    extras: tuple[Extra, ...] = ()  # the services assigned to the property
    tax_rule: TaxRule | None = None

    def season_of(self, night: date) -> Season | None:
        return next((season for season in self.seasons if season.covers(night)), None)


@dataclass(frozen=True)
class DayRate:
    """A night's effective price and the stay rules of an arrival on it."""
    date: date
    nightly_rate: Decimal
    min_stay_nights: int
    arrival_allowed: bool
    source: str  # the season's name or "base"


@dataclass(frozen=True)
class Line:
    kind: str  # nights, discount, extra, visitor_tax
    label: str
    quantity: int
    unit_amount: Decimal
    amount: Decimal
    vat_percent: Decimal = Decimal("0")
    collected_on_site: bool = False
    extra_service_id: uuid.UUID | None = None
    extra_quantity: int | None = None
    # what the label says, as values, so a website can word it in the visitor's language
    terms: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    currency: str
    nights: tuple[DayRate, ...]
    lines: tuple[Line, ...]
    available: bool = True

    @property
    def total(self) -> Decimal:
        """Payable with the booking: every line not collected on site."""
        return sum((line.amount for line in self.lines if not line.collected_on_site), Decimal("0.00"))

    @property
    def on_site_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.collected_on_site), Decimal("0.00"))

    @property
    def nights_subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == "nights"), Decimal("0.00"))


@dataclass(frozen=True)
class ExtraRequest:
    extra_service_id: uuid.UUID
    quantity: int = 1


@dataclass(frozen=True)
class StayRequest:
    check_in: date
    check_out: date
    adults: int = 1
    children_ages: tuple[int, ...] | None = ()  # None: the ages are not known (children pay as adults)
    children: int | None = None  # defaults to len(children_ages)
    extras: tuple[ExtraRequest, ...] = field(default_factory=tuple)

    @property
    def child_count(self) -> int:
        return self.children if self.children is not None else len(self.children_ages or ())

    @property
    def guests(self) -> int:
        return self.adults + self.child_count

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


def day_rate(prop: PricingProperty, night: date) -> DayRate:
    season = prop.season_of(night)
    if season is None:
        return DayRate(night, money(prop.base_nightly_rate), prop.min_stay_nights, True, BASE_SOURCE)
    weekend = season.weekend_rate is not None and night.isoweekday() in WEEKEND_NIGHTS
    rate = season.weekend_rate if weekend else season.nightly_rate
    allowed = season.arrival_weekdays is None or night.isoweekday() in season.arrival_weekdays
    return DayRate(night, money(rate), season.min_stay_nights or prop.min_stay_nights, allowed, season.name)


def effective_rates(prop: PricingProperty, start: date, end: date) -> list[DayRate]:
    """Each night's rate, min stay and arrival rule in [start, end)."""
    return [day_rate(prop, start + timedelta(days=offset)) for offset in range((end - start).days)]


def fail(field_name: str, message: str):
    raise ValidationFailed.field(field_name, message)


def check_stay_rules(prop: PricingProperty, stay: StayRequest, arrival: DayRate) -> None:
    """The minimum stay and arrival day of the arrival night's season (or the property), the guest limit."""
    if stay.nights < arrival.min_stay_nights:
        where = f"season {arrival.source}" if arrival.source != BASE_SOURCE else "property"
        fail("check_out", f"Stay of {stay.nights} night(s) is shorter than the minimum stay of "
                          f"{arrival.min_stay_nights} night(s) (the {where})")
    if not arrival.arrival_allowed:
        season = prop.season_of(stay.check_in)
        days = ", ".join(WEEKDAY_NAMES[day - 1] for day in sorted(season.arrival_weekdays))
        fail("check_in", f"Arrival on a {WEEKDAY_NAMES[stay.check_in.isoweekday() - 1]} is not possible "
                         f"in season {season.name}; arrivals on: {days}")
    if stay.guests > prop.max_guests:
        fail("adults", f"{stay.guests} guests are more than the property's maximum of {prop.max_guests}")


def check_request(stay: StayRequest) -> None:
    if stay.check_out <= stay.check_in:
        fail("check_out", "check_out must be after check_in")
    if stay.nights > MAX_QUOTE_NIGHTS:
        fail("check_out", f"A stay can be priced for at most {MAX_QUOTE_NIGHTS} nights")
    if stay.adults < 0:
        fail("adults", "adults must not be negative")
    ages = stay.children_ages
    if ages is not None and stay.children is not None and len(ages) != stay.children:
        fail("children_ages", f"Give one age per child: {stay.children} child(ren) but {len(ages)} age(s)")
    if ages is not None and any(age < 0 or age > MAX_CHILD_AGE for age in ages):
        fail("children_ages", f"Children's ages must be between 0 and {MAX_CHILD_AGE}")


def nights_lines(nights: Sequence[DayRate]) -> list[Line]:
    """One line per rate and source, in the order they first occur."""
    groups: dict[tuple[str, Decimal], int] = {}
    for night in nights:
        groups[(night.source, night.nightly_rate)] = groups.get((night.source, night.nightly_rate), 0) + 1
    lines = []
    for (source, rate), count in groups.items():
        label = f"{count} night{'s' if count != 1 else ''} at {rate}" + (f" ({source})" if source != BASE_SOURCE else "")
        season = source if source != BASE_SOURCE else None
        lines.append(Line("nights", label, count, rate, money(rate * count),
                          terms={"nights": count, "rate": rate, "season": season}))
    return lines


def discount_line(prop: PricingProperty, nights: int, subtotal: Decimal) -> Line | None:
    """The larger of the weekly (>= 7 nights) and monthly (>= 28 nights) discount, never both."""
    offers = []
    if nights >= WEEK_NIGHTS and prop.weekly_discount_percent > 0:
        offers.append((Decimal(prop.weekly_discount_percent), "Weekly discount", "weekly"))
    if nights >= MONTH_NIGHTS and prop.monthly_discount_percent > 0:
        offers.append((Decimal(prop.monthly_discount_percent), "Monthly discount", "monthly"))
    if not offers:
        return None
    percent, label, period = max(offers)
    amount = -money(subtotal * percent / 100)
    percent_text = f"{percent.normalize():f}"
    return Line("discount", f"{label} {percent_text}%", 1, amount, amount,
                terms={"period": period, "percent": percent_text})


def unit_multiplier(unit: str, quantity: int, guests: int, nights: int) -> int:
    """How many times an extra's price is charged (spec 80, billing units)."""
    return {"per_stay": 1, "per_night": nights, "per_person": guests, "per_person_night": guests * nights,
            "per_unit": quantity, "per_unit_night": quantity * nights}[unit]


def requested_extras(prop: PricingProperty, wanted: Iterable[ExtraRequest]) -> list[tuple[Extra, int]]:
    """The booked extras with their quantities; mandatory ones always, once unless asked for more."""
    offered = {extra.id: extra for extra in prop.extras}
    chosen: dict[uuid.UUID, int] = {}
    for request in wanted:
        extra = offered.get(request.extra_service_id)
        if extra is None:
            fail("extras", f"Extra service {request.extra_service_id} is not offered at this property")
        if not extra.is_active:
            fail("extras", f"{extra.name} is no longer offered")
        if extra.id in chosen:
            fail("extras", f"{extra.name} is listed twice: give it once with a quantity")
        if request.quantity < 1 or request.quantity > extra.max_quantity:
            fail("extras", f"{extra.name}: quantity must be between 1 and {extra.max_quantity}")
        chosen[extra.id] = request.quantity
    for extra in prop.extras:
        if extra.is_mandatory and extra.is_active:
            chosen.setdefault(extra.id, 1)
    return sorted(((offered[extra_id], quantity) for extra_id, quantity in chosen.items()),
                  key=lambda pair: (not pair[0].is_mandatory, pair[0].name, str(pair[0].id)))


def extra_lines(prop: PricingProperty, stay: StayRequest) -> list[Line]:
    lines = []
    for extra, quantity in requested_extras(prop, stay.extras):
        count = unit_multiplier(extra.billing_unit, quantity, stay.guests, stay.nights)
        label = extra.name + (f" × {quantity}" if extra.billing_unit.startswith("per_unit") and quantity > 1 else "")
        lines.append(Line("extra", label, count, money(extra.price), money(extra.price * count), extra.vat_percent,
                          extra_service_id=extra.id, extra_quantity=quantity))
    return lines


def visitor_tax_lines(rule: TaxRule | None, stay: StayRequest) -> list[Line]:
    """Per guest class: taxed nights (in the rule's season and validity, at most max_nights) × amount."""
    if rule is None:
        return []
    taxed = sum(1 for offset in range(stay.nights) if rule.taxes(stay.check_in + timedelta(days=offset)))
    if rule.max_nights is not None:
        taxed = min(taxed, rule.max_nights)
    if taxed == 0:
        return []
    ages = stay.children_ages if stay.children_ages is not None else (None,) * stay.child_count
    classes: dict[tuple[str, Decimal], int] = {("adult", money(rule.amount_per_adult_night)): stay.adults}
    for age in ages:
        key = ("child", money(rule.amount_per_adult_night if age is None else rule.child_amount(age)))
        classes[key] = classes.get(key, 0) + 1
    lines = []
    for (kind, amount), people in classes.items():
        if people == 0 or amount == 0:
            continue
        who = f"{people} {kind}" + ("" if people == 1 else "s" if kind == "adult" else "ren")
        label = f"{rule.name}: {who} × {taxed} night{'s' if taxed != 1 else ''}"
        lines.append(Line("visitor_tax", label, people * taxed, amount, money(amount * people * taxed),
                          collected_on_site=rule.collected_on_site,
                          terms={"rule": rule.name, "people": people, "guest_class": kind, "nights": taxed}))
    return lines


def quote(prop: PricingProperty, stay: StayRequest, *, check_rules: bool = True, available: bool = True) -> Quote:
    """The itemised price of a stay. Raises ValidationFailed (field, message) when a rule is broken.

    check_rules=False prices a stay a channel already sold (min stay, arrival day and guest limit
    are the channel's business then); the request itself is always validated.
    """
    check_request(stay)
    nights = effective_rates(prop, stay.check_in, stay.check_out)
    if check_rules:
        check_stay_rules(prop, stay, nights[0])
    lines = nights_lines(nights)
    subtotal = sum((line.amount for line in lines), Decimal("0.00"))
    discount = discount_line(prop, stay.nights, subtotal)
    lines += [discount] if discount else []
    lines += extra_lines(prop, stay)
    lines += visitor_tax_lines(prop.tax_rule, stay)
    return Quote(prop.currency, tuple(nights), tuple(lines), available)
