"""Parallel identical bookings: exactly one wins, the rest get 409, nothing overlaps."""
from __future__ import annotations

import threading

import pytest

from tests.factories import DEFAULT_PASSWORD, day
from tests.inventory.checks import CONSISTENT, inventory_problems
from tests.live_server import parallel_requests

PARALLEL = 10


def booking_body(prop) -> dict:
    return {"property_id": str(prop.id), "check_in": str(day(20)), "check_out": str(day(23))}


def assert_one_winner(app, statuses: list) -> None:
    from app.extensions import db
    from app.inventory.models import Booking

    assert sorted(statuses) == [201] + [409] * (PARALLEL - 1), statuses
    with app.app_context():
        assert db.session.query(Booking).count() == 1
        assert inventory_problems(db.session) == CONSISTENT
        db.session.remove()


def test_parallel_threads_book_the_same_dates(app, make_user, bearer, make_property):
    user = make_user("staff")
    prop, headers = make_property(user.agency), bearer(user)
    barrier, statuses = threading.Barrier(PARALLEL), []

    def book():
        client = app.test_client()
        barrier.wait(10)
        statuses.append(client.post("/api/v1/bookings/", json=booking_body(prop), headers=headers).status_code)

    threads = [threading.Thread(target=book) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert_one_winner(app, statuses)


@pytest.mark.slow
def test_parallel_processes_book_the_same_dates_over_http(app, live_server, make_user, make_property):
    user = make_user("manager")
    prop = make_property(user.agency)
    token = live_server.token(user.email, DEFAULT_PASSWORD)
    statuses = parallel_requests(PARALLEL, "POST", f"{live_server.url}/api/v1/bookings/",
                                 {"Authorization": f"Bearer {token}"}, booking_body(prop))
    assert not [s for s in statuses if not isinstance(s, int) or s >= 500], statuses
    assert_one_winner(app, statuses)
