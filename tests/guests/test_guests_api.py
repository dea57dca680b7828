"""Guests over the JSON API: search, profile edits, soft delete, metrics and timeline."""
from __future__ import annotations

from tests.factories import day


def create(api, **body):
    return api.post("/api/v1/guests/", json={"first_name": "Max", "last_name": "Muster", **body})


def test_create_list_search_and_paginate(admin_api):
    assert create(admin_api, email="max@example.com", language="de").status_code == 201
    create(admin_api, first_name="Erika", last_name="Mustermann", phone="+49 30 1234")
    create(admin_api, first_name="John", last_name="Doe")
    listing = admin_api.get("/api/v1/guests/", query_string={"limit": 2}).get_json()
    assert [g["last_name"] for g in listing["items"]] == ["Doe", "Muster"]
    assert (listing["total"], listing["has_more"]) == (3, True)
    search = admin_api.get("/api/v1/guests/", query_string={"q": "MAX@"}).get_json()
    assert [g["first_name"] for g in search["items"]] == ["Max"]
    assert search["items"][0]["total_bookings"] == 0 and search["items"][0]["total_spent"] == 0
    assert admin_api.get("/api/v1/guests/", query_string={"limit": 500}).status_code == 422


def test_invalid_guest_input_is_422(admin_api):
    assert create(admin_api, email="not-an-email").status_code == 422
    assert create(admin_api, first_name="").status_code == 422
    assert admin_api.post("/api/v1/guests/", json={"last_name": "Only"}).status_code == 422
    guest = create(admin_api).get_json()
    assert admin_api.patch(f"/api/v1/guests/{guest['id']}", json={"last_name": None}).status_code == 422
    assert admin_api.patch(f"/api/v1/guests/{guest['id']}", json={"total_bookings": 9}).status_code == 422


def test_detail_shows_metrics_and_timeline(admin_api, make_property):
    prop = make_property(admin_api.agency, name="Haus am See", base_nightly_rate=90)
    guest = create(admin_api, email="max@example.com").get_json()
    admin_api.book(prop, day(5), day(7), guest_id=guest["id"])
    later = admin_api.book(prop, day(20), day(21), guest_id=guest["id"]).get_json()
    admin_api.patch(f"/api/v1/bookings/{later['id']}", json={"status": "cancelled"})
    detail = admin_api.get(f"/api/v1/guests/{guest['id']}").get_json()
    assert (detail["total_bookings"], detail["total_spent"]) == (1, 180.0)
    assert [(b["check_in"], b["status"], b["property_name"]) for b in detail["bookings"]] == [
        (str(day(20)), "cancelled", "Haus am See"), (str(day(5)), "confirmed", "Haus am See")]
    create(admin_api, first_name="Zoe", last_name="Aaronson")
    by_name = admin_api.get("/api/v1/guests/").get_json()["items"]
    recent = admin_api.get("/api/v1/guests/", query_string={"sort": "recent"}).get_json()["items"]
    assert [g["first_name"] for g in by_name] == ["Zoe", "Max"]
    assert [g["first_name"] for g in recent] == ["Max", "Zoe"]


def test_update_and_soft_delete(admin_api, api_as, make_property):
    guest = create(admin_api).get_json()
    url = f"/api/v1/guests/{guest['id']}"
    updated = admin_api.patch(url, json={"notes": "prefers ground floor", "email": None})
    assert updated.status_code == 200 and updated.get_json()["notes"] == "prefers ground floor"
    staff = api_as("staff", admin_api.agency)
    assert staff.delete(url).status_code == 403
    booking = admin_api.book(make_property(admin_api.agency), day(1), day(2), guest_id=guest["id"]).get_json()
    assert admin_api.delete(url).status_code == 204
    assert admin_api.get(url).get_json() == {"detail": "Guest not found"}
    assert admin_api.get("/api/v1/guests/").get_json()["total"] == 0
    assert admin_api.get(f"/api/v1/bookings/{booking['id']}").get_json()["guest_id"] == guest["id"]


def test_other_agency_is_404(admin_api, api_as):
    guest = create(admin_api).get_json()
    other = api_as("admin")
    for method in ("get", "patch", "delete"):
        response = getattr(other, method)(f"/api/v1/guests/{guest['id']}", json={"notes": "x"})
        assert (response.status_code, response.get_json()) == (404, {"detail": "Guest not found"})
    assert other.get("/api/v1/guests/").get_json()["total"] == 0
    assert other.get("/api/v1/guests/xyz").status_code == 422
