"""Public JSON API: host-resolved, active properties only, occupied ranges only, quotes, CORS, limits."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import day

HOST = "www.api-ferien.example"


@pytest.fixture
def agency(site):
    return site(HOST)


@pytest.fixture
def call(client):
    def request(method: str, path: str, **kwargs):
        headers = {"Host": HOST, **kwargs.pop("headers", {})}
        return getattr(client, method)(f"/api/public/v1{path}", headers=headers, **kwargs)
    return request


def test_properties_are_the_agencys_active_ones_only(agency, call, make_property, make_agency):
    make_property(agency=agency, name="Haus Api", base_nightly_rate=Decimal("80.00"))
    make_property(agency=agency, name="Haus Still", is_active=False)
    make_property(agency=make_agency(), name="Haus Fremd")
    response = call("get", "/properties/")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["name"] for item in items] == ["Haus Api"]
    assert items[0]["slug"] == "haus-api" and items[0]["from_price"] == 80.0
    assert "ical_token" not in items[0] and "id" not in items[0]
    assert call("get", "/properties/haus-api").get_json()["name"] == "Haus Api"
    for slug in ("haus-still", "haus-fremd", "nothing"):
        response = call("get", f"/properties/{slug}")
        assert response.status_code == 404 and response.get_json() == {"detail": "Property not found"}


def test_availability_gives_occupied_ranges_only(agency, call, make_property, make_booking):
    from app.inventory.service.bookings import GuestDetails

    prop = make_property(agency=agency, name="Haus Frei")
    make_booking(prop, day(5), day(8), guest=GuestDetails("Erika", "Mustermann"))
    response = call("get", f"/availability?property=haus-frei&from_date={day(0)}&to_date={day(30)}")
    assert response.status_code == 200
    assert response.get_json()["occupied"] == [{"start": str(day(5)), "end": str(day(8))}]
    assert "Mustermann" not in response.get_data(as_text=True)
    assert call("get", f"/availability?property=haus-frei&from_date={day(0)}&to_date={day(500)}").status_code == 422
    assert call("get", f"/availability?property=haus-frei&from_date={day(5)}&to_date={day(1)}").status_code == 422


def test_quote_prices_with_the_engine_and_validates(agency, call, make_property):
    make_property(agency=agency, name="Haus Preis", base_nightly_rate=Decimal("100.00"), max_guests=2)
    body = {"property": "haus-preis", "check_in": str(day(40)), "check_out": str(day(43)), "adults": 2}
    response = call("post", "/quotes", json=body)
    assert response.status_code == 200
    assert response.get_json()["total"] == 300.0 and response.get_json()["available"] is True
    assert response.headers["Cache-Control"] == "no-store"
    too_many = call("post", "/quotes", json={**body, "adults": 3})
    assert too_many.status_code == 422 and too_many.get_json()["detail"][0]["loc"][-1] == "adults"
    assert call("post", "/quotes", json={**body, "property": "nope"}).status_code == 404
    assert call("post", "/quotes", json={**body, "unknown": 1}).status_code == 422


def test_cors_for_the_agencys_own_origins_only(agency, call, make_property):
    allowed = call("get", "/properties/", headers={"Origin": f"https://{HOST}"})
    assert allowed.headers["Access-Control-Allow-Origin"] == f"https://{HOST}"
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    preflight = call("options", "/quotes", headers={"Origin": f"https://{HOST}",
                                                     "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]
    foreign = call("get", "/properties/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_unknown_host_and_back_office_host_are_404_json(client, agency):
    assert client.get("/api/public/v1/properties/", headers={"Host": "nobody.example"}).get_json() == {
        "detail": "Not Found"}
    assert client.get("/api/public/v1/properties/").status_code == 404


def test_quotes_are_limited_per_ip(app, agency, call, make_property, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_QUOTE_RATE_LIMIT", "2 per minute")
    make_property(agency=agency, name="Haus Limit")
    body = {"property": "haus-limit", "check_in": str(day(40)), "check_out": str(day(42))}
    statuses = [call("post", "/quotes", json=body).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_public_api_is_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/api/public/v1/properties/", "/api/public/v1/properties/{slug}", "/api/public/v1/availability",
            "/api/public/v1/quotes"} <= set(paths)
