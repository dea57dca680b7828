"""Pricing over the JSON API: seasons and their 409, rates, extras in every billing unit, visitor tax,
quotes, booking prices and lines, roles and other agencies."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.pricing.models import BILLING_UNITS
from tests.factories import day

SEASONS = "/api/v1/properties/{}/seasons/"


def next_weekday(start, iso_weekday: int):
    return start + timedelta(days=(iso_weekday - start.isoweekday()) % 7)


def add_season(api, prop, start, end, **fields):
    body = {"name": "Summer", "start_date": str(start), "end_date": str(end), "nightly_rate": 150, **fields}
    return api.post(SEASONS.format(prop.id), json=body)


def add_extra(api, **fields):
    response = api.post("/api/v1/extra-services/", json={"name": "Cot", "price": 5, "billing_unit": "per_unit_night",
                                                         "max_quantity": 2, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assign(api, prop, *extras, override=None):
    body = [{"extra_service_id": extra["id"], "price_override": override} for extra in extras]
    response = api.put(f"/api/v1/properties/{prop.id}/extra-services", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_season_crud_and_overlap_is_409_from_the_constraint(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100)
    created = add_season(admin_api, prop, day(30), day(60), weekend_rate=180, min_stay_nights=3,
                         arrival_weekdays=[6, 1, 6])
    assert created.status_code == 201, created.get_json()
    season = created.get_json()
    assert season["arrival_weekdays"] == [1, 6] and season["weekend_rate"] == 180.0
    overlap = add_season(admin_api, prop, day(59), day(70), name="Autumn")
    assert overlap.status_code == 409 and overlap.get_json()["error"] == "season_overlap"
    assert add_season(admin_api, prop, day(60), day(70), name="Autumn").status_code == 201  # back to back
    moved = admin_api.patch(f"/api/v1/seasons/{season['id']}", json={"end_date": str(day(65))})
    assert moved.status_code == 409 and moved.get_json()["error"] == "season_overlap"
    assert admin_api.patch(f"/api/v1/seasons/{season['id']}", json={"nightly_rate": 140}).get_json()[
        "nightly_rate"] == 140.0
    assert [s["name"] for s in admin_api.get(SEASONS.format(prop.id)).get_json()] == ["Summer", "Autumn"]
    assert admin_api.delete(f"/api/v1/seasons/{season['id']}").status_code == 204
    assert [s["name"] for s in admin_api.get(SEASONS.format(prop.id)).get_json()] == ["Autumn"]


@pytest.mark.parametrize("body, field", [
    ({"end_date": "2030-01-01"}, "end_date"), ({"nightly_rate": 0}, "nightly_rate"),
    ({"arrival_weekdays": [8]}, 0), ({"min_stay_nights": 0}, "min_stay_nights"), ({"name": ""}, "name"),
])
def test_bad_seasons_are_422_and_write_nothing(admin_api, make_property, body, field):
    prop = make_property(admin_api.agency)
    response = admin_api.post(SEASONS.format(prop.id), json={
        "name": "Summer", "start_date": "2030-01-05", "end_date": "2030-02-01", "nightly_rate": 120, **body})
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"][-1] == field
    assert admin_api.get(SEASONS.format(prop.id)).get_json() == []


def test_rates_show_the_engine_per_date(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100, min_stay_nights=2)
    friday = next_weekday(day(20), 5)
    add_season(admin_api, prop, friday, friday + timedelta(days=7), name="Peak", weekend_rate=200,
               min_stay_nights=5, arrival_weekdays=[5])
    response = admin_api.get(f"/api/v1/properties/{prop.id}/rates?from_date={friday - timedelta(days=1)}"
                             f"&to_date={friday + timedelta(days=3)}")
    assert response.status_code == 200
    rates = [(r["nightly_rate"], r["min_stay_nights"], r["arrival_allowed"], r["source"])
             for r in response.get_json()["rates"]]
    assert rates == [(100.0, 2, True, "base"), (200.0, 5, True, "Peak"), (200.0, 5, False, "Peak"),
                     (150.0, 5, False, "Peak")]
    too_long = admin_api.get(f"/api/v1/properties/{prop.id}/rates?from_date=2030-01-01&to_date=2032-01-01")
    assert too_long.status_code == 422


@pytest.mark.parametrize("unit", BILLING_UNITS)
def test_every_billing_unit_round_trips_and_prices(admin_api, make_property, unit):
    prop = make_property(admin_api.agency, base_nightly_rate=100, max_guests=4)
    extra = add_extra(admin_api, name=f"Service {unit}", price=3.5, billing_unit=unit)
    assert admin_api.get(f"/api/v1/extra-services/{extra['id']}").get_json()["billing_unit"] == unit
    assign(admin_api, prop, extra)
    booked = admin_api.book(prop, day(10), day(14), adults=2, children=1, children_ages=[7],
                            extras=[{"extra_service_id": extra["id"], "quantity": 2}])
    assert booked.status_code == 201, booked.get_json()
    lines = [line for line in booked.get_json()["price_lines"] if line["kind"] == "extra"]
    multiplier = {"per_stay": 1, "per_night": 4, "per_person": 3, "per_person_night": 12, "per_unit": 2,
                  "per_unit_night": 8}[unit]
    assert [(line["quantity"], line["amount"]) for line in lines] == [(multiplier, 3.5 * multiplier)]
    assert booked.get_json()["total_price"] == 400 + 3.5 * multiplier


def test_unknown_billing_unit_is_422(admin_api):
    response = admin_api.post("/api/v1/extra-services/", json={"name": "X", "price": 1, "billing_unit": "per_week"})
    assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][-1] == "billing_unit"


def test_quote_itemises_discount_extras_and_visitor_tax(admin_api, make_property, make_booking):
    rule = admin_api.post("/api/v1/visitor-tax-rules/", json={
        "name": "Kurtaxe", "municipality": "Westerland", "amount_per_adult_night": 2.5,
        "child_bands": [{"min_age": 0, "max_age": 5, "amount": 0}, {"min_age": 6, "max_age": 17, "amount": 1.25}],
        "max_nights": 21, "collected_on_site": True})
    assert rule.status_code == 201, rule.get_json()
    prop = make_property(admin_api.agency, base_nightly_rate=100, max_guests=4, weekly_discount_percent=10,
                         visitor_tax_rule_id=rule.get_json()["id"])
    cleaning = add_extra(admin_api, name="Final cleaning", price=60, billing_unit="per_stay", is_mandatory=True)
    cot = add_extra(admin_api)
    assign(admin_api, prop, cleaning, cot)
    body = {"property_id": str(prop.id), "check_in": str(day(10)), "check_out": str(day(17)), "adults": 2,
            "children_ages": [4, 15], "extras": [{"extra_service_id": cot["id"], "quantity": 1}]}
    response = admin_api.post("/api/v1/quotes", json=body)
    assert response.status_code == 200, response.get_json()
    quote = response.get_json()
    assert [(line["kind"], line["amount"]) for line in quote["lines"]] == [
        ("nights", 700.0), ("discount", -70.0), ("extra", 60.0), ("extra", 35.0), ("visitor_tax", 35.0),
        ("visitor_tax", 8.75)]
    assert (quote["total"], quote["on_site_total"], quote["available"]) == (725.0, 43.75, True)
    assert len(quote["nights"]) == 7 and quote["nights"][0]["source"] == "base"
    make_booking(prop, day(12), day(14))
    assert admin_api.post("/api/v1/quotes", json=body).get_json()["available"] is False


@pytest.mark.parametrize("change, field", [
    ({"check_out": "check_in"}, "check_out"), ({"adults": 5}, "adults"), ({"children_ages": [18]}, 0),
    ({"extras": "unassigned"}, "extras"),
])
def test_quote_rules_are_422_with_a_field(admin_api, make_property, change, field):
    prop = make_property(admin_api.agency, max_guests=4)
    body = {"property_id": str(prop.id), "check_in": str(day(10)), "check_out": str(day(12)), "adults": 2}
    if change.get("check_out"):
        body["check_out"] = body["check_in"]
    elif change.get("extras"):
        body["extras"] = [{"extra_service_id": add_extra(admin_api)["id"]}]
    else:
        body.update(change)
    response = admin_api.post("/api/v1/quotes", json=body)
    assert response.status_code == 422
    assert response.get_json()["detail"][0]["loc"][-1] == field


def test_booking_with_a_given_price_gets_a_manual_line_and_the_engine_price(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100)
    body = admin_api.book(prop, day(10), day(12), total_price=150).get_json()
    assert body["total_price"] == 150.0 and body["quoted_total"] == 200.0
    assert [(l["kind"], l["amount"]) for l in body["price_lines"]] == [("manual", 150.0)]
    detail = admin_api.get(f"/api/v1/bookings/{body['id']}").get_json()
    assert detail["price_lines"] == body["price_lines"] and detail["quoted_total"] is None


def test_changing_dates_or_guests_reprices_and_replaces_the_lines(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100, max_guests=4)
    linen = add_extra(admin_api, name="Bed linen", price=10, billing_unit="per_person")
    assign(admin_api, prop, linen)
    booking = admin_api.book(prop, day(10), day(12), extras=[{"extra_service_id": linen["id"]}]).get_json()
    assert booking["total_price"] == 210.0
    longer = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"check_out": str(day(13)), "adults": 3})
    assert longer.status_code == 200, longer.get_json()
    assert longer.get_json()["total_price"] == 330.0
    assert [l["label"] for l in longer.get_json()["price_lines"]] == ["3 nights at 100.00", "Bed linen"]
    manual = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"total_price": 300})
    assert [l["kind"] for l in manual.get_json()["price_lines"]] == ["manual"]
    kept = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"adults": 2})
    assert kept.get_json()["total_price"] == 300.0  # a price set by hand stays
    bad = admin_api.patch(f"/api/v1/bookings/{booking['id']}", json={"children": 2, "children_ages": [3]})
    assert bad.status_code == 422 and bad.get_json()["detail"][0]["loc"][-1] == "children_ages"


def test_season_min_stay_replaces_the_property_min_stay_for_bookings(admin_api, make_property):
    prop = make_property(admin_api.agency, base_nightly_rate=100, min_stay_nights=3)
    add_season(admin_api, prop, day(20), day(40), name="Short stays", nightly_rate=90, min_stay_nights=1)
    assert admin_api.book(prop, day(25), day(26)).status_code == 201
    short = admin_api.book(prop, day(10), day(11))
    assert short.status_code == 422 and "minimum stay of 3" in short.get_json()["detail"][0]["msg"]


def test_other_agencies_get_404_and_staff_cannot_write(admin_api, api_as, make_property):
    prop = make_property(admin_api.agency)
    extra = add_extra(admin_api)
    season = add_season(admin_api, prop, day(5), day(9)).get_json()
    stranger = api_as("admin")
    assert stranger.get(SEASONS.format(prop.id)).status_code == 404
    assert stranger.patch(f"/api/v1/seasons/{season['id']}", json={"nightly_rate": 1}).status_code == 404
    assert stranger.get(f"/api/v1/extra-services/{extra['id']}").status_code == 404
    assert stranger.post("/api/v1/quotes", json={"property_id": str(prop.id), "check_in": str(day(5)),
                                                 "check_out": str(day(7))}).status_code == 404
    own = make_property(stranger.agency)
    put = stranger.put(f"/api/v1/properties/{own.id}/extra-services", json=[{"extra_service_id": extra["id"]}])
    assert put.status_code == 404
    staff = api_as("staff", agency=admin_api.agency)
    assert staff.get(SEASONS.format(prop.id)).status_code == 200
    assert add_season(staff, prop, day(50), day(52)).status_code == 403
    assert staff.post("/api/v1/extra-services/", json={"name": "X", "price": 1, "billing_unit": "per_stay"}
                      ).status_code == 403


def test_visitor_tax_rule_validation(admin_api):
    bad_bands = admin_api.post("/api/v1/visitor-tax-rules/", json={
        "name": "T", "amount_per_adult_night": 2, "child_bands": [{"min_age": 0, "max_age": 10, "amount": 0},
                                                                  {"min_age": 6, "max_age": 17, "amount": 1}]})
    assert bad_bands.status_code == 422
    half_season = admin_api.post("/api/v1/visitor-tax-rules/", json={"name": "T", "amount_per_adult_night": 2,
                                                                     "season_start": "04-01"})
    assert half_season.status_code == 422 and half_season.get_json()["detail"][0]["loc"][-1] == "season_end"
    assert admin_api.post("/api/v1/visitor-tax-rules/", json={"name": "T", "amount_per_adult_night": 2,
                                                              "season_start": "4-1", "season_end": "10-31"}
                          ).status_code == 422
    assert admin_api.get("/api/v1/visitor-tax-rules/").get_json() == []


def test_a_tax_rule_without_its_first_night_is_refused_by_the_service(app, admin_api):
    """The API defaults valid_from; a caller of the service (CLI, demo data) gets a 422 reason, not a database error."""
    from app.core.errors import ValidationFailed
    from app.pricing import service

    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        service.create_tax_rule(admin_api.agency.id, name="Kurtaxe", amount_per_adult_night=2, valid_to=day(30))
    assert refused.value.status_code == 422 and refused.value.detail[0]["loc"] == ["body", "valid_from"]
    assert admin_api.get("/api/v1/visitor-tax-rules/").get_json() == []


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/api/v1/properties/{property_id}/seasons/", "/api/v1/seasons/{season_id}",
                 "/api/v1/properties/{property_id}/rates", "/api/v1/extra-services/",
                 "/api/v1/properties/{property_id}/extra-services", "/api/v1/visitor-tax-rules/{rule_id}",
                 "/api/v1/quotes"):
        assert path in paths


def test_an_empty_assignment_list_removes_every_extra_but_no_body_is_422(admin_api, make_property):
    prop = make_property(admin_api.agency)
    assign(admin_api, prop, add_extra(admin_api))
    url = f"/api/v1/properties/{prop.id}/extra-services"
    assert admin_api.put(url, data="", headers={"Content-Type": "application/json"}).status_code == 422
    assert len(admin_api.get(url).get_json()) == 1
    assert admin_api.put(url, json=[]).get_json() == []


def test_only_admins_and_managers_set_a_price_by_hand(api_as, make_property, logged_in):
    staff = api_as("staff")
    prop = make_property(staff.agency, base_nightly_rate=100)
    refused = staff.book(prop, day(10), day(12), total_price=10)
    assert refused.status_code == 403
    booking = staff.book(prop, day(10), day(12)).get_json()
    assert booking["total_price"] == 200.0
    assert staff.patch(f"/api/v1/bookings/{booking['id']}", json={"total_price": 1}).status_code == 403
    manager = api_as("manager", agency=staff.agency)
    assert manager.patch(f"/api/v1/bookings/{booking['id']}", json={"total_price": 150}).get_json()[
        "total_price"] == 150.0
