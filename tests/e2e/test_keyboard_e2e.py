"""Keyboard paths in a real browser: arrow keys in the calendar, the purge dialog's typed phrase."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot
from tests.e2e.test_connection_pages_e2e import agency_with_connection  # noqa: F401  (fixture)
from tests.factories import day

pytestmark = pytest.mark.slow


def test_arrow_keys_move_between_calendar_days_and_enter_books_the_range(page, make_user, make_property):
    user = make_user(role="manager")
    prop = make_property(user.agency, name="Strandloft")
    arrival = day(35).replace(day=10)
    login_as(page, user)
    page.goto(f"/calendar?property_id={prop.id}&month={arrival:%Y-%m}")
    page.locator(f"#day-{arrival}").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#day-{arrival + timedelta(days=1)}")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#day-{arrival + timedelta(days=8)}")).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"#day-{arrival}")).to_be_focused()
    page.keyboard.press("Enter")  # arrival
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # departure
    dialog = page.locator("dialog#calendar-range")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("(3 nights)")
    screenshot(page, "calendar-keyboard-range")


def test_purge_dialog_focuses_the_phrase_and_stays_disabled_with_nothing_to_purge(
        page, agency_with_connection):  # noqa: F811
    cid = agency_with_connection.id  # its two logs are new: nothing is older than 7 days
    login_as(page, agency_with_connection.user)
    page.goto(f"/connections/{cid}")
    page.locator(f"#purge-logs-{cid}").click()
    purge = page.locator("#purge-dialog")
    expect(purge.locator("#purge-confirm")).to_be_focused()
    expect(purge.locator("#purge-preview")).to_contain_text("Will delete: 0 logs")
    page.keyboard.type("PURGE")
    submit = purge.locator("button[type=submit]")
    expect(submit).to_be_disabled()
    expect(purge.locator("[data-submit-hint]")).to_contain_text("Nothing to purge")
    screenshot(page, "purge-nothing-to-delete")
