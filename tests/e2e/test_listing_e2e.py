"""In a real browser: photos are uploaded, reordered by arrow and by drag on the property page; an amenity
is created with the icon picker and ticked on the property form; the agency's website filters by it with
an htmx swap and a bookmarkable URL, and shows the gallery. Screenshots go to test-artifacts/."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot

pytestmark = pytest.mark.slow


def jpeg(colour) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def photo_order(page) -> list[str]:
    return [card.get_attribute("data-photo-id") for card in page.query_selector_all("#photos .photo-card")]


def test_photos_amenities_and_the_website_filter(page, live_server, make_user, make_property):
    user = make_user(role="manager")
    prop = make_property(user.agency, name="Dünenhaus", short_description="Direkt am Deich")
    make_property(user.agency, name="Stadthaus")
    login_as(page, user)
    page.goto(f"/properties/{prop.id}")
    cards = page.locator("#photos .photo-card")
    for colour in ((200, 60, 60), (60, 160, 60), (60, 60, 200)):
        count = len(photo_order(page))
        page.set_input_files("#photo-file", files=[jpeg(colour)])
        page.click("#upload-photo")
        expect(cards).to_have_count(count + 1)
    first, second, third = photo_order(page)
    page.click(f"#move-down-{first}")
    expect(cards.first).to_have_attribute("data-photo-id", second)
    with page.expect_response(lambda answer: answer.request.method == "POST" and "/photos/order" in answer.url):
        page.drag_and_drop(f"#photo-{third}", f"#photo-{second}", target_position={"x": 5, "y": 40})
    expect(cards.first).to_have_attribute("data-photo-id", third)
    page.reload()
    assert photo_order(page) == [third, second, first]  # the drag was saved
    screenshot(page, "listing-photos")

    page.goto("/amenities")
    page.click("#new-amenity")
    page.wait_for_selector("dialog#amenity-dialog[open]")
    page.fill("#amenity-name", "Meerblick")
    page.click("label.icon-choice[title=waves]")
    page.click("#save-amenity")
    page.wait_for_selector("dialog#amenity-dialog", state="detached")
    page.wait_for_selector("#amenity-table td:has-text('Meerblick')")
    page.goto(f"/properties/{prop.id}/edit")
    page.check("#property-amenities input[type=checkbox]")
    page.click("#property-form button[type=submit]")
    page.wait_for_url(f"**/properties/{prop.id}")

    site = f"http://{user.agency.slug}.localhost:{urlsplit(live_server.url).port}"
    page.goto(f"{site}/unterkuenfte?lang=de")
    assert page.locator(".site-card").count() == 2
    page.check("#amenity-filter input[type=checkbox]")
    page.click(".site-search button[type=submit]")
    expect(page.locator(".site-card")).to_have_count(1)
    assert "amenity=" in page.url and "Dünenhaus" in page.inner_text("#property-list")
    thumbnail = page.locator(".site-card-photo")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 400
    screenshot(page, "listing-site-filter")
    page.reload()  # the pushed URL is a bookmark of the filtered list
    assert page.locator(".site-card").count() == 1 and page.is_checked("#amenity-filter input[type=checkbox]")
    page.click("text=Dünenhaus")
    page.wait_for_selector("#gallery")
    assert page.locator(".site-gallery-main img").evaluate("img => img.naturalWidth") == 1200
    assert page.locator("#amenities svg.lucide-waves").count() == 1
    screenshot(page, "listing-site-detail")
