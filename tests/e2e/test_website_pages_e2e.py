"""In a real browser: a manager builds a page in the editor (block added, moved, previewed) and the
published page shows on the agency's own host, escaped. Screenshots go to test-artifacts/."""
from __future__ import annotations

import secrets

import pytest

from tests.e2e.conftest import login_as, screenshot
from tests.factories import committed

pytestmark = pytest.mark.slow


def test_page_editor_builds_a_page_the_website_shows(page, app, live_server, make_user):
    from app.public import domains

    user = make_user(role="manager")
    host = f"site-{secrets.token_hex(3)}.localhost"
    committed(app, lambda: domains.add_domain(user.agency.id, host))
    login_as(page, user)
    page.goto("/website/pages")
    page.click("#new-page")
    page.wait_for_selector("dialog#page-dialog[open]")
    page.fill("#page-title", "Anreise")
    page.fill("#page-slug", "anreise")
    page.fill("#page-nav_position", "1")
    page.check("#page-is_published")
    page.click("#save-page")
    page.wait_for_selector("#page-preview")

    for block_type, fields in (("text", {"#block-paragraphs": "Mit der Bahn bis Westerland.\n\nDann <b>zu Fuß</b>."}),
                               ("hero", {"#block-title": "So finden Sie uns"})):
        page.select_option("#new-block-type", block_type)
        page.click("#add-block")
        page.wait_for_selector("#block-form")
        for selector, value in fields.items():
            page.fill(selector, value)
        page.click("#save-block")
        page.wait_for_selector("#add-block")
    page.click("#block-1 button[aria-label='Move up']")
    page.wait_for_selector("#block-0[data-type=hero]")
    preview = page.frame_locator("#page-preview")
    preview.locator("text=So finden Sie uns").wait_for()
    screenshot(page, "website-page-editor")

    port = live_server.url.rsplit(":", 1)[1]
    page.goto(f"http://{host}:{port}/seiten/anreise")
    assert page.inner_text("h1") == "So finden Sie uns"
    assert "Dann <b>zu Fuß</b>." in page.inner_text(".site-text")  # shown as typed, not as markup
    assert page.get_attribute(".site-nav a[aria-current=page]", "href").startswith("/seiten/anreise")
    screenshot(page, "website-page-public")
