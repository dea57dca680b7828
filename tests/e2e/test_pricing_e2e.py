"""In a real browser: a season is created by selecting a range in the Rates grid, an overlapping season
answers inline in the dialog, and a booking with an extra shows its itemised total and keeps the same
lines on the booking page. Screenshots go to test-artifacts/."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot
from tests.factories import committed, day

pytestmark = pytest.mark.slow


def test_season_by_range_selection_and_overlap_inline(page, app, make_user, make_property):
    from app.pricing import service as pricing

    user = make_user(role="manager")
    prop = make_property(user.agency, name="Dünenhaus", base_nightly_rate=110)
    first = day(40).replace(day=8)
    login_as(page, user)
    page.goto(f"/pricing/rates?property_id={prop.id}&month={first:%Y-%m}")
    page.click(f"#rate-{first}")
    page.click(f"#rate-{first + timedelta(days=5)}")
    page.wait_for_selector("dialog#season-dialog[open]")
    assert page.input_value("#season-start_date") == str(first)
    assert page.input_value("#season-end_date") == str(first + timedelta(days=5))
    page.fill("#season-name", "Summer")
    page.fill("#season-nightly_rate", "175")
    page.fill("#season-min_stay_nights", "3")
    page.click("#save-season")
    page.wait_for_selector("dialog#season-dialog", state="detached")
    cell = page.wait_for_selector(f"#rate-{first}.band-0")  # the grid refreshed itself
    assert "175.00" in cell.inner_text() and "min 3" in cell.inner_text()
    assert "110.00" in page.inner_text(f"#rate-{first + timedelta(days=5)}")
    assert "Summer" in page.inner_text("#season-list")
    screenshot(page, "pricing-rates")

    committed(app, lambda: pricing.create_season(prop.agency_id, prop.id, name="Autumn",
                                                 start_date=first + timedelta(days=10),
                                                 end_date=first + timedelta(days=20), nightly_rate=Decimal("90")))
    page.reload()
    page.click(f"#rate-{first + timedelta(days=8)}")
    page.click(f"#rate-{first + timedelta(days=12)}")
    page.wait_for_selector("dialog#season-dialog[open]")
    page.fill("#season-name", "Late summer")
    page.fill("#season-nightly_rate", "140")
    page.click("#save-season")
    error = page.wait_for_selector("#season-form-error")
    assert "Another season of this property already covers some of these nights" in error.inner_text()
    assert page.input_value("#season-name") == "Late summer"  # the dialog stayed, with what was typed
    screenshot(page, "pricing-season-overlap")


def test_booking_with_an_extra_shows_the_total_and_keeps_the_lines(page, app, make_user, make_property):
    from app.pricing import service as pricing

    user = make_user(role="manager")
    prop = make_property(user.agency, name="Seeblick", base_nightly_rate=100, max_guests=4)

    def price_it():
        cleaning = pricing.create_extra_service(prop.agency_id, name="Final cleaning", price=Decimal("50"),
                                                billing_unit="per_stay", is_mandatory=True)
        cot = pricing.create_extra_service(prop.agency_id, name="Cot", price=Decimal("7.50"),
                                           billing_unit="per_unit_night", max_quantity=2)
        pricing.set_property_extras(prop.agency_id, prop.id, [(cleaning.id, None), (cot.id, None)])
        return cot
    cot = committed(app, price_it)
    login_as(page, user)
    page.goto(f"/bookings/new?property_id={prop.id}")
    page.fill("#booking-check_in", str(day(20)))
    page.fill("#booking-check_out", str(day(24)))
    page.locator("#booking-check_out").dispatch_event("change")
    expect(page.locator("#quote-total")).to_contain_text("450.00")
    page.fill(f"#extra-qty-{cot.id}", "2")
    page.locator(f"#extra-qty-{cot.id}").dispatch_event("change")
    expect(page.locator("#quote-total")).to_contain_text("510.00")
    lines = page.inner_text("#quote-lines")
    assert "4 nights" in lines and "Final cleaning" in lines and "Cot × 2" in lines and "60.00" in lines
    screenshot(page, "pricing-booking-quote")
    page.click("#create-booking")
    page.wait_for_url("**/bookings/*-*")
    detail = page.inner_text("#booking-price-lines")
    assert "Cot × 2" in detail and "Final cleaning" in detail
    assert "510.00" in page.inner_text("#booking-total")
    screenshot(page, "pricing-booking-lines")
