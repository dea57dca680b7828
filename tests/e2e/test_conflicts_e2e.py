"""In a real browser: channel-import overbooking conflicts on the dashboard and the connection, and
resolved from the conflicts list through in-page dialogs (accept the channel's booking, ignore with a
note), each decision shown with who made it. Screenshots go to test-artifacts/; on a failure the
screen at that moment is saved and its path printed in the test output."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.channels.conftest import make_connection  # noqa: F401  (fixture)
from tests.e2e.conftest import login_as, screenshot
from tests.factories import day

pytestmark = pytest.mark.slow


@contextmanager
def screenshot_on_failure(page, name: str):
    try:
        yield
    except BaseException:
        print(f"Screenshot at the failure: {screenshot(page, name + '-failure')}")
        raise


@pytest.fixture
def imported_conflicts(app, make_user, make_property, make_booking, make_connection):
    """An admin's property with a direct booking and a block, and an Airbnb iCal import that collided
    with both (recorded by the real import code)."""
    from app.channels.adapters.base import Reservation
    from app.channels.models import ChannelConnection
    from app.channels.service import ical
    from app.channels.service.connections import snapshot
    from app.extensions import db
    from app.inventory import service

    user = make_user(role="admin")
    prop = make_property(user.agency, name="Haus Seeblick")
    booking = make_booking(prop, day(10), day(14), guest=service.GuestDetails("Anna", "Schmidt"))
    connection = make_connection(user.agency, prop, "airbnb")
    with app.app_context():
        service.create_block(prop.agency_id, prop.id, service.Stay(day(30), day(33)), "Owner stay")
        result = ical.import_reservations(snapshot(db.session.get(ChannelConnection, connection.id)), [
            Reservation("HMX42-evt", day(12), day(15), "Airbnb (HMX42)"),
            Reservation("HMX77-evt", day(31), day(34), "Airbnb (HMX77)")])
        db.session.commit()
    assert [c["uid"] for c in result["conflicts"]] == ["HMX42-evt", "HMX77-evt"]
    return user, prop, booking, connection


def test_conflicts_are_shown_prominently_and_resolved_in_page(page, imported_conflicts):
    user, prop, booking, connection = imported_conflicts
    login_as(page, user)
    with screenshot_on_failure(page, "conflicts"):
        page.goto("/")
        panel = page.locator("#dashboard-conflicts")
        expect(panel.locator("#dashboard-conflicts-count")).to_have_text("2 open")
        expect(panel).to_contain_text("Booking: Anna Schmidt")
        expect(panel).to_contain_text("Block: Owner stay")
        screenshot(page, "conflicts-01-dashboard")

        page.goto("/connections")
        badge = page.locator(f"#connection-conflicts-{connection.id} a")
        expect(badge).to_have_text("2 conflicts")
        page.goto(f"/connections/{connection.id}")
        expect(page.locator(f"#sync-logs-conflicts-{connection.id} a")).to_have_text("2 conflicts")
        page.locator(f"#sync-logs-conflicts-{connection.id} a").click()
        page.wait_for_url(f"**/conflicts?connection_id={connection.id}")
        rows = page.locator("#conflict-table tbody tr")
        expect(rows).to_have_count(2)
        first = rows.nth(0)
        expect(first).to_contain_text("Haus Seeblick")
        expect(first).to_contain_text(f"{day(12)} → {day(15)}")
        expect(first).to_contain_text("Airbnb")
        expect(first).to_contain_text("HMX42-evt")
        expect(first).to_contain_text("Booking: Anna Schmidt")
        expect(rows.nth(1).get_by_role("link", name="Accept channel booking")).to_have_count(0)  # a block: no accept
        screenshot(page, "conflicts-02-list")

        first.get_by_role("link", name="Accept channel booking").click()
        dialog = page.locator("dialog#conflict-resolve-accept")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("The local booking is cancelled")
        screenshot(page, "conflicts-03-accept-dialog")
        dialog.get_by_role("button", name="Cancel local booking and accept").click()
        expect(dialog).to_have_count(0)
        expect(page.locator("#toasts")).to_contain_text("Channel booking accepted")
        expect(rows).to_have_count(1)  # the open list refreshed itself

        rows.nth(0).get_by_role("link", name="Ignore").click()
        ignore = page.locator("dialog#conflict-resolve-ignore")
        expect(ignore).to_be_visible()
        ignore.locator("#conflict-note").fill("Owner uses the house; guest rebooked by phone")
        ignore.get_by_role("button", name="Ignore").click()
        expect(ignore).to_have_count(0)
        expect(page.locator("#conflict-table")).to_contain_text("No open overbooking conflicts")

        page.locator("#conflict-status").select_option("resolved")
        decided = page.locator("#conflict-table tbody tr")
        expect(decided).to_have_count(2)
        expect(page.locator("#conflict-table")).to_contain_text("Channel booking accepted")
        expect(page.locator("#conflict-table")).to_contain_text("Owner uses the house; guest rebooked by phone")
        expect(decided.nth(0)).to_contain_text(user.email)
        expect(decided.nth(1)).to_contain_text(user.email)
        screenshot(page, "conflicts-04-resolved")

        page.goto(f"/bookings/{booking.id}")
        expect(page.locator("#booking-summary")).to_contain_text("Cancelled")
        page.goto("/")
        expect(page.locator("#dashboard-conflicts")).to_contain_text("No open overbooking conflicts.")
