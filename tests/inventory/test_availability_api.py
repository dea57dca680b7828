"""Availability and blocks over the JSON API."""
from __future__ import annotations

import uuid

from tests.factories import day

OVERLAP = {"detail": "Property is already booked for these dates", "conflict_type": "inventory_overlap"}


def availability(api, prop, start, end):
    return api.get("/api/v1/availability", query_string={"property_id": str(prop.id), "from_date": str(start),
                                                         "to_date": str(end)})


def block(api, prop, start, end, reason="owner stay"):
    return api.post("/api/v1/availability/blocks", json={"property_id": str(prop.id), "start_date": str(start),
                                                         "end_date": str(end), "reason": reason})


def test_missing_and_bad_params_are_422(admin_api, make_property):
    prop = make_property(admin_api.agency)
    missing = admin_api.get("/api/v1/availability")
    assert missing.status_code == 422
    assert {e["loc"][-1] for e in missing.get_json()["detail"]} == {"property_id", "from_date", "to_date"}
    assert admin_api.get("/api/v1/availability", query_string={"property_id": str(prop.id)}).status_code == 422
    reversed_window = availability(admin_api, prop, day(5), day(5))
    assert reversed_window.status_code == 422
    assert reversed_window.get_json()["detail"][0]["loc"][-1] == "to_date"
    assert admin_api.get("/api/v1/availability", query_string={"property_id": "x", "from_date": str(day(1)),
                                                           "to_date": str(day(2))}).status_code == 422


def test_unknown_or_foreign_property_is_404(admin_api, make_property):
    ghost = type("Ghost", (), {"id": uuid.uuid4()})
    for prop in (ghost, make_property()):
        response = availability(admin_api, prop, day(1), day(5))
        assert (response.status_code, response.get_json()) == (404, {"detail": "Property not found"})


def test_ranges_come_from_active_inventory_only(admin_api, make_property):
    prop = make_property(admin_api.agency)
    stay = admin_api.book(prop, day(3), day(6)).get_json()
    admin_api.book(prop, day(3), day(6), status="inquiry")
    cancelled = admin_api.book(prop, day(10), day(12)).get_json()
    admin_api.patch(f"/api/v1/bookings/{cancelled['id']}", json={"status": "cancelled"})
    blocked = block(admin_api, prop, day(6), day(8)).get_json()
    body = availability(admin_api, prop, day(0), day(30)).get_json()
    assert body["property_id"] == str(prop.id) and body["from_date"] == str(day(0))
    assert [(r["kind"], r["state"], r["start_date"], r["end_date"], r["booking_id"], r["block_id"], r["reason"])
            for r in body["ranges"]] == [
        ("booking", "booked", str(day(3)), str(day(6)), stay["id"], None, None),
        ("block", "blocked", str(day(6)), str(day(8)), None, blocked["id"], "owner stay"),
    ]
    # a range is listed when it overlaps the window at all; the end day is free
    assert len(availability(admin_api, prop, day(7), day(8)).get_json()["ranges"]) == 1
    assert availability(admin_api, prop, day(8), day(9)).get_json()["ranges"] == []


def test_block_lifecycle_and_conflicts(admin_api, make_property, make_booking):
    prop = make_property(admin_api.agency)
    make_booking(prop, day(10), day(12))
    assert block(admin_api, prop, day(11), day(13)).get_json() == OVERLAP  # block over a booking
    created = block(admin_api, prop, day(30), day(33), reason="smoke-test")
    assert created.status_code == 201 and created.get_json()["reason"] == "smoke-test"
    assert block(admin_api, prop, day(32), day(35)).get_json() == OVERLAP  # block over a block
    assert admin_api.book(prop, day(31), day(32)).get_json() == OVERLAP  # booking over a block
    assert admin_api.book(prop, day(33), day(35)).status_code == 201  # end day is free
    listed = admin_api.get("/api/v1/availability/blocks", query_string={"reason": "smoke-test"}).get_json()
    assert [b["id"] for b in listed["items"]] == [created.get_json()["id"]] and listed["total"] == 1
    assert admin_api.get("/api/v1/availability/blocks", query_string={"reason": "other"}).get_json()["total"] == 0
    url = f"/api/v1/availability/blocks/{created.get_json()['id']}"
    assert admin_api.delete(url).status_code == 204
    assert admin_api.book(prop, day(30), day(33)).status_code == 201  # free at once
    assert admin_api.delete(url).get_json() == {"detail": "Block not found"}


def test_block_rules_roles_and_tenancy(api_as, make_property):
    manager = api_as("manager")
    prop = make_property(manager.agency)
    bad = block(manager, prop, day(5), day(5))
    assert bad.status_code == 422 and bad.get_json()["detail"][0]["loc"][-1] == "end_date"
    staff = api_as("staff", manager.agency)
    assert block(staff, prop, day(1), day(2)).status_code == 403
    other = api_as("admin")
    assert block(other, prop, day(1), day(2)).get_json() == {"detail": "Property not found"}
    mine = block(manager, prop, day(1), day(2)).get_json()
    assert other.delete(f"/api/v1/availability/blocks/{mine['id']}").status_code == 404
    assert other.get("/api/v1/availability/blocks").get_json()["total"] == 0
    assert manager.get("/api/v1/availability/blocks/").get_json()["total"] == 1
