"""Pricing pages: the rates grid and its htmx partial, season/extra/tax dialogs with inline 409/422,
extras on the property form, the booking form's live quote, lines on the booking page, roles."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.pricing.models import BILLING_UNITS
from tests.factories import committed, day, hx


def text(response) -> str:
    return response.get_data(as_text=True)


def add_extra(app, agency_id, **fields):
    from app.pricing import service

    values = {"name": "Cot", "price": Decimal("6"), "billing_unit": "per_unit_night", "max_quantity": 2, **fields}
    return committed(app, lambda: service.create_extra_service(agency_id, **values))


def test_rates_page_shows_engine_rates_and_the_grid_partial(logged_in, app, make_property):
    from app.pricing import service

    client = logged_in("manager")
    prop = make_property(client.user.agency, base_nightly_rate=90, min_stay_nights=2)
    first = day(40).replace(day=3)
    committed(app, lambda: service.create_season(prop.agency_id, prop.id, name="Summer", start_date=first,
                                                 end_date=first.replace(day=10), nightly_rate=Decimal("160"),
                                                 min_stay_nights=4))
    url = f"/pricing/rates?property_id={prop.id}&month={first:%Y-%m}"
    page = client.get(url)
    assert page.status_code == 200 and 'id="pricing-nav"' in text(page)
    cell = re.search(rf'id="rate-{first}"[^>]*>(.*?)</button>', text(page), re.S)
    assert "band-0" in text(page) and "160.00" in cell.group(1) and "min 4" in cell.group(1)
    partial = client.get(url, headers=hx())
    assert text(partial).lstrip().startswith('<section id="rates-grid"') and "<html" not in text(partial)
    assert 'hx-trigger="rates-changed from:body"' in text(partial) and 'id="season-list"' in text(partial)
    assert client.get("/pricing/rates?month=2030-13").status_code == 422


def test_season_dialog_creates_and_answers_overlap_inline(logged_in, make_property):
    client = logged_in("admin")
    prop = make_property(client.user.agency)
    dialog = client.get(f"/pricing/seasons/new?property_id={prop.id}&from_date={day(20)}&to_date={day(27)}")
    assert dialog.status_code == 200 and f'value="{day(20)}"' in text(dialog)
    form = {"name": "Summer", "start_date": str(day(20)), "end_date": str(day(27)), "nightly_rate": "150",
            "arrival_weekdays": ["6", "7"]}
    created = client.post(f"/pricing/properties/{prop.id}/seasons", data=form, headers=hx())
    assert created.status_code == 200 and "rates-changed" in created.headers["HX-Trigger"]
    overlap = client.post(f"/pricing/properties/{prop.id}/seasons", data={**form, "name": "Again"}, headers=hx())
    assert overlap.status_code == 409 and 'id="season-form-error"' in text(overlap)
    assert 'value="Again"' in text(overlap) and 'value="6" checked' in text(overlap)
    bad = client.post(f"/pricing/properties/{prop.id}/seasons", data={**form, "nightly_rate": "0"}, headers=hx())
    assert bad.status_code == 422 and 'id="season-nightly_rate-error"' in text(bad)
    season_id = re.search(r'id="season-([0-9a-f-]{36})"', text(client.get(f"/pricing/rates?property_id={prop.id}"
                                                                               f"&month={day(20):%Y-%m}"))).group(1)
    assert client.get(f"/pricing/seasons/{season_id}/delete").status_code == 200
    deleted = client.post(f"/pricing/seasons/{season_id}/delete", headers=hx())
    assert deleted.status_code == 200 and "rates-changed" in deleted.headers["HX-Trigger"]


@pytest.mark.parametrize("unit", BILLING_UNITS)
def test_every_billing_unit_round_trips_through_the_form(logged_in, app, unit):
    from app.extensions import db
    from app.pricing.models import ExtraService

    client = logged_in("manager")
    created = client.post("/pricing/extras", headers=hx(), data={
        "name": f"Service {unit}", "price": "4.20", "billing_unit": unit, "max_quantity": "3", "vat_percent": "7",
        "is_active": "on"})
    assert created.status_code == 200, text(created)
    with app.app_context():
        extra = db.session.query(ExtraService).filter_by(name=f"Service {unit}").one()
        assert (extra.billing_unit, extra.price, extra.max_quantity) == (unit, Decimal("4.20"), 3)
        extra_id = extra.id
    edit = client.get(f"/pricing/extras/{extra_id}/edit")
    assert re.search(rf'<option value="{unit}"\s+selected', text(edit))
    assert f'data-unit="{unit}"' in text(client.get("/pricing/extras"))


def test_extra_is_deactivated_in_place(logged_in, app):
    client = logged_in("admin")
    extra = add_extra(app, client.user.agency.id)
    row = client.post(f"/pricing/extras/{extra.id}/active", data={"is_active": "false"}, headers=hx())
    assert row.status_code == 200 and text(row).lstrip().startswith(f'<tr id="extra-{extra.id}"')
    assert "Inactive" in text(row) and ">Activate<" in text(row)


def test_visitor_tax_rule_form_with_child_bands(logged_in, app):
    from app.pricing import service

    client = logged_in("admin")
    form = {"name": "Kurtaxe", "amount_per_adult_night": "2.50", "season_start": "04-01", "season_end": "10-31",
            "max_nights": "21", "collected_on_site": "on", "band_min_age_0": "0", "band_max_age_0": "5",
            "band_amount_0": "0", "band_min_age_1": "6", "band_max_age_1": "17", "band_amount_1": "1.25"}
    assert client.post("/pricing/visitor-tax", data=form, headers=hx()).status_code == 200
    with app.app_context():
        [rule] = service.list_tax_rules(client.user.agency.id)
        assert rule.child_bands == [{"min_age": 0, "max_age": 5, "amount": 0.0},
                                    {"min_age": 6, "max_age": 17, "amount": 1.25}]
        assert (rule.season_start, rule.max_nights, rule.collected_on_site) == ("04-01", 21, True)
    overlapping = client.post("/pricing/visitor-tax", headers=hx(), data={**form, "band_min_age_1": "4"})
    assert overlapping.status_code == 422 and "Child bands overlap at age 4" in text(overlapping)
    assert "04-01 → 10-31" in text(client.get("/pricing/visitor-tax"))


def test_property_form_assigns_extras_and_the_tax_rule(logged_in, app, make_property):
    from app.pricing import service

    client = logged_in("manager")
    prop = make_property(client.user.agency, name="Haus")
    cot, linen = add_extra(app, prop.agency_id), add_extra(app, prop.agency_id, name="Linen", billing_unit="per_person")
    rule = committed(app, lambda: service.create_tax_rule(prop.agency_id, name="Kurtaxe", municipality="",
                                                          amount_per_adult_night=Decimal("2"), child_bands=[],
                                                          collected_on_site=False, valid_from=day(0)))
    form = {"name": "Haus", "max_guests": "4", "bedrooms": "1", "min_stay_nights": "1", "max_advance_days": "730",
            "base_nightly_rate": "100", "currency": "EUR", "timezone": "Europe/Berlin", "check_in_time": "15:00",
            "check_out_time": "10:00", "weekly_discount_percent": "10", "visitor_tax_rule_id": str(rule.id),
            f"assign_{cot.id}": "on", f"assign_price_{cot.id}": "4.50", f"assign_{linen.id}": "on"}
    saved = client.post(f"/properties/{prop.id}/edit", data=form, headers=hx())
    assert saved.status_code == 200 and saved.headers.get("HX-Redirect"), text(saved)
    with app.app_context():
        assigned = {extra.name: override for extra, override in service.property_assignments(prop.agency_id, prop.id)}
        assert assigned == {"Cot": Decimal("4.50"), "Linen": None}
        priced = service.get_pricing_property(prop.agency_id, prop.id)
        assert (priced.visitor_tax_rule_id, priced.weekly_discount_percent) == (rule.id, Decimal("10"))
    edit = text(client.get(f"/properties/{prop.id}/edit"))
    assert f'name="assign_{cot.id}" checked' in edit and 'value="4.50"' in edit
    bad = client.post(f"/properties/{prop.id}/edit", headers=hx(), data={**form, f"assign_price_{cot.id}": "-1"})
    assert bad.status_code == 422 and f'name="assign_{cot.id}" checked' in text(bad)


def test_booking_form_quote_preview_and_lines_on_the_booking(logged_in, app, make_property):
    from app.pricing import service

    client = logged_in("staff")
    prop = make_property(client.user.agency, base_nightly_rate=100, max_guests=4)
    cot = add_extra(app, prop.agency_id)
    committed(app, lambda: service.set_property_extras(prop.agency_id, prop.id, [(cot.id, None)])
              and service.get_pricing_property(prop.agency_id, prop.id))
    form = {"property_id": str(prop.id), "check_in": str(day(10)), "check_out": str(day(13)), "adults": "2",
            "children": "1", "children_ages": "4", f"extra_qty_{cot.id}": "2"}
    preview = client.post("/pricing/quote-preview", data=form, headers=hx())
    assert preview.status_code == 200 and text(preview).lstrip().startswith('<section id="booking-quote"')
    assert re.search(r'id="quote-total">336.00 EUR<', text(preview))
    assert "load," not in text(preview)  # the swapped panel waits for the next change
    short = client.post("/pricing/quote-preview", data={**form, "check_out": str(day(10))}, headers=hx())
    assert "Check-out must be after check-in" in text(short)
    assert "Choose a property" in text(client.post("/pricing/quote-preview", data={}, headers=hx()))
    created = client.post("/bookings", data=form, headers=hx())
    assert created.status_code == 200 and created.headers.get("HX-Redirect"), text(created)
    detail = text(client.get(created.headers["HX-Redirect"]))
    assert "Cot × 2" in detail and re.search(r'id="booking-total">336.00 EUR<', detail)
    too_many = client.post("/bookings", headers=hx(), data={**form, "check_in": str(day(20)),
                                                            "check_out": str(day(22)), f"extra_qty_{cot.id}": "3"})
    assert too_many.status_code == 422 and "Cot: quantity must be between 1 and 2" in text(too_many)


def test_staff_reads_pricing_but_cannot_change_it(logged_in, app, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency)
    rates = text(client.get(f"/pricing/rates?property_id={prop.id}"))
    assert "data-range-url" not in rates and "Edit</button>" not in rates
    assert 'id="new-extra"' not in text(client.get("/pricing/extras"))
    assert client.post(f"/pricing/properties/{prop.id}/seasons", data={}).status_code == 403
    assert client.post("/pricing/extras", data={}).status_code == 403


def test_visitor_tax_rule_is_deactivated_from_today(logged_in, app, make_property):
    from app.pricing import engine, service

    client = logged_in("admin")
    rule = committed(app, lambda: service.create_tax_rule(client.user.agency.id, name="Kurtaxe", municipality="",
                                                          amount_per_adult_night=Decimal("2"), child_bands=[],
                                                          collected_on_site=False, valid_from=day(-30)))
    prop = make_property(client.user.agency, visitor_tax_rule_id=rule.id)
    ended = client.post(f"/pricing/visitor-tax/{rule.id}/deactivate", headers=hx())
    assert ended.status_code == 200 and "tax-rules-changed" in ended.headers["HX-Trigger"]
    with app.app_context():
        stored = service.get_tax_rule(rule.agency_id, rule.id)
        tax_rule = service.pricing_of(service.get_pricing_property(prop.agency_id, prop.id), day(0), day(3)).tax_rule
        assert stored.valid_to == day(-1) and tax_rule.valid_to == day(-1) and not tax_rule.taxes(day(0))
        assert engine.visitor_tax_lines(tax_rule, engine.StayRequest(day(1), day(3))) == []
    assert "Ended" in text(client.get("/pricing/visitor-tax"))
    future = committed(app, lambda: service.create_tax_rule(client.user.agency.id, name="Next year", municipality="",
                                                            amount_per_adult_night=Decimal("2"), child_bands=[],
                                                            collected_on_site=False, valid_from=day(30)))
    refused = client.post(f"/pricing/visitor-tax/{future.id}/deactivate", headers=hx())
    assert "cannot end before it starts" in refused.headers["HX-Trigger"]


def test_staff_book_at_the_engine_price_only(logged_in, make_property):
    client = logged_in("staff")
    prop = make_property(client.user.agency, base_nightly_rate=80)
    assert 'name="total_price"' not in text(client.get(f"/bookings/new?property_id={prop.id}"))
    form = {"property_id": str(prop.id), "check_in": str(day(5)), "check_out": str(day(7)), "total_price": "1"}
    refused = client.post("/bookings", data=form, headers=hx())
    assert refused.status_code == 422 and "Only admins and managers can set a price by hand" in text(refused)
