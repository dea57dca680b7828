"""Direct booking end to end against the live server: a guest on the public site filters by dates and an
amenity, gets a quote with visitor tax and sends a request; the agency confirms it on the dashboard; the
dates turn occupied on the public calendar. The same flow once more with plain HTTP calls on the public JSON API."""
from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import login_as, screenshot
from tests.factories import committed, day

pytestmark = pytest.mark.slow


@pytest.fixture
def seaside(app, make_user, make_property):
    """An agency manager and a property with a visitor tax collected on site (request mode)."""
    from app.pricing import service as pricing

    user = make_user(role="manager")
    rule = committed(app, lambda: pricing.create_tax_rule(user.agency.id, name="Kurtaxe",
                                                          amount_per_adult_night=Decimal("2.50"),
                                                          collected_on_site=True, valid_from=day(-400)))
    prop = make_property(user.agency, name="Haus Möwe", base_nightly_rate=Decimal("120.00"), max_guests=4,
                         visitor_tax_rule_id=rule.id)
    return user, prop


@pytest.fixture
def sea_view(app, seaside, make_property):
    """The amenity "Meerblick" on the seaside property only; a second free property lacks it."""
    from app.listing import service as listing

    user, prop = seaside
    make_property(user.agency, name="Stadtwohnung", base_nightly_rate=Decimal("90.00"), max_guests=4)
    amenity = committed(app, lambda: listing.create_amenity(user.agency.id, name="Meerblick", icon="waves",
                                                            category="outdoor"))
    committed(app, lambda: listing.set_property_amenities(user.agency.id, prop.id, [amenity.id])[0])
    return amenity


def site_url(live_server, agency, path: str) -> str:
    """The agency's site: in development `<agency-slug>.localhost` resolves to it (and to the loopback address)."""
    return f"http://{agency.slug}.localhost:{live_server.port}{path}"


def test_guest_requests_agency_confirms_calendar_shows_it(page, live_server, seaside, sea_view):
    user, prop = seaside
    arrival, departure = day(40), day(43)
    page.goto(site_url(live_server, user.agency, "/unterkuenfte?lang=en"))
    expect(page.locator(".site-card")).to_have_count(2)
    page.fill("#search-arrival", str(arrival))
    page.fill("#search-departure", str(departure))
    page.check(f'#amenity-filter input[value="{sea_view.id}"]')
    page.click(".site-search button[type=submit]")
    expect(page.locator(".site-card")).to_have_count(1)  # only the property with a sea view
    assert f"amenity={sea_view.id}" in page.url
    page.click(f'#property-{prop.slug} a[href*="arrival={arrival}"]')  # the list swapped in with the dates
    page.wait_for_selector("#quote")
    page.fill("#quote-adults", "2")
    page.click("#quote button[type=submit]")
    result = page.wait_for_selector("#quote-result")
    assert "Kurtaxe" in result.inner_text() and "(on site)" in result.inner_text()
    expect(page.locator("#quote-total")).to_contain_text("360.00")

    assert page.input_value("#booking-arrival") == str(arrival)
    page.fill("#booking-name", "Erika Mustermann")
    page.fill("#booking-email", "erika@example.com")
    page.click("#booking-submit")
    page.wait_for_selector("#booking-privacy_consent-error")  # the consent is required, said at the box
    page.check("#booking-privacy_consent")
    page.fill("#booking-message", "Wir reisen mit dem Zug an.")
    page.click("#booking-submit")
    expect(page.locator("#booking-sent-title")).to_contain_text("Thank you")
    expect(page.locator(".site-next-steps")).to_contain_text("Nothing is booked until we confirm it")
    screenshot(page, "direct-booking-sent")
    assert page.locator(f'td[data-occupied="{arrival}"]').count() == 0  # an inquiry holds nothing

    login_as(page, user)
    page.goto("/")
    panel = page.wait_for_selector("#dashboard-direct-requests")
    assert "Erika Mustermann" in panel.inner_text() and "Haus Möwe" in panel.inner_text()
    page.click("#dashboard-direct-requests button[id^=direct-confirm-]")
    page.wait_for_selector("dialog#direct-confirm[open]")
    screenshot(page, "direct-booking-confirm-dialog")
    page.click("#direct-confirm-submit")
    page.wait_for_selector("dialog#direct-confirm", state="detached")
    expect(page.locator("#dashboard-direct-requests")).to_contain_text("No requests from the website")

    page.goto(site_url(live_server, user.agency, f"/unterkuenfte/{prop.slug}?lang=en&seen=1"))
    for night in (arrival, day(41), day(42)):
        expect(page.locator(f'td[data-occupied="{night}"]')).to_have_count(1)
    expect(page.locator(f'td[data-occupied="{departure}"]')).to_have_count(0)
    screenshot(page, "direct-booking-calendar")


def test_the_same_flow_over_the_public_json_api(live_server, seaside, bearer):
    user, prop = seaside
    public = f"{live_server.url}/api/public/v1"
    site = {"Host": f"{user.agency.slug}.localhost:{live_server.port}", "Accept-Language": "en"}
    stay = {"property": prop.slug, "check_in": str(day(50)), "check_out": str(day(52)), "adults": 2}

    found = requests.get(f"{public}/properties/", params={"arrival": stay["check_in"],
                                                           "departure": stay["check_out"]}, headers=site, timeout=10)
    assert [item["slug"] for item in found.json()["items"]] == [prop.slug]
    quote = requests.post(f"{public}/quotes", json=stay, headers=site, timeout=10).json()
    assert quote["total"] == 240.0 and any(line["collected_on_site"] for line in quote["lines"])

    asked = requests.post(f"{public}/booking-requests", headers=site, timeout=10, json={
        **stay, "name": "Max Muster", "email": "max@example.com", "privacy_consent": True})
    assert asked.status_code == 201 and asked.json()["status"] == "inquiry"
    incomplete = requests.post(f"{public}/booking-requests", headers=site, timeout=10, json={**stay, "name": "Max"})
    assert incomplete.status_code == 422
    assert {item["loc"][-1] for item in incomplete.json()["detail"]} >= {"email", "privacy_consent"}

    bookings = requests.get(f"{live_server.url}/api/v1/bookings", params={"property_id": str(prop.id)},
                            headers=bearer(user), timeout=10).json()["items"]
    [inquiry] = [item for item in bookings if item["status"] == "inquiry"]
    confirmed = requests.patch(f"{live_server.url}/api/v1/bookings/{inquiry['id']}", json={"status": "confirmed"},
                               headers=bearer(user), timeout=10)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    availability = requests.get(f"{public}/availability", headers=site, timeout=10, params={
        "property": prop.slug, "from_date": str(day(0)), "to_date": str(day(100))}).json()
    assert availability["occupied"] == [{"start": stay["check_in"], "end": stay["check_out"]}]
    again = requests.post(f"{public}/booking-requests", headers=site, timeout=10, json={
        **stay, "name": "Eva Später", "email": "eva@example.com", "privacy_consent": True})
    assert again.status_code == 409 and again.json()["conflict_type"] == "inventory_overlap"
