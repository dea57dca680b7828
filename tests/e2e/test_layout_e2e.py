"""The top bar: one row at desktop width for the widest navigation (an admin's), and at phone width
the navigation and the account menu fold behind a menu button."""
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


def test_admin_navigation_fits_one_row_at_desktop_width(page, make_user):
    """The longest top bar: an admin who is also a platform operator (Ops and RQ) with a long e-mail."""
    user = make_user(role="admin", email="maria.schneider-lindqvist@ferienwohnungen-ostsee.example", operator=True)
    login_as(page, user)
    page.goto("/")
    expect(page.locator("#main-nav").get_by_role("link", name="RQ")).to_be_visible()  # every admin entry
    assert page.locator("header.topbar").bounding_box()["height"] < 70  # one row, whatever the e-mail's length
    page.locator("#account-menu summary").click()
    expect(page.locator("#user-menu-who")).to_contain_text(user.email)  # who is signed in: in the account menu
    expect(page.locator("#user-menu-who")).to_contain_text("admin")
    screenshot(page, "layout-desktop-account-menu")
    page.locator("main h1").click()  # a click elsewhere closes the menu
    expect(page.locator("#user-menu-team")).to_be_hidden()
    page.locator("#account-menu summary").click()
    expect(page.locator("#user-menu-team")).to_be_visible()
    page.keyboard.press("Escape")  # so does Escape, back to the menu's button
    expect(page.locator("#user-menu-team")).to_be_hidden()
    expect(page.locator("#account-menu summary")).to_be_focused()


def test_account_menu_opens_inside_the_phone_menu(page, make_user):
    login_as(page, make_user(role="admin"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.locator("#nav-toggle").click()
    page.locator("#account-menu summary").click()
    for link in ("#user-menu-team", "#user-menu-outbox", "#user-menu-password"):
        box = page.locator(link).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, link  # in the menu, not off the screen's edge
    screenshot(page, "layout-phone-account-menu")
    page.locator("#user-menu-password").click()
    page.wait_for_url("**/account/password")
