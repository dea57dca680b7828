"""Properties over the JSON API: pagination, CRUD, roles, tenancy, iCal token, URL conventions."""
from __future__ import annotations

import uuid


def test_list_is_paginated_and_filtered(admin_api, make_property):
    for name in ("Alpha Loft", "Beta Haus", "Gamma Hütte"):
        make_property(admin_api.agency, name=name, city="Berlin" if name != "Beta Haus" else "Hamburg")
    make_property(admin_api.agency, name="Delta (hidden)", is_active=False)
    make_property(name="Other agency's")
    page = admin_api.get("/api/v1/properties/", query_string={"limit": 2, "offset": 1}).get_json()
    assert (page["total"], page["limit"], page["offset"], page["has_more"]) == (4, 2, 1, True)
    assert [p["name"] for p in page["items"]] == ["Beta Haus", "Delta (hidden)"]
    last = admin_api.get("/api/v1/properties/", query_string={"limit": 2, "offset": 2}).get_json()
    assert last["has_more"] is False
    search = admin_api.get("/api/v1/properties/", query_string={"q": "hamburg"}).get_json()
    assert [p["name"] for p in search["items"]] == ["Beta Haus"]
    active = admin_api.get("/api/v1/properties/", query_string={"is_active": "false"}).get_json()
    assert [p["name"] for p in active["items"]] == ["Delta (hidden)"]
    assert admin_api.get("/api/v1/properties/").get_json()["limit"] == 50


def test_limit_over_100_and_bad_offsets_are_422(admin_api):
    for query in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "many"}):
        response = admin_api.get("/api/v1/properties/", query_string=query)
        assert response.status_code == 422 and response.get_json()["detail"][0]["loc"]


def test_create_read_update_delete(admin_api):
    created = admin_api.post("/api/v1/properties/", json={"name": "Seeblick", "city": "Konstanz", "max_guests": 4,
                                                      "base_nightly_rate": "120.50", "min_stay_nights": 2})
    assert created.status_code == 201
    body = created.get_json()
    assert body["base_nightly_rate"] == 120.5 and body["timezone"] == "Europe/Berlin"
    assert body["max_advance_days"] == 730 and body["currency"] == "EUR" and len(body["ical_token"]) >= 32
    url = f"/api/v1/properties/{body['id']}"
    patched = admin_api.patch(url, json={"name": "Seeblick Deluxe", "internal_name": None, "is_active": False})
    assert patched.status_code == 200 and patched.get_json()["name"] == "Seeblick Deluxe"
    assert admin_api.get(url).get_json()["is_active"] is False
    assert admin_api.delete(url).status_code == 204
    assert admin_api.get(url).get_json() == {"detail": "Property not found"}
    assert admin_api.get("/api/v1/properties/").get_json()["total"] == 0


def test_invalid_property_input_is_422(admin_api, make_property):
    prop = make_property(admin_api.agency)
    url = f"/api/v1/properties/{prop.id}"
    for body in ({"name": ""}, {"name": None}, {"min_stay_nights": 0}, {"max_guests": None},
                 {"currency": "euro"}, {"timezone": "Mars/Olympus"}, {"colour": "blue"}):
        assert admin_api.patch(url, json=body).status_code == 422, body
    assert admin_api.post("/api/v1/properties/", json={"city": "Nameless"}).status_code == 422
    assert admin_api.get(url).get_json()["name"] == prop.name


def test_roles_for_property_writes(api_as, make_property):
    manager = api_as("manager")
    prop = make_property(manager.agency)
    staff = api_as("staff", manager.agency)
    assert staff.post("/api/v1/properties/", json={"name": "X"}).status_code == 403
    assert staff.patch(f"/api/v1/properties/{prop.id}", json={"name": "X"}).status_code == 403
    assert staff.get(f"/api/v1/properties/{prop.id}").status_code == 200
    assert manager.post("/api/v1/properties/", json={"name": "Y"}).status_code == 201
    assert manager.delete(f"/api/v1/properties/{prop.id}").status_code == 403  # delete: admin_api only


def test_other_agency_and_bad_ids(admin_api, make_property):
    foreign = make_property()
    for method in ("get", "patch", "delete"):
        response = getattr(admin_api, method)(f"/api/v1/properties/{foreign.id}", json={"name": "Mine"})
        assert (response.status_code, response.get_json()) == (404, {"detail": "Property not found"})
    assert admin_api.get(f"/api/v1/properties/{uuid.uuid4()}").status_code == 404
    bad = admin_api.get("/api/v1/properties/123")
    assert bad.status_code == 422 and bad.get_json()["detail"][0]["type"] == "uuid_parsing"


def test_rotate_ical_token(admin_api, make_property, app):
    from app.inventory import service

    prop = make_property(admin_api.agency)
    rotated = admin_api.post(f"/api/v1/properties/{prop.id}/ical-token")
    assert rotated.status_code == 200 and rotated.get_json()["ical_token"] != prop.ical_token
    with app.app_context():
        assert service.find_property_by_ical_token(prop.ical_token) is None
        assert service.find_property_by_ical_token(rotated.get_json()["ical_token"]).id == prop.id


def test_slashless_collection_redirects_307_keeping_query(admin_api, client):
    response = admin_api.get("/api/v1/properties", query_string={"limit": 5},
                         headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 307
    assert response.headers["Location"].endswith("/api/v1/properties/?limit=5")
    # no trusted proxy configured (TRUSTED_PROXY_HOPS=0): the client's X-Forwarded-Proto is ignored;
    # behind a proxy the scheme is kept (tests/channels/test_connections_api.py)
    assert response.headers["Location"].startswith("http://localhost/")
    assert admin_api.post("/api/v1/bookings", json={}).status_code == 307


def test_head_and_auth(admin_api, client):
    assert admin_api.head("/api/v1/properties/").status_code == 200
    assert client.get("/api/v1/properties/").get_json() == {"detail": "Not authenticated"}
    assert client.get("/api/v1/availability").status_code == 401


def test_browser_session_can_read(logged_in, make_property):
    browser = logged_in("staff")
    make_property(browser.user.agency, name="Visible")
    assert browser.get("/api/v1/properties/").get_json()["items"][0]["name"] == "Visible"
