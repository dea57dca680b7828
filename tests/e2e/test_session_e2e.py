"""An expired session during an htmx action, in a real browser: a clear banner and a way back."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_connection_pages_e2e import agency_with_connection  # noqa: F401  (fixture)
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.slow


def test_expired_session_on_run_test_offers_login_and_returns_to_the_page(page, agency_with_connection):  # noqa: F811
    cid = agency_with_connection.id
    page.goto(f"/login?next=/connections/{cid}")
    page.fill("#email", agency_with_connection.user.email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/connections/{cid}")
    page.context.clear_cookies()  # the session ends (expired, or logged out in another tab)
    page.get_by_role("button", name="Run Test").click()
    banner = page.locator("#session-expired")
    expect(banner).to_contain_text("Your session expired — log in again")
    expect(page.locator("#toasts")).not_to_contain_text("Unexpected error occurred")
    expect(page.locator("#toasts")).not_to_contain_text("CSRF")
    screenshot(page, "session-expired-banner")
    banner.get_by_role("link", name="log in again").click()
    page.wait_for_url(lambda url: "/login?next=" in url)
    page.fill("#email", agency_with_connection.user.email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/connections/{cid}")
    expect(page.locator(f"#connection-summary-{cid}")).to_be_visible()
