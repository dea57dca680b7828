"""Booking requests from the website: the form and the public JSON API, one booking path, limits, e-mails."""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from tests.factories import day, hx

HOST = "www.buchen.example"


@pytest.fixture
def agency(site):
    return site(HOST)


@pytest.fixture(autouse=True)
def roomy_limit(app, monkeypatch):
    """Tests send more than the 5 requests an hour a visitor may; the limit has a test of its own."""
    monkeypatch.setitem(app.config, "PUBLIC_BOOKING_RATE_LIMIT", "100 per hour")


@pytest.fixture
def staff(agency, make_user):
    return make_user(role="admin", agency=agency, email="chefin@buchen.example")


def form(arrival=40, departure=43, **fields) -> dict:
    return {"arrival": str(day(arrival)), "departure": str(day(departure)), "adults": "2",
            "name": "Erika Mustermann", "email": "erika@example.com", "phone": "+49 30 123456",
            "message": "Wir kommen mit Hund.", "privacy_consent": "on", **fields}


def api_body(arrival=40, departure=43, **fields) -> dict:
    return {"property": "haus-anfrage", "check_in": str(day(arrival)), "check_out": str(day(departure)),
            "adults": 2, "name": "Max Muster", "email": "max@example.com", "privacy_consent": True, **fields}


def post_form(client, slug="haus-anfrage", headers=None, **fields):
    return client.post(f"/unterkuenfte/{slug}/anfrage", data=form(**fields), headers={"Host": HOST, **(headers or {})})


def post_api(client, headers=None, **fields):
    return client.post("/api/public/v1/booking-requests", json=api_body(**fields),
                       headers={"Host": HOST, **(headers or {})})


def rows(app, model, **filters):
    from app.extensions import db

    with app.app_context():
        query = db.select(model).filter_by(**filters)
        found = list(db.session.scalars(query))
        for row in found:
            db.session.expunge(row)
        return found


def bookings(app, prop):
    from app.inventory.models import Booking

    return rows(app, Booking, property_id=prop.id)


def emails(app, agency):
    from app.mail.models import OutboundEmail

    return rows(app, OutboundEmail, agency_id=agency.id)


def occupied(client, slug="haus-anfrage"):
    response = client.get(f"/api/public/v1/availability?property={slug}&from_date={day(0)}&to_date={day(100)}",
                          headers={"Host": HOST})
    return [(item["start"], item["end"]) for item in response.get_json()["occupied"]]


@pytest.fixture
def request_prop(agency, make_property):
    return make_property(agency=agency, name="Haus Anfrage", base_nightly_rate=Decimal("100.00"), max_guests=4)


@pytest.fixture
def instant_prop(agency, make_property):
    return make_property(agency=agency, name="Haus Sofort", base_nightly_rate=Decimal("90.00"), max_guests=4,
                         direct_booking_mode="instant")


def test_a_request_becomes_an_inquiry_that_blocks_nothing(app, client, agency, staff, request_prop):
    from app.direct.models import BookingRequest
    from app.guests.models import Guest
    from app.pricing.models import BookingPriceLine

    response = post_form(client, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/unterkuenfte/haus-anfrage/anfrage/gesendet?status=inquiry")
    [booking] = bookings(app, request_prop)
    assert (booking.status, booking.source, booking.check_in, booking.check_out) == ("inquiry", "direct", day(40), day(43))
    assert occupied(client) == []
    [guest] = rows(app, Guest, id=booking.guest_id)
    assert (guest.first_name, guest.last_name, guest.email, guest.language) == ("Erika", "Mustermann",
                                                                                 "erika@example.com", "de")
    assert sum(line.amount for line in rows(app, BookingPriceLine, booking_id=booking.id)) == Decimal("300.00")
    [record] = rows(app, BookingRequest, booking_id=booking.id)
    assert record.message == "Wir kommen mit Hund." and record.language == "de"
    by_recipient = {email.recipient: email for email in emails(app, agency)}
    assert set(by_recipient) == {"erika@example.com", "chefin@buchen.example"}
    to_guest = by_recipient["erika@example.com"]
    assert to_guest.status == "pending" and "Ihre Buchungsanfrage" in to_guest.subject
    assert "Anreise" in to_guest.body and "Haus Anfrage" in to_guest.body
    assert "Wir kommen mit Hund." in by_recipient["chefin@buchen.example"].body
    sent = client.get(response.headers["Location"], headers={"Host": HOST, "Accept-Language": "de"})
    assert sent.status_code == 200 and "Nichts ist gebucht" in sent.get_data(as_text=True)


def test_the_same_guest_is_found_by_email(app, client, request_prop):
    from app.guests.models import Guest

    post_form(client)
    post_form(client, arrival=50, departure=53, email="ERIKA@example.com", name="Erika Muster-Neu")
    assert len({booking.guest_id for booking in bookings(app, request_prop)}) == 1
    assert len(rows(app, Guest, email="erika@example.com")) == 1


def test_an_instant_booking_holds_the_dates_and_a_second_one_is_told_politely(app, client, instant_prop):
    first = post_form(client, slug="haus-sofort", headers={"Accept-Language": "en"})
    assert first.status_code == 303 and "status=pending" in first.headers["Location"]
    assert occupied(client, "haus-sofort") == [(str(day(40)), str(day(43)))]
    second = post_form(client, slug="haus-sofort", arrival=41, departure=44, email="other@example.com",
                       headers={"Accept-Language": "en", **hx()})
    assert second.status_code == 409
    assert "these dates were just booked. Please choose other dates." in second.get_data(as_text=True)
    assert [booking.status for booking in bookings(app, instant_prop)] == ["pending"]


def test_a_request_for_taken_dates_is_refused_too(app, client, request_prop, make_booking):
    make_booking(request_prop, day(41), day(42))
    response = post_form(client, headers={"Accept-Language": "en"})
    assert response.status_code == 409 and "just booked" in response.get_data(as_text=True)
    assert len(bookings(app, request_prop)) == 1


def test_two_guests_racing_for_the_same_dates_get_one_booking(app, instant_prop):
    from tests.factories import CsrfClient

    app.test_client_class = CsrfClient
    barrier, answers = threading.Barrier(2), []

    def guest(email: str):
        client = app.test_client()
        barrier.wait(10)
        answers.append(post_form(client, slug="haus-sofort", email=email, headers={"Accept-Language": "en"}))

    threads = [threading.Thread(target=guest, args=(f"guest{n}@example.com",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answer.status_code for answer in answers) == [303, 409]
    [refused] = [answer for answer in answers if answer.status_code == 409]
    assert "just booked" in refused.get_data(as_text=True)
    assert [booking.status for booking in bookings(app, instant_prop)] == ["pending"]


def test_every_field_gets_a_message_next_to_it(app, client, request_prop):
    response = client.post("/unterkuenfte/haus-anfrage/anfrage", headers={"Host": HOST, **hx()},
                           data={"arrival": "morgen", "adults": "0", "name": "X", "email": "kein-mail",
                                 "phone": "call me", "message": "x" * 2001, "children_ages": "4, 30"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for name in ("arrival", "adults", "children_ages", "name", "email", "phone", "message", "privacy_consent"):
        assert f'id="booking-{name}-error"' in body, name
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in body
    assert bookings(app, request_prop) == []


def test_stay_rules_are_answered_at_the_fields(app, client, make_property, agency):
    make_property(agency=agency, name="Haus Lang", min_stay_nights=5)
    response = post_form(client, slug="haus-lang", headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "minimum stay 5 nights" in response.get_data(as_text=True)


def test_a_filled_honeypot_looks_like_success_and_writes_nothing(app, client, agency, request_prop):
    response = post_form(client, website="http://spam.example")
    assert response.status_code == 303 and "gesendet" in response.headers["Location"]
    api = post_api(client, website="http://spam.example")
    assert api.status_code == 201 and api.get_json()["status"] == "inquiry"
    assert bookings(app, request_prop) == [] and emails(app, agency) == []


def test_inactive_deleted_and_other_agencies_properties_are_404(app, client, agency, make_property, make_agency):
    from app.extensions import db
    from app.inventory import service

    make_property(agency=agency, name="Haus Still", is_active=False)
    deleted = make_property(agency=agency, name="Haus Weg")
    make_property(agency=make_agency(), name="Haus Fremd")
    with app.app_context():
        service.delete_property(agency.id, deleted.id)
        db.session.commit()
    for slug in ("haus-still", "haus-weg", "haus-fremd"):
        assert post_form(client, slug=slug).status_code == 404
        assert post_api(client, property=slug).status_code == 404


def test_requests_are_limited_per_ip_across_form_and_api(app, client, request_prop, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BOOKING_RATE_LIMIT", "2 per hour")
    assert post_form(client).status_code == 303
    assert post_api(client, arrival=50, departure=52).status_code == 201
    limited = post_form(client, arrival=60, departure=62, headers={"Accept-Language": "en", **hx()})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    body = limited.get_data(as_text=True)
    assert 'id="booking-form-error"' in body and "Too many requests from your connection" in body
    assert 'value="Erika Mustermann"' in body  # what the guest typed stays
    assert post_api(client, arrival=60, departure=62).status_code == 429


def test_quotes_on_the_page_are_limited_per_ip(app, client, request_prop, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_QUOTE_RATE_LIMIT", "2 per minute")
    path = f"/unterkuenfte/haus-anfrage/preis?arrival={day(40)}&departure={day(42)}&lang=de"
    answers = [client.get(path, headers={"Host": HOST}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Zu viele Anfragen" in answers[-1].get_data(as_text=True)


def test_the_api_books_with_the_same_rules(app, client, agency, request_prop, instant_prop):
    created = post_api(client, headers={"Accept-Language": "en"})
    assert created.status_code == 201
    assert created.get_json() == {"status": "inquiry", "check_in": str(day(40)), "check_out": str(day(43))}
    instant = post_api(client, property="haus-sofort", language="de")
    assert instant.status_code == 201 and instant.get_json()["status"] == "pending"
    taken = post_api(client, property="haus-sofort", arrival=42, departure=45)
    assert taken.status_code == 409 and taken.get_json()["conflict_type"] == "inventory_overlap"
    invalid = post_api(client, email="nope", privacy_consent=False, message="x" * 2001)
    assert invalid.status_code == 422
    assert {item["loc"][-1] for item in invalid.get_json()["detail"]} == {"email", "privacy_consent", "message"}
    assert post_api(client, extras=["00000000-0000-0000-0000-000000000001"]).status_code == 422
    assert post_api(client, arrival=-3, departure=2).status_code == 422
    guest_mail = {email.recipient: email for email in emails(app, agency)}["max@example.com"]
    assert guest_mail.subject.startswith("Your booking request") or guest_mail.subject.startswith("Ihre")


def test_the_api_answers_cors_for_the_agencys_origin(client, request_prop):
    allowed = post_api(client, headers={"Origin": f"https://{HOST}"})
    assert allowed.status_code == 201 and allowed.headers["Access-Control-Allow-Origin"] == f"https://{HOST}"
    preflight = client.options("/api/public/v1/booking-requests",
                               headers={"Host": HOST, "Origin": f"https://{HOST}", "Access-Control-Request-Method": "POST"})
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    foreign = post_api(client, arrival=50, departure=52, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_booking_requests_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    operation = paths["/api/public/v1/booking-requests"]["post"]
    assert {"201", "409", "422"} <= set(operation["responses"])


def test_the_detail_page_shows_the_form_and_the_mode(client, request_prop, instant_prop):
    body = client.get("/unterkuenfte/haus-anfrage?lang=en", headers={"Host": HOST}).get_data(as_text=True)
    assert 'action="/unterkuenfte/haus-anfrage/anfrage?lang=en"' in body and 'name="website"' in body
    assert "Send request" in body
    instant = client.get("/unterkuenfte/haus-sofort?lang=en", headers={"Host": HOST}).get_data(as_text=True)
    assert "Book now" in instant
