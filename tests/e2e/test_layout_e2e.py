"""The layout at phone width: the navigation folds behind a menu button."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot

pytestmark = pytest.mark.slow


def test_phone_width_folds_the_navigation_behind_a_menu_button(page, make_user):
    login_as(page, make_user(role="admin"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/bookings")
    toggle = page.locator("#nav-toggle")
    nav = page.locator("#main-nav")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.locator("header.topbar").bounding_box()["height"] < 70  # one row, not four
    screenshot(page, "layout-phone-closed")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator("#user-menu")).to_be_visible()
    screenshot(page, "layout-phone-open")
    nav.get_by_role("link", name="Properties").click()
    page.wait_for_url("**/properties")
    expect(page.locator("#main-nav")).to_be_hidden()  # a new page starts folded

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#nav-toggle")).to_be_hidden()
    expect(page.locator("#main-nav")).to_be_visible()
