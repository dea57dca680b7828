"""The pricing engine as a pure function: properties that hold for every input, and worked examples."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationFailed
from app.pricing import engine
from app.pricing.engine import ChildBand, Extra, ExtraRequest, PricingProperty, Season, StayRequest, TaxRule
from app.pricing.models import BILLING_UNITS

START = date(2030, 1, 1)
money_values = st.decimals(min_value=Decimal("1"), max_value=Decimal("999.99"), places=2)
extra_prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99.99"), places=2)


@st.composite
def seasons(draw, max_count: int = 4) -> tuple[Season, ...]:
    """Non-overlapping seasons somewhere in the first 120 days of 2030."""
    cuts = sorted(draw(st.sets(st.integers(0, 120), min_size=0, max_size=2 * max_count)))
    result = []
    for index, (first, last) in enumerate(zip(cuts[::2], cuts[1::2])):
        if last > first:
            result.append(Season(f"S{index}", START + timedelta(first), START + timedelta(last), draw(money_values),
                                 draw(st.none() | money_values), draw(st.none() | st.integers(1, 3))))
    return tuple(result)


@st.composite
def extras(draw) -> tuple[Extra, ...]:
    units = draw(st.lists(st.sampled_from(BILLING_UNITS), max_size=4))
    return tuple(Extra(uuid.UUID(int=index + 1), f"Extra {index}", draw(extra_prices), unit,
                       draw(st.booleans()), 5, draw(st.sampled_from([Decimal("0"), Decimal("7"), Decimal("19")])))
                 for index, unit in enumerate(units))


@st.composite
def tax_rules(draw) -> TaxRule | None:
    if draw(st.booleans()):
        return None
    return TaxRule("Kurtaxe", draw(st.decimals(min_value=Decimal("0"), max_value=Decimal("9.99"), places=2)),
                   (ChildBand(0, 5, Decimal("0")), ChildBand(6, 17, Decimal("1.10"))),
                   draw(st.none() | st.integers(1, 30)), collected_on_site=draw(st.booleans()))


@st.composite
def priced_stays(draw):
    prop = PricingProperty(draw(money_values), 1, 20, "EUR", draw(st.sampled_from([Decimal("0"), Decimal("10")])),
                           draw(st.sampled_from([Decimal("0"), Decimal("25.5")])), draw(seasons()), draw(extras()),
                           draw(tax_rules()))
    check_in = START + timedelta(draw(st.integers(0, 110)))
    nights = draw(st.integers(1, 40))
    wanted = tuple(ExtraRequest(extra.id, draw(st.integers(1, extra.max_quantity)))
                   for extra in prop.extras if draw(st.booleans()))
    stay = StayRequest(check_in, check_in + timedelta(nights), draw(st.integers(1, 6)),
                       tuple(draw(st.lists(st.integers(0, 17), max_size=4))), None, wanted)
    return prop, stay


def quote(prop, stay):
    return engine.quote(prop, stay, check_rules=False)


@settings(max_examples=150, deadline=None)
@given(priced_stays())
def test_total_is_the_sum_of_the_lines(case):
    result = quote(*case)
    assert result.total + result.on_site_total == sum((line.amount for line in result.lines), Decimal("0"))
    assert result.total == sum((line.amount for line in result.lines if not line.collected_on_site), Decimal("0"))
    assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in result.lines)


@settings(max_examples=150, deadline=None)
@given(priced_stays())
def test_the_same_input_gives_the_same_output(case):
    assert quote(*case) == quote(*case)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BILLING_UNITS), extra_prices, st.integers(1, 9), st.integers(1, 30), st.integers(1, 8))
def test_every_billing_unit_charges_its_formula(unit, price, quantity, nights, guests):
    extra = Extra(uuid.uuid4(), "Service", price, unit, max_quantity=9)
    prop = PricingProperty(Decimal("100"), max_guests=10, extras=(extra,))
    stay = StayRequest(START, START + timedelta(nights), guests, (), None, (ExtraRequest(extra.id, quantity),))
    line = next(line for line in quote(prop, stay).lines if line.kind == "extra")
    expected = {"per_stay": price, "per_night": price * nights, "per_person": price * guests,
                "per_person_night": price * guests * nights, "per_unit": price * quantity,
                "per_unit_night": price * quantity * nights}[unit]
    assert line.amount == expected
    if unit == "per_unit_night":
        assert line.amount == price * quantity * nights and line.extra_quantity == quantity


@settings(max_examples=150, deadline=None)
@given(priced_stays(), st.data())
def test_splitting_a_stay_never_changes_the_nights_subtotal(case, data):
    prop, stay = case
    if stay.nights < 2:
        return
    split = stay.check_in + timedelta(data.draw(st.integers(1, stay.nights - 1)))
    whole = quote(prop, stay).nights_subtotal
    first = quote(prop, replace(stay, check_out=split)).nights_subtotal
    second = quote(prop, replace(stay, check_in=split)).nights_subtotal
    assert whole == first + second


@settings(max_examples=150, deadline=None)
@given(priced_stays(), money_values)
def test_a_season_edit_changes_only_its_own_nights(case, new_rate):
    prop, _ = case
    if not prop.seasons:
        return
    edited = prop.seasons[0]
    changed = replace(prop, seasons=(replace(edited, nightly_rate=new_rate, weekend_rate=None),) + prop.seasons[1:])
    before = engine.effective_rates(prop, START, START + timedelta(160))
    after = engine.effective_rates(changed, START, START + timedelta(160))
    for old, new in zip(before, after):
        if not edited.covers(old.date):
            assert old == new
        else:
            assert new.nightly_rate == engine.money(new_rate)


def test_weekend_rate_applies_to_friday_and_saturday_nights():
    summer = Season("Summer", date(2030, 6, 1), date(2030, 9, 1), Decimal("100"), Decimal("130"))
    prop = PricingProperty(Decimal("80"), seasons=(summer,))
    nights = engine.effective_rates(prop, date(2030, 6, 6), date(2030, 6, 10))  # Thursday to Monday
    assert [(n.date.isoweekday(), n.nightly_rate, n.source) for n in nights] == [
        (4, Decimal("100.00"), "Summer"), (5, Decimal("130.00"), "Summer"), (6, Decimal("130.00"), "Summer"),
        (7, Decimal("100.00"), "Summer")]
    assert engine.effective_rates(prop, date(2030, 9, 1), date(2030, 9, 2))[0].source == "base"


def test_the_larger_stay_discount_applies_alone():
    prop = PricingProperty(Decimal("100"), weekly_discount_percent=Decimal("10"),
                           monthly_discount_percent=Decimal("5"), max_guests=4)
    month = quote(prop, StayRequest(START, START + timedelta(28)))
    assert [line.amount for line in month.lines if line.kind == "discount"] == [Decimal("-280.00")]
    assert month.total == Decimal("2520.00")
    assert not [line for line in quote(prop, StayRequest(START, START + timedelta(6))).lines if line.kind == "discount"]


# The worked Kurtaxe example: 2 adults and children of 4 and 15; 2.50 per adult and night, ages 0-5 free,
# 6-17 half; at most 21 nights; taxed from 1 April to 31 October; collected on site.
KURTAXE = TaxRule("Kurtaxe", Decimal("2.50"), (ChildBand(0, 5, Decimal("0")), ChildBand(6, 17, Decimal("1.25"))),
                  max_nights=21, season_start="04-01", season_end="10-31", collected_on_site=True)


@pytest.mark.parametrize("check_in, check_out, adult_tax, child_tax, on_site", [
    # 28 Oct - 2 Nov: 5 nights, 4 of them in the season (28, 29, 30, 31 Oct): 2 x 2.50 x 4 + 1.25 x 4
    (date(2030, 10, 28), date(2030, 11, 2), Decimal("20.00"), Decimal("5.00"), Decimal("25.00")),
    # 1 Oct - 5 Nov: 31 nights in the season, capped at 21: 2 x 2.50 x 21 + 1.25 x 21
    (date(2030, 10, 1), date(2030, 11, 5), Decimal("105.00"), Decimal("26.25"), Decimal("131.25")),
    # November only: outside the season, no visitor tax
    (date(2030, 11, 1), date(2030, 11, 5), None, None, Decimal("0.00")),
])
def test_worked_kurtaxe_example(check_in, check_out, adult_tax, child_tax, on_site):
    prop = PricingProperty(Decimal("90.00"), max_guests=4, tax_rule=KURTAXE)
    result = quote(prop, StayRequest(check_in, check_out, 2, (4, 15)))
    tax = {line.label.split(": ")[1].split(" ×")[0]: line.amount for line in result.lines if line.kind == "visitor_tax"}
    assert tax.get("2 adults") == adult_tax and tax.get("1 child") == child_tax
    assert all(line.collected_on_site for line in result.lines if line.kind == "visitor_tax")
    assert result.on_site_total == on_site
    assert result.total == Decimal("90.00") * (check_out - check_in).days  # the tax is not part of the total


def test_a_child_outside_every_band_pays_the_adult_amount():
    rule = TaxRule("Tax", Decimal("2.00"), (ChildBand(0, 5, Decimal("0")),))
    result = quote(PricingProperty(Decimal("50"), max_guests=4, tax_rule=rule), StayRequest(START, START + timedelta(2),
                                                                                              1, (12,)))
    assert [(line.label, line.amount) for line in result.lines if line.kind == "visitor_tax"] == [
        ("Tax: 1 adult × 2 nights", Decimal("4.00")), ("Tax: 1 child × 2 nights", Decimal("4.00"))]


def rule_error(prop, stay) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        engine.quote(prop, stay)
    error = caught.value.detail[0]
    return error["loc"][-1], error["msg"]


def test_each_rule_is_a_field_error_with_a_readable_message():
    cot = Extra(uuid.uuid4(), "Cot", Decimal("5"), "per_unit_night", max_quantity=1)
    old = Extra(uuid.uuid4(), "Old", Decimal("5"), "per_stay", is_active=False)
    summer = Season("Summer", date(2030, 6, 1), date(2030, 9, 1), Decimal("100"), min_stay_nights=7,
                    arrival_weekdays=(6,))
    prop = PricingProperty(Decimal("80"), min_stay_nights=2, max_guests=3, seasons=(summer,), extras=(cot, old))
    saturday = date(2030, 6, 8)
    assert rule_error(prop, StayRequest(saturday, saturday)) == ("check_out", "check_out must be after check_in")
    assert rule_error(prop, StayRequest(saturday, saturday + timedelta(3))) == (
        "check_out", "Stay of 3 night(s) is shorter than the minimum stay of 7 night(s) (the season Summer)")
    assert rule_error(prop, StayRequest(date(2030, 5, 1), date(2030, 5, 2)))[1].endswith("(the property)")
    assert rule_error(prop, StayRequest(saturday + timedelta(1), saturday + timedelta(8))) == (
        "check_in", "Arrival on a Sunday is not possible in season Summer; arrivals on: Saturday")
    assert rule_error(prop, StayRequest(saturday, saturday + timedelta(7), 3, (4,)))[0] == "adults"
    assert rule_error(prop, StayRequest(saturday, saturday + timedelta(7), 1, (18,)))[0] == "children_ages"
    assert rule_error(prop, StayRequest(saturday, saturday + timedelta(7), 1, (5,), 2))[0] == "children_ages"
    too_many = StayRequest(saturday, saturday + timedelta(7), extras=(ExtraRequest(cot.id, 2),))
    assert rule_error(prop, too_many) == ("extras", "Cot: quantity must be between 1 and 1")
    assert rule_error(prop, replace(too_many, extras=(ExtraRequest(old.id),))) == ("extras", "Old is no longer offered")
    assert rule_error(prop, replace(too_many, extras=(ExtraRequest(uuid.UUID(int=9)),)))[0] == "extras"


def test_mandatory_extras_are_always_included():
    cleaning = Extra(uuid.uuid4(), "Final cleaning", Decimal("60"), "per_stay", is_mandatory=True)
    linen = Extra(uuid.uuid4(), "Bed linen", Decimal("12.5"), "per_person")
    prop = PricingProperty(Decimal("100"), max_guests=4, extras=(cleaning, linen))
    result = quote(prop, StayRequest(START, START + timedelta(3), 2, (), None, (ExtraRequest(linen.id),)))
    assert [(line.label, line.amount) for line in result.lines] == [
        ("3 nights at 100.00", Decimal("300.00")), ("Final cleaning", Decimal("60.00")),
        ("Bed linen", Decimal("25.00"))]
    assert result.total == Decimal("385.00")
