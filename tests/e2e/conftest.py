"""Browser end-to-end tests: Playwright drives Debian's Chromium against the live gunicorn server.

Screenshots of key screens go to `test-artifacts/` (git-ignored); a failing test adds a screenshot
of its page to the failure report. Without Chromium the tests are skipped with one line naming the
prerequisite, except in CI (`CI=true`), where a missing browser fails the run.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from dev import CHROMIUM, browser_note
from tests.factories import DEFAULT_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_browser(path: str = CHROMIUM) -> None:
    """Skip (locally) or fail (CI) when the browser is missing; Playwright never downloads its own."""
    note = browser_note(path)
    if note is None:
        return
    if in_ci():
        pytest.fail(note, pytrace=False)
    pytest.skip(note)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failing browser test: a screenshot of its page, named in the failure report."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if report.when == "call" and report.failed else None
    if page is not None and not page.is_closed():
        try:
            path = screenshot(page, f"failed-{item.name}")
            report.sections.append(("screenshot", f"{path} (at {page.url})"))
        except Exception as exc:  # noqa: BLE001 - the original failure matters more
            report.sections.append(("screenshot", f"not taken: {exc}"))


@pytest.fixture(scope="session")
def browser():
    require_browser()
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
