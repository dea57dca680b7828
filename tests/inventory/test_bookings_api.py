"""Bookings over the JSON API: overlaps, date semantics, rules, transitions, cancel."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.factories import day

OVERLAP = {"detail": "Property is already booked for these dates", "conflict_type": "inventory_overlap"}


def field_error(response, field: str) -> str:
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["detail"]
    messages = [e["msg"] for e in errors if e["loc"][-1] == field]
    assert messages, errors
    return messages[0]


def test_create_returns_201_with_the_booking(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=80)
    response = admin_api.book(prop, day(10), day(13), adults=2, notes="late arrival")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "confirmed" and body["source"] == "direct" and body["nights"] == 3
    assert body["total_price"] == 240.0 and body["currency"] == "EUR" and body["notes"] == "late arrival"
    assert admin_api.get(f"/api/v1/bookings/{body['id']}").get_json()["id"] == body["id"]


def test_back_to_back_stays_both_succeed(admin_api, make_property):
    prop = make_property(admin_api.agency)
    assert admin_api.book(prop, day(10), day(12)).status_code == 201
    assert admin_api.book(prop, day(12), day(14)).status_code == 201
    assert admin_api.book(prop, day(8), day(10)).status_code == 201


def test_overlap_is_409_inventory_overlap(admin_api, make_property):
    prop = make_property(admin_api.agency)
    assert admin_api.book(prop, day(10), day(14)).status_code == 201
    for start, end in ((day(10), day(14)), (day(9), day(11)), (day(13), day(20)), (day(11), day(12))):
        response = admin_api.book(prop, start, end)
        assert (response.status_code, response.get_json()) == (409, OVERLAP)
    other = make_property(admin_api.agency)
    assert admin_api.book(other, day(10), day(14)).status_code == 201


def test_inquiry_overlapping_a_stay_is_allowed_but_a_second_stay_is_not(admin_api, make_property):
    prop = make_property(admin_api.agency)
    inquiry = admin_api.book(prop, day(10), day(14), status="inquiry")
    assert inquiry.status_code == 201
    assert admin_api.book(prop, day(11), day(13), status="inquiry").status_code == 201
    assert admin_api.book(prop, day(10), day(14)).status_code == 201
    assert admin_api.book(prop, day(12), day(16), status="pending").get_json() == OVERLAP
    # the inquiry cannot be confirmed onto the taken dates
    confirm = admin_api.patch(f"/api/v1/bookings/{inquiry.get_json()['id']}", json={"status": "confirmed"})
    assert (confirm.status_code, confirm.get_json()) == (409, OVERLAP)


def test_cancel_frees_dates_at_once_and_is_idempotent(admin_api, make_property):
    prop = make_property(admin_api.agency)
    booking = admin_api.book(prop, day(10), day(14)).get_json()
    cancel = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"status": "cancelled"})
    assert cancel.status_code == 200
    first = cancel.get_json()
    assert first["status"] == "cancelled" and first["cancelled_at"] and first["cancelled_by"] == str(admin_api.user.id)
    assert admin_api.book(prop, day(10), day(14)).status_code == 201
    again = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"status": "cancelled"})
    assert again.status_code == 200 and again.get_json() == first


def test_date_change_onto_occupied_dates_keeps_the_old_dates(admin_api, make_property, make_booking):
    prop = make_property(admin_api.agency)
    make_booking(prop, day(20), day(25))
    booking = admin_api.book(prop, day(10), day(14)).get_json()
    moved = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"check_in": str(day(18)),
                                                                   "check_out": str(day(22))})
    assert (moved.status_code, moved.get_json()) == (409, OVERLAP)
    still = admin_api.get(f"/api/v1/bookings/{booking['id']}").get_json()
    assert (still["check_in"], still["check_out"]) == (str(day(10)), str(day(14)))
    assert admin_api.book(prop, day(11), day(12)).get_json() == OVERLAP  # old dates still taken
    ok = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"check_out": str(day(20))})
    assert ok.status_code == 200 and ok.get_json()["nights"] == 10
    assert admin_api.book(prop, day(14), day(16)).get_json() == OVERLAP


def test_rules_answer_422_with_field_messages(admin_api, make_property):
    prop = make_property(admin_api.agency, min_stay_nights=3, max_advance_days=100)
    assert "after check_in" in field_error(admin_api.book(prop, day(10), day(10)), "check_out")
    assert "after check_in" in field_error(admin_api.book(prop, day(10), day(8)), "check_out")
    assert "minimum stay of 3" in field_error(admin_api.book(prop, day(10), day(12)), "check_out")
    assert "booking window" in field_error(admin_api.book(prop, day(101), day(104)), "check_in")
    assert "in the past" in field_error(admin_api.book(prop, day(-1), day(3)), "check_in")
    assert "must be one of" in field_error(admin_api.book(prop, day(10), day(13), status="checked_in"), "status")


def test_booking_window_edges(admin_api, make_property):
    prop = make_property(admin_api.agency)  # default window: 730 days
    assert admin_api.book(prop, day(730), day(731)).status_code == 201  # last allowed night
    assert "booking window" in field_error(admin_api.book(prop, day(731), day(732)), "check_in")
    assert "booking window" in field_error(admin_api.book(prop, day(0), day(1000)), "check_out")
    assert admin_api.book(prop, day(0), day(1)).status_code == 201  # arriving today is not the past


def last_sunday(year: int, month: int) -> date:
    """EU daylight saving time switches on the last Sunday of March and October."""
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def test_dst_change_dates_in_berlin(admin_api, make_property):
    prop = make_property(admin_api.agency, timezone="Europe/Berlin")
    year = day(0).year + 1
    for switch in (last_sunday(year, 3), last_sunday(year, 10)):
        assert switch.weekday() == 6
        eve, after = switch - timedelta(days=1), switch + timedelta(days=1)
        first, second = admin_api.book(prop, eve, switch), admin_api.book(prop, switch, after)
        assert first.status_code == second.status_code == 201
        assert first.get_json()["nights"] == second.get_json()["nights"] == 1
        window = admin_api.get("/api/v1/availability", query_string={
            "property_id": str(prop.id), "from_date": str(switch), "to_date": str(after)}).get_json()
        assert [(r["start_date"], r["end_date"]) for r in window["ranges"]] == [(str(switch), str(after))]
        assert admin_api.book(prop, eve, after).get_json() == OVERLAP


def test_malformed_input_is_422(admin_api, make_property):
    prop = make_property(admin_api.agency)
    assert admin_api.book(prop, "2026-02-30", day(3)).status_code == 422
    assert admin_api.book(prop, "tomorrow", day(3)).status_code == 422
    assert field_error(admin_api.book(prop, day(1), day(3), status="booked"), "status")
    assert admin_api.post("/api/v1/bookings/", json={"property_id": "nope", "check_in": str(day(1)),
                                                 "check_out": str(day(2))}).status_code == 422
    assert admin_api.post("/api/v1/bookings/", data="{", content_type="application/json").status_code == 422
    assert admin_api.book(prop, day(1), day(3), unknown_field=1).status_code == 422
    assert admin_api.get("/api/v1/bookings/not-a-uuid").status_code == 422
    assert admin_api.patch("/api/v1/bookings/not-a-uuid", json={"notes": "x"}).status_code == 422


def test_unknown_and_foreign_ids_are_404(admin_api, api_as, make_property):
    missing = admin_api.post("/api/v1/bookings/", json={"property_id": str(uuid.uuid4()), "check_in": str(day(1)),
                                                    "check_out": str(day(3))})
    assert (missing.status_code, missing.get_json()) == (404, {"detail": "Property not found"})
    other = api_as("admin")
    foreign = make_property(other.agency)
    assert admin_api.book(foreign, day(1), day(3)).get_json() == {"detail": "Property not found"}
    theirs = other.book(foreign, day(1), day(3)).get_json()
    assert admin_api.get(f"/api/v1/bookings/{theirs['id']}").get_json() == {"detail": "Booking not found"}
    assert admin_api.patch(f"/api/v1/bookings/{theirs['id']}", json={"status": "cancelled"}).status_code == 404
    assert other.get(f"/api/v1/bookings/{theirs['id']}").get_json()["status"] == "confirmed"


def test_status_transitions(admin_api, make_property):
    prop = make_property(admin_api.agency)
    booking = admin_api.book(prop, day(0), day(2)).get_json()
    url = f"/api/v1/bookings/{booking['id']}"
    assert "from confirmed to inquiry" in field_error(admin_api.patch(url, json={"status": "inquiry"}), "status")
    for status in ("checked_in", "checked_out"):
        assert admin_api.patch(url, json={"status": status}).get_json()["status"] == status
    assert "checked_out is final" in field_error(admin_api.patch(url, json={"status": "pending"}), "status")
    assert "from checked_out to cancelled" in field_error(admin_api.patch(url, json={"status": "cancelled"}), "status")
    assert "cannot be changed" in field_error(admin_api.patch(url, json={"check_out": str(day(3))}), "check_in")
    assert admin_api.patch(url, json={"notes": "left keys"}).get_json()["notes"] == "left keys"
    assert admin_api.book(prop, day(1), day(2)).get_json() == OVERLAP  # a checked-out stay keeps its dates


def test_declined_and_no_show_free_the_dates(admin_api, make_property):
    prop = make_property(admin_api.agency)
    pending = admin_api.book(prop, day(5), day(7), status="pending").get_json()
    assert admin_api.patch(f"/api/v1/bookings/{pending['id']}", json={"status": "declined"}).status_code == 200
    confirmed = admin_api.book(prop, day(5), day(7)).get_json()
    assert admin_api.patch(f"/api/v1/bookings/{confirmed['id']}", json={"status": "no_show"}).status_code == 200
    assert admin_api.book(prop, day(5), day(7)).status_code == 201


def test_delete_is_405(admin_api, make_property):
    booking = admin_api.book(make_property(admin_api.agency), day(1), day(2)).get_json()
    response = admin_api.delete(f"/api/v1/bookings/{booking['id']}")
    assert response.status_code == 405 and "PATCH" in response.headers["Allow"]
    assert admin_api.get(f"/api/v1/bookings/{booking['id']}").status_code == 200


def test_roles(api_as, make_property):
    staff = api_as("staff")
    prop = make_property(staff.agency)
    assert staff.book(prop, day(1), day(2)).status_code == 201
    accountant = api_as("accountant", staff.agency)
    assert accountant.book(prop, day(3), day(4)).get_json() == {"detail": "Not authorized to perform this action"}
    assert accountant.get("/api/v1/bookings/").get_json()["total"] == 1


def test_list_filters_and_pagination(admin_api, make_property):
    first, second = make_property(admin_api.agency), make_property(admin_api.agency)
    admin_api.book(first, day(1), day(3))
    admin_api.book(first, day(10), day(12), status="inquiry")
    admin_api.book(second, day(5), day(8))
    listing = admin_api.get("/api/v1/bookings/", query_string={"limit": 2}).get_json()
    assert (listing["total"], listing["limit"], listing["offset"], listing["has_more"]) == (3, 2, 0, True)
    assert [b["check_in"] for b in listing["items"]] == [str(day(10)), str(day(5))]
    by_property = admin_api.get("/api/v1/bookings/", query_string={"property_id": str(first.id)}).get_json()
    assert by_property["total"] == 2
    inquiries = admin_api.get("/api/v1/bookings/", query_string={"status": "inquiry"}).get_json()
    assert [b["status"] for b in inquiries["items"]] == ["inquiry"]
    window = admin_api.get("/api/v1/bookings/", query_string={"from_date": str(day(3)), "to_date": str(day(10))})
    assert [b["check_in"] for b in window.get_json()["items"]] == [str(day(5))]
    assert admin_api.get("/api/v1/bookings/", query_string={"limit": 101}).status_code == 422
    assert admin_api.get("/api/v1/bookings/", query_string={"status": "nope"}).status_code == 422


def test_inline_guest_is_reused_by_email_and_metrics_follow(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100)
    guest = {"first_name": "Ada", "last_name": "Lovelace", "email": "ADA@example.com"}
    first = admin_api.book(prop, day(10), day(12), guest=guest).get_json()
    second = admin_api.book(prop, day(20), day(23), guest={**guest, "email": "ada@example.com"},
                        total_price="450.50").get_json()
    assert first["guest_id"] == second["guest_id"]
    metrics = admin_api.get(f"/api/v1/guests/{first['guest_id']}").get_json()
    assert (metrics["total_bookings"], metrics["total_spent"]) == (2, 650.5)
    assert metrics["first_booking_at"].startswith(str(day(10)))
    assert metrics["last_booking_at"].startswith(str(day(20)))
    both = admin_api.book(prop, day(30), day(31), guest=guest, guest_id=first["guest_id"])
    assert "either guest_id or guest" in field_error(both, "guest")
    unknown = admin_api.book(prop, day(30), day(31), guest_id=str(uuid.uuid4()))
    assert unknown.get_json() == {"detail": "Guest not found"}
