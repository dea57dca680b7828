"""The agency answers website requests: dashboard panel, confirm / decline dialogs, expiry of held dates."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import day, hx

HOST = "www.antwort.example"


@pytest.fixture
def agency(site):
    return site(HOST)


@pytest.fixture
def admin(logged_in, agency):
    return logged_in("admin", agency=agency)


def request_booking(client, slug: str, arrival: int = 40, departure: int = 43, email: str = "gast@example.com"):
    response = client.post(f"/unterkuenfte/{slug}/anfrage", headers={"Host": HOST},
                           data={"arrival": str(day(arrival)), "departure": str(day(departure)), "adults": "2",
                                 "name": "Gerda Gast", "email": email, "privacy_consent": "on",
                                 "message": "Gibt es WLAN?"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]


def website_booking(app, slug: str):
    from app.extensions import db
    from app.inventory.models import Booking, Property

    with app.app_context():
        booking = db.session.scalar(db.select(Booking).join(Property).where(Property.slug == slug))
        db.session.expunge(booking)
        return booking


def status_of(app, booking_id) -> str:
    from app.extensions import db
    from app.inventory.models import Booking

    with app.app_context():
        return db.session.get(Booking, booking_id).status


def occupied(client, slug: str):
    response = client.get(f"/api/public/v1/availability?property={slug}&from_date={day(0)}&to_date={day(100)}",
                          headers={"Host": HOST})
    return [(item["start"], item["end"]) for item in response.get_json()["occupied"]]


def outbox_count(app, agency) -> int:
    from app.extensions import db
    from app.mail.models import OutboundEmail

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(OutboundEmail)
                                 .where(OutboundEmail.agency_id == agency.id))


@pytest.fixture
def request_prop(agency, make_property):
    return make_property(agency=agency, name="Haus Frage", base_nightly_rate=Decimal("80.00"))


@pytest.fixture
def instant_prop(agency, make_property):
    return make_property(agency=agency, name="Haus Halt", base_nightly_rate=Decimal("80.00"),
                         direct_booking_mode="instant")


def test_the_dashboard_lists_open_requests_with_answers(client, admin, request_prop):
    request_booking(client, "haus-frage")
    body = admin.get("/").get_data(as_text=True)
    assert 'id="dashboard-direct-requests"' in body and "Gerda Gast" in body and "Gibt es WLAN?" in body
    dialog = admin.get(f"/direct-requests/{website_booking(admin.application, 'haus-frage').id}/confirm")
    assert dialog.status_code == 200 and "<dialog" in dialog.get_data(as_text=True)


def test_the_dashboard_says_when_more_requests_wait_than_it_lists(app, client, admin, request_prop, monkeypatch):
    from functools import partial

    from app.direct import service, views

    for email in ("eins@example.com", "zwei@example.com"):
        request_booking(client, "haus-frage", email=email)
    with app.app_context():
        open_requests = service.list_open_requests(admin.user.agency.id, limit=1)
    assert len(open_requests.items) == 1 and open_requests.total == 2
    monkeypatch.setattr(views.service, "list_open_requests", partial(service.list_open_requests, limit=1))
    body = admin.get("/").get_data(as_text=True)
    assert 'id="direct-requests-count">2<' in body and body.count('id="direct-request-') == 1
    assert "The 1 oldest of 2 waiting requests" in body


def test_confirming_an_inquiry_books_its_dates(app, client, admin, request_prop):
    request_booking(client, "haus-frage")
    booking = website_booking(app, "haus-frage")
    assert occupied(client, "haus-frage") == []
    response = admin.post(f"/direct-requests/{booking.id}/confirm", headers=hx())
    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#modal"
    assert 'id="dashboard-direct-requests" hx-swap-oob="true"' in response.get_data(as_text=True)
    assert status_of(app, booking.id) == "confirmed"
    assert occupied(client, "haus-frage") == [(str(day(40)), str(day(43)))]
    assert admin.post(f"/direct-requests/{booking.id}/confirm", headers=hx()).status_code == 404  # answered


def test_confirming_an_inquiry_whose_dates_went_shows_the_409_in_the_dialog(app, client, admin, request_prop,
                                                                           make_booking):
    request_booking(client, "haus-frage")
    booking = website_booking(app, "haus-frage")
    make_booking(request_prop, day(42), day(45))
    response = admin.post(f"/direct-requests/{booking.id}/confirm", headers=hx())
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert 'id="direct-answer-error"' in body and "already booked" in body
    assert status_of(app, booking.id) == "inquiry"


def test_declining_frees_held_dates_and_sends_nothing(app, client, admin, agency, instant_prop, request_prop,
                                                      make_booking):
    request_booking(client, "haus-halt")
    request_booking(client, "haus-frage", email="frage@example.com")
    held, asked = website_booking(app, "haus-halt"), website_booking(app, "haus-frage")
    make_booking(request_prop, day(40), day(41))  # another booking on the inquiry's dates stays untouched
    assert occupied(client, "haus-halt") == [(str(day(40)), str(day(43)))]
    mails = outbox_count(app, agency)
    for booking in (held, asked):
        assert admin.post(f"/direct-requests/{booking.id}/decline", headers=hx()).status_code == 200
        assert status_of(app, booking.id) == "declined"
    assert occupied(client, "haus-halt") == []
    assert occupied(client, "haus-frage") == [(str(day(40)), str(day(41)))]
    assert outbox_count(app, agency) == mails


def test_other_agencies_and_unknown_answers_are_404(app, client, logged_in, request_prop):
    request_booking(client, "haus-frage")
    booking = website_booking(app, "haus-frage")
    stranger = logged_in("admin")
    assert stranger.post(f"/direct-requests/{booking.id}/confirm", headers=hx()).status_code == 404
    assert stranger.get(f"/direct-requests/{booking.id}/decline").status_code == 404
    assert logged_in("admin", agency=None).get(f"/direct-requests/{booking.id}/shrug").status_code == 404
    assert status_of(app, booking.id) == "inquiry"


def test_pending_bookings_left_unconfirmed_are_declined_by_the_periodic_job(app, client, instant_prop,
                                                                           make_property, agency, monkeypatch):
    from app.extensions import db
    from app.direct.models import BookingRequest
    from jobs import direct, set_worker_app

    make_property(agency=agency, name="Haus Frisch", direct_booking_mode="instant")
    request_booking(client, "haus-halt")
    request_booking(client, "haus-frisch", email="frisch@example.com")
    old, fresh = website_booking(app, "haus-halt"), website_booking(app, "haus-frisch")
    with app.app_context():
        db.session.execute(db.update(BookingRequest).where(BookingRequest.booking_id == old.id)
                           .values(created_at=db.func.now() - timedelta(hours=49)))
        db.session.commit()
    monkeypatch.setitem(app.config, "DIRECT_BOOKING_PENDING_HOURS", 48)
    set_worker_app(app)
    try:
        assert direct.decline_expired_direct_bookings() == 1
    finally:
        set_worker_app(None)
    assert status_of(app, old.id) == "declined" and status_of(app, fresh.id) == "pending"
    assert occupied(client, "haus-halt") == []
    assert occupied(client, "haus-frisch") == [(str(day(40)), str(day(43)))]


def test_the_booking_mode_is_on_the_private_api_and_the_property_form(app, admin, agency, request_prop):
    api = admin.patch(f"/api/v1/properties/{request_prop.id}", json={"direct_booking_mode": "instant"})
    assert api.status_code == 200 and api.get_json()["direct_booking_mode"] == "instant"
    assert admin.patch(f"/api/v1/properties/{request_prop.id}",
                       json={"direct_booking_mode": "sometimes"}).status_code == 422
    form = admin.get(f"/properties/{request_prop.id}/edit").get_data(as_text=True)
    assert 'name="direct_booking_mode"' in form and '<option value="instant" selected>' in form
    created = admin.post("/api/v1/properties/", json={"name": "Haus Neu"})
    assert created.get_json()["direct_booking_mode"] == "request"
