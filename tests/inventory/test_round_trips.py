"""Round trips per request on the hot paths, counted with SQLAlchemy's engine events so they cannot creep back.

Counted are the statements, COMMITs and ROLLBACKs a request sends. Not counted is the BEGIN psycopg sends
before a transaction's first statement (the booking benchmark's baseline has it too).
"""
from __future__ import annotations

from decimal import Decimal

from tests.factories import committed, day
from tests.round_trips import round_trips

AUTH_TABLES = ("api_tokens", "users", "team_members")


def reads_auth(statement: str) -> bool:
    return any(f"FROM {table}" in statement or f"JOIN {table}" in statement for table in AUTH_TABLES)


def priced_property(app, make_property, agency):
    """A property whose quote needs a season, an assigned extra and a visitor-tax rule."""
    from app.extensions import db
    from app.pricing import service

    rule = committed(app, lambda: service.create_tax_rule(
        agency.id, name="Kurtaxe", municipality="", amount_per_adult_night=Decimal("2"), child_bands=[],
        collected_on_site=False, valid_from=day(0)))
    prop = make_property(agency, base_nightly_rate=Decimal("90"), visitor_tax_rule_id=rule.id)
    committed(app, lambda: service.create_season(agency.id, prop.id, name="Winter", start_date=day(1),
                                                 end_date=day(60), nightly_rate=Decimal("120")))
    cot = committed(app, lambda: service.create_extra_service(agency.id, name="Cot", price=Decimal("5"),
                                                              billing_unit="per_unit_night", max_quantity=2))
    with app.app_context():
        service.set_property_extras(agency.id, prop.id, [(cot.id, Decimal("4"))])
        db.session.commit()
    return prop, cot


def test_booking_creation_takes_at_most_six_round_trips(app, admin_api, make_property):
    prop, cot = priced_property(app, make_property, admin_api.agency)
    assert admin_api.book(prop, day(2), day(4)).status_code == 201  # a warm process
    with round_trips(app) as sent:
        created = admin_api.book(prop, day(10), day(13), adults=2, extras=[{"extra_service_id": str(cot.id)}])
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert [line["kind"] for line in body["price_lines"]] == ["nights", "extra", "visitor_tax"]
    assert body["total_price"] == body["quoted_total"] == 384  # 3 x 120 + 3 x 4 (cot) + 3 x 2 x 2 (tax)
    assert len(sent) <= 6, sent
    assert sent[-1] == "COMMIT" and not any("SAVEPOINT" in statement for statement in sent)


def test_the_answer_of_a_created_booking_equals_its_stored_state(app, admin_api, make_property):
    prop, cot = priced_property(app, make_property, admin_api.agency)
    created = admin_api.book(prop, day(10), day(13), extras=[{"extra_service_id": str(cot.id), "quantity": 2}])
    stored = admin_api.get(f"/api/v1/bookings/{created.get_json()['id']}").get_json()
    assert {**created.get_json(), "quoted_total": None} == stored


def test_availability_takes_at_most_three_round_trips(app, admin_api, make_property, make_booking):
    prop = make_property(admin_api.agency)
    for offset in range(1, 30, 3):
        make_booking(prop, day(offset), day(offset + 2))
    query = {"property_id": str(prop.id), "from_date": str(day(0)), "to_date": str(day(365))}
    admin_api.get("/api/v1/availability", query_string=query)
    with round_trips(app) as sent:
        answer = admin_api.get("/api/v1/availability", query_string=query)
    assert answer.status_code == 200 and len(answer.get_json()["ranges"]) == 10
    assert len(sent) <= 3, sent


def test_a_bearer_request_authenticates_in_one_query(app, admin_api, make_property):
    prop = make_property(admin_api.agency)
    for _ in range(2):  # the first request of a token may record its use; the second must not add anything
        with round_trips(app) as sent:
            answer = admin_api.get(f"/api/v1/properties/{prop.id}")
        assert answer.status_code == 200
        auth_reads = [statement for statement in sent if reads_auth(statement) and statement.startswith("SELECT")]
        assert len(auth_reads) == 1, auth_reads
        assert all(f"JOIN {table}" in auth_reads[0] for table in ("users", "team_members"))
