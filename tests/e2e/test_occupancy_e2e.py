"""In a real browser: the occupancy chart pages with the arrow keys, free days selected on a
property's row are booked through the calendar's dialog and the new bar appears, and a bar opens
its booking. Screenshots go to test-artifacts/ (and on failure, see conftest)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot
from tests.factories import day

pytestmark = pytest.mark.slow


def first_column(page) -> str:
    return page.locator("#occupancy-chart .tape-head time").first.get_attribute("datetime")


def day_position(lane, start, day) -> dict:
    """Where `day` lies in a row's lane (the chart draws no element per day), relative to the lane."""
    box, days = lane.bounding_box(), int(lane.locator("xpath=ancestor::div[@data-days]").get_attribute("data-days"))
    column = (day - start).days
    return {"x": (column + 0.5) * box["width"] / days, "y": box["height"] / 2}


def test_chart_pages_with_arrow_keys_books_a_selected_range_and_opens_a_bar(page, make_user, make_property,
                                                                            make_booking):
    from app.inventory.service import GuestDetails

    user = make_user(role="manager")
    huette = make_property(user.agency, name="Alpenhütte")
    blick = make_property(user.agency, name="Bergblick")
    start = day(1)
    booked = make_booking(blick, start + timedelta(days=2), start + timedelta(days=6),
                          guest=GuestDetails("Anna", "Schmidt"))
    login_as(page, user)
    page.goto("/calendar")
    page.click("#calendar-views >> text=Occupancy chart")
    page.wait_for_selector("#occupancy-chart")
    page.goto(f"/calendar/occupancy?start={start}&days=14")
    expect(page.locator(f"#occupancy-row-{blick.id} a.kind-booking")).to_contain_text("Anna Schmidt")
    screenshot(page, "occupancy-01-chart")

    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**start={start + timedelta(days=14)}&days=14")
    expect(page.locator("#occupancy-chart .tape-head time").first).to_have_attribute(
        "datetime", str(start + timedelta(days=14)))
    assert page.locator(f"#occupancy-row-{blick.id} a.kind-booking").count() == 0
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**start={start}&days=14")
    expect(page.locator(f"#occupancy-row-{blick.id} a.kind-booking")).to_be_visible()
    assert first_column(page) == str(start)

    lane = page.locator(f"#occupancy-row-{huette.id} > .tape-lane")
    arrival, departure = start + timedelta(days=3), start + timedelta(days=6)
    lane.hover(position=day_position(lane, start, arrival))
    expect(lane.locator(".tape-cursor")).to_have_attribute("style", "grid-column: 4 / span 1;")  # a free day
    lane.click(position=day_position(lane, start, arrival))
    lane.hover(position=day_position(lane, start, departure))
    selection = lane.locator(".tape-selection")
    expect(selection).to_have_attribute("style", "grid-column: 4 / span 4;")
    expect(selection).to_be_visible()
    expect(lane.locator(".tape-cursor")).to_have_count(0)  # while selecting, only the selection is marked
    screenshot(page, "occupancy-02-selecting")
    lane.click(position=day_position(lane, start, departure))
    dialog = page.wait_for_selector("dialog#calendar-range[open]")
    assert "Alpenhütte" in dialog.inner_text() and "(3 nights)" in dialog.inner_text()
    assert page.input_value("#booking-check_in") == str(arrival)
    assert page.input_value("#booking-check_out") == str(departure)
    page.fill("#booking-guest_first_name", "Eva")
    page.fill("#booking-guest_last_name", "Klein")
    screenshot(page, "occupancy-03-dialog")
    page.click("#create-booking")
    page.wait_for_selector("dialog#calendar-range", state="detached")
    new_bar = page.locator(f"#occupancy-row-{huette.id} a.kind-booking")
    expect(new_bar).to_contain_text("Eva Klein")  # the chart refreshed itself
    assert "grid-column: 4 / span 3" in new_bar.get_attribute("style")
    expect(page.locator("#toasts")).to_contain_text("Booking created")
    screenshot(page, "occupancy-04-booked")

    page.locator(f"#occupancy-row-{blick.id} a.kind-booking").click()
    page.wait_for_url(f"**/bookings/{booked.id}")
    expect(page.locator("#booking-summary")).to_contain_text("Anna Schmidt")
