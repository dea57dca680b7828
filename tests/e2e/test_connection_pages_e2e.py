"""New Connection opened as a page, Edit connection and Delete connection, in a real browser."""
from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from tests.channels.helpers import insert_logs
from tests.e2e.conftest import login_as, screenshot

pytestmark = pytest.mark.slow


@pytest.fixture
def agency_with_connection(app, make_user):
    """An admin whose agency has two properties; the first has an Airbnb connection with two logs."""
    from app.channels import service
    from app.extensions import db
    from app.inventory.models import Property

    user = make_user(role="admin")
    with app.app_context():
        first, second = (Property(agency_id=user.agency.id, name=name, ical_token=secrets.token_urlsafe(24))
                         for name in ("Haus Seeblick", "Strandhaus"))
        db.session.add_all([first, second])
        db.session.flush()
        connection = service.create_connection(user.agency.id, first.id, "airbnb", skip_connection_test=True,
                                               platform_listing_id="listing-1", access_token="old-token")
        db.session.commit()
        db.session.refresh(connection)
        db.session.expunge(connection)
        insert_logs(connection, "success", "failed", error="Channel timeout")
    connection.user = user
    return connection


def test_new_connection_page_names_the_blocker_and_goes_to_the_new_connection(page, agency_with_connection):
    login_as(page, agency_with_connection.user)
    page.goto("/connections/new")  # opened as a page (e.g. in a new tab), not as the dialog
    form = page.locator("#connection-form")
    create = form.locator("button[type=submit]")
    hint = form.locator("[data-submit-hint]")
    expect(create).to_be_disabled()
    expect(hint).to_contain_text("Select a property")
    form.locator("#new-property").select_option(label="Strandhaus")
    form.locator("#new-platform").select_option("booking_com")
    form.locator("#new-metadata").fill('{"mock_mode": tru')
    expect(create).to_be_disabled()
    expect(hint).to_contain_text("Platform Metadata: Invalid JSON")
    expect(hint).not_to_contain_text("Select a property")
    screenshot(page, "connections-new-page-blocked")
    form.locator("#new-metadata").fill('{"mock_mode": true}')
    expect(create).to_be_enabled()
    expect(hint).to_have_text("")
    form.get_by_label("Skip connection test (mock mode)").check()
    create.click()
    page.wait_for_url("**/connections/*-*")
    expect(page.locator("h1")).to_contain_text("Booking.com · Strandhaus")
    expect(page.locator("#connection-form")).to_have_count(0)
    screenshot(page, "connections-new-page-created")


def test_edit_then_delete_a_connection_with_in_page_confirm(page, agency_with_connection):
    cid = agency_with_connection.id
    login_as(page, agency_with_connection.user)
    page.goto(f"/connections/{cid}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/connections/{cid}/edit")
    form = page.locator("#connection-edit-form")
    expect(form.locator("#edit-access")).to_have_value("")  # write-only: never shown
    expect(form.locator("#edit-access")).to_have_attribute("placeholder", "Leave empty to keep")
    form.locator("#edit-listing").fill("listing-2")
    form.locator("#edit-status").select_option("paused")
    form.locator("#edit-ical").fill("ftp://not-a-feed")
    form.locator("button[type=submit]").click()
    expect(form.locator("#error-ical_import_url")).to_contain_text("Must be an http(s) URL")
    form.locator("#edit-ical").fill("https://channel.example/feed.ics")
    screenshot(page, "connections-edit")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/connections/{cid}")
    expect(page.locator("#banner")).to_contain_text("Connection saved")
    summary = page.locator(f"#connection-summary-{cid}")
    expect(summary).to_contain_text("Paused")
    expect(page.locator(f"#property-mapping-{cid}")).to_contain_text("listing-2")

    page.locator(f"#delete-connection-{cid}").click()
    dialog = page.locator("#connection-delete-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Its 2 sync logs are kept for audit but no longer shown")
    screenshot(page, "connections-delete-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    page.locator(f"#delete-connection-{cid}").click()
    page.locator("#connection-delete-dialog").get_by_role("button", name="Delete connection").click()
    page.wait_for_url("**/connections")
    expect(page.locator("#banner")).to_contain_text("Connection deleted")
    expect(page.locator(f"#connection-{cid}")).to_have_count(0)


def test_connections_table_pages_through_a_search(page, app, make_user):
    from app.channels import service
    from app.extensions import db
    from app.inventory.models import Property

    user = make_user(role="manager")
    with app.app_context():
        properties = [Property(agency_id=user.agency.id, name=name, ical_token=secrets.token_urlsafe(24))
                      for name in [f"Ferienhaus {number:02d}" for number in range(30)] + ["Strandhaus"]]
        db.session.add_all(properties)
        db.session.flush()
        for prop in properties:
            service.create_connection(user.agency.id, prop.id, "airbnb", skip_connection_test=True)
        db.session.commit()
    login_as(page, user)
    page.goto("/connections")
    table = page.locator("#connection-table")
    expect(table.locator(".pagination")).to_contain_text("1–25 of 31")
    page.locator("#connection-q").fill("Ferienhaus")
    expect(table.locator(".pagination")).to_contain_text("1–25 of 30")
    table.get_by_role("button", name="Next").click()
    expect(table.locator(".pagination")).to_contain_text("26–30 of 30")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table).not_to_contain_text("Strandhaus")
    expect(page.locator("#connection-q")).to_have_value("Ferienhaus")
    screenshot(page, "connections-second-page-of-a-search")
    table.get_by_role("button", name="Previous").click()
    expect(table.locator(".pagination")).to_contain_text("1–25 of 30")
