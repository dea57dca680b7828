"""The Channel Sync page in a real browser: Auto-detect, a blocked Trigger, the started banner."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot
from tests.e2e.test_connection_pages_e2e import agency_with_connection  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow


def test_auto_detect_without_a_match_keeps_trigger_disabled_and_a_trigger_links_its_batch(
        page, agency_with_connection):  # noqa: F811
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    login_as(page, agency_with_connection.user)
    page.goto("/channel-sync")
    form = page.locator("#channel-sync-form")
    trigger = form.locator("button[type=submit]")
    form.locator("#cs-sync-type").select_option("full")
    form.locator("#cs-platform").select_option("expedia")
    form.locator("#cs-property").select_option(label="Haus Seeblick")
    expect(trigger).to_be_enabled()
    form.get_by_role("button", name="Auto-detect").click()
    expect(form.locator("#connection-field")).to_contain_text("No Expedia connection found for this property")
    expect(trigger).to_be_disabled()
    detect = [url for url in requests if "/channel-sync/detect" in url]
    assert detect and all("csrf_token" not in url for url in detect)
    screenshot(page, "channel-sync-no-connection")

    form.locator("#cs-platform").select_option("airbnb")  # the verdict was about Expedia
    expect(trigger).to_be_enabled()
    form.get_by_role("button", name="Auto-detect").click()
    expect(form.locator("#cs-connection")).to_have_value(str(agency_with_connection.id))
    trigger.click()
    started = page.locator("#channel-sync-started")
    expect(started).to_contain_text("Full sync started — 3 operations")
    expect(page.locator("dialog")).to_have_count(0)  # nothing opens by itself
    screenshot(page, "channel-sync-started")
    started.get_by_role("link", name="Open batch").click()
    expect(page.locator("dialog[id^=batch-dialog-]")).to_contain_text("Total Operations")
