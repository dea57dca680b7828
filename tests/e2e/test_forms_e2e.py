"""Forms in a real browser: every error at once, the first invalid field focused, a 0.00 rate warned."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot

pytestmark = pytest.mark.slow


def test_property_form_reports_all_errors_focuses_the_first_and_warns_on_a_free_rate(page, make_user):
    login_as(page, make_user(role="admin"))
    page.goto("/properties/new")
    form = page.locator("#property-form")
    rate, warning = form.locator("#base_nightly_rate"), form.locator("#base_nightly_rate-warning")
    rate.fill("0.00")
    expect(warning).to_be_visible()
    rate.fill("95")
    expect(warning).to_be_hidden()
    rate.fill("0")
    form.locator("#name").fill("Haus Düne")
    form.locator("#min_stay_nights").fill("0")
    form.locator("#timezone").fill("Europe/Atlantis")
    form.get_by_role("button", name="Create property").click()
    expect(form.locator("#min_stay_nights-error")).to_have_text("At least 1")
    expect(form.locator("#timezone-error")).to_contain_text("Unknown time zone “Europe/Atlantis”")
    expect(form.locator("#min_stay_nights")).to_be_focused()
    expect(form.locator("#base_nightly_rate-warning")).to_be_visible()  # still warned after the re-render
    screenshot(page, "forms-property-errors")
    form.locator("#min_stay_nights").fill("2")
    form.locator("#timezone").fill("Europe/Berlin")
    form.get_by_role("button", name="Create property").click()
    page.wait_for_url("**/properties/*-*")  # a 0.00 rate is a warning, never a block
    expect(page.locator("h1")).to_contain_text("Haus Düne")
