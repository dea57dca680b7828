"""Idempotency-Key on creating POSTs: replay, different body, still running, failures."""
from __future__ import annotations

import threading

from tests.factories import day


def book(api, prop, key, start=1, end=3, **extra):
    return api.book(prop, day(start), day(end), headers={"Idempotency-Key": key}, **extra)


def test_repeat_with_same_body_replays_the_first_response(admin_api, make_property):
    prop = make_property(admin_api.agency)
    first = book(admin_api, prop, "key-1")
    again = book(admin_api, prop, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert admin_api.get("/api/v1/bookings/").get_json()["total"] == 1
    assert book(admin_api, prop, "key-2", 5, 7).status_code == 201  # a new key is a new request


def test_same_key_with_different_body_is_422(admin_api, make_property):
    prop = make_property(admin_api.agency)
    book(admin_api, prop, "key-1")
    other = book(admin_api, prop, "key-1", 5, 7)
    assert other.status_code == 422 and other.get_json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def test_keys_are_per_user(admin_api, api_as, make_property):
    prop = make_property(admin_api.agency)
    colleague = api_as("admin", admin_api.agency)
    assert book(admin_api, prop, "shared").status_code == 201
    assert book(colleague, prop, "shared").status_code == 409  # a real second attempt: dates taken


def test_failed_request_stores_nothing(admin_api, make_property):
    prop = make_property(admin_api.agency)
    blocker = admin_api.book(prop, day(1), day(3)).get_json()
    assert book(admin_api, prop, "retry-me").status_code == 409
    admin_api.patch(f"/api/v1/bookings/{blocker['id']}", json={"status": "cancelled"})
    assert book(admin_api, prop, "retry-me").status_code == 201


def test_repeat_while_first_is_running_is_409(app, admin_api, make_property, monkeypatch):
    from app.inventory import service

    prop = make_property(admin_api.agency)
    entered, release = threading.Event(), threading.Event()
    original = service.create_booking

    def slow_create(*args, **kwargs):
        entered.set()
        release.wait(5)
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "create_booking", slow_create)
    results = {}
    first = threading.Thread(target=lambda: results.update(first=book(admin_api, prop, "slow")))
    first.start()
    assert entered.wait(5)
    running = book(admin_api, prop, "slow")
    release.set()
    first.join(5)
    assert (running.status_code, running.get_json()) == (
        409, {"detail": "A request with this Idempotency-Key is still in progress"})
    assert results["first"].status_code == 201


def test_overlong_key_is_422(admin_api, make_property):
    response = book(admin_api, make_property(admin_api.agency), "k" * 256)
    assert response.status_code == 422 and response.get_json()["detail"][0]["loc"][-1] == "Idempotency-Key"


def test_properties_blocks_and_guests_accept_keys(admin_api, make_property):
    prop = make_property(admin_api.agency)
    posts = (("/api/v1/properties/", {"name": "Once"}),
             ("/api/v1/availability/blocks", {"property_id": str(prop.id), "start_date": str(day(1)),
                                              "end_date": str(day(2))}),
             ("/api/v1/guests/", {"first_name": "Once", "last_name": "Only"}))
    for path, body in posts:
        key = {"Idempotency-Key": f"once-{path}"}
        first, second = (admin_api.post(path, json=body, headers=key) for _ in range(2))
        assert first.status_code == second.status_code == 201 and first.get_json() == second.get_json()


def test_daily_job_forgets_only_expired_keys(app, admin_api, make_property):
    from datetime import timedelta

    from app.extensions import db
    from app.web.models import IdempotencyRecord
    from jobs import set_worker_app
    from jobs.maintenance import purge_expired_idempotency_keys

    prop = make_property(admin_api.agency)
    assert book(admin_api, prop, "old-key").status_code == 201
    assert book(admin_api, prop, "fresh-key", 5, 7).status_code == 201
    with app.app_context():
        old = db.session.scalars(db.select(IdempotencyRecord).filter_by(key="old-key")).one()
        old.created_at = old.created_at - timedelta(seconds=app.config["IDEMPOTENCY_TTL_SECONDS"] + 60)
        db.session.commit()
    set_worker_app(app)
    assert purge_expired_idempotency_keys() == 1
    with app.app_context():
        assert db.session.scalars(db.select(IdempotencyRecord.key)).all() == ["fresh-key"]
