"""Browser end-to-end tests: Playwright drives Debian's Chromium against the live gunicorn server.

Screenshots of key screens go to `test-artifacts/` (git-ignored), and of the page as it was when a
browser test failed (named in the test's report).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import DEFAULT_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test leaves a screenshot of its page, named in the report."""
    report = (yield).get_result()
    page = item.funcargs.get("page") if report.when == "call" and report.failed else None
    if page is not None and not page.is_closed():
        report.sections.append(("screenshot", str(screenshot(page, f"failed-{item.name}"))))


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    popups = []
    page.on("dialog", lambda dialog: (popups.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert popups == [], f"browser popups appeared: {popups}"


def login_as(page, user, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
