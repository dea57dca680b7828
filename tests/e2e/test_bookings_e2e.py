"""In a real browser: a booking on taken dates shows the 409 reason inline; a free range selected in
the calendar is booked through the dialog and the grid refreshes itself. Screenshots of the
bookings list, the calendar and the dashboard go to test-artifacts/."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import login_as, screenshot
from tests.factories import day

pytestmark = pytest.mark.slow


def test_booking_on_taken_dates_shows_the_conflict_inline(page, make_user, make_property, make_booking):
    from app.inventory.service import GuestDetails

    user = make_user(role="staff")
    prop = make_property(user.agency, name="Haus am See")
    make_booking(prop, day(10), day(14), guest=GuestDetails("Anna", "Schmidt"))
    login_as(page, user)
    page.goto("/bookings")
    page.wait_for_selector("#booking-table tbody tr")
    screenshot(page, "bookings-list")

    page.goto(f"/bookings/new?property_id={prop.id}")
    page.fill("#booking-check_in", str(day(12)))
    page.fill("#booking-check_out", str(day(16)))
    page.fill("#booking-guest_first_name", "Eva")
    page.fill("#booking-guest_last_name", "Klein")
    page.click("#create-booking")
    message = page.wait_for_selector("#booking-stay-error")
    assert "Property is already booked for these dates" in message.inner_text()
    assert page.url.endswith(f"/bookings/new?property_id={prop.id}")  # the form stayed, with what was typed
    assert page.input_value("#booking-guest_first_name") == "Eva"
    screenshot(page, "booking-conflict")

    page.fill("#booking-check_in", str(day(14)))  # back to back with the existing stay
    page.click("#create-booking")
    page.wait_for_url("**/bookings/*-*")
    assert "Eva Klein" in page.inner_text("#booking-summary")


def test_calendar_range_is_booked_through_the_dialog(page, make_user, make_property, make_booking):
    user = make_user(role="manager")
    prop = make_property(user.agency, name="Strandloft")
    arrival = day(35).replace(day=10)
    make_booking(prop, arrival - timedelta(days=4), arrival - timedelta(days=1))
    login_as(page, user)
    page.goto("/")
    page.wait_for_selector("#dashboard-occupancy")
    screenshot(page, "dashboard")

    page.goto(f"/calendar?property_id={prop.id}&month={arrival:%Y-%m}")
    page.click(f"#day-{arrival}")
    page.click(f"#day-{arrival + timedelta(days=3)}")
    dialog = page.wait_for_selector("dialog#calendar-range[open]")
    assert "(3 nights)" in dialog.inner_text()
    assert page.input_value("#booking-check_in") == str(arrival)
    page.click("#create-booking")
    page.wait_for_selector("dialog#calendar-range", state="detached")
    page.wait_for_selector(f"#day-{arrival}.kind-booking.first-night")  # the grid refreshed itself
    assert "Booking created" in page.inner_text("#toasts")
    screenshot(page, "calendar")
