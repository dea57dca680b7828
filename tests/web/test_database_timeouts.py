"""Lock and statement timeouts (SQLSTATE 55P03 / 57014) answer 503 with Retry-After, never a hang."""
from __future__ import annotations

import time
from contextlib import contextmanager

import psycopg
import pytest

from tests.conftest import build_config
from tests.factories import CsrfClient, hx


@pytest.fixture
def timeout_app(database_url, redis_url, app):
    """An app on the test database with short SQL timeouts: `timeout_app(lock_ms, statement_ms)`."""
    from app import create_app
    from app.extensions import db

    created = []

    def make(lock_ms: int, statement_ms: int):
        timed = create_app(build_config(database_url, redis_url, DB_LOCK_TIMEOUT_MS=lock_ms,
                                        DB_STATEMENT_TIMEOUT_MS=statement_ms))
        timed.test_client_class = CsrfClient
        created.append(timed)
        return timed
    yield make
    for timed in created:
        with timed.app_context():
            db.engine.dispose()


@contextmanager
def properties_locked(database_url: str):
    """Another session holds an exclusive lock on the properties table until the block ends."""
    with psycopg.connect(database_url) as conn:
        conn.execute("LOCK TABLE properties IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


def assert_busy(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"


@pytest.mark.parametrize("lock_ms, statement_ms", [(200, 5000), (0, 300)], ids=["lock_timeout", "statement_timeout"])
def test_api_timeout_answers_503_with_retry_after(timeout_app, database_url, make_user, bearer, lock_ms, statement_ms):
    user = make_user("admin")
    client = timeout_app(lock_ms, statement_ms).test_client()
    with properties_locked(database_url):
        started = time.monotonic()
        response = client.get("/api/v1/properties/", headers=bearer(user))
    assert time.monotonic() - started < 3
    assert_busy(response)
    body = response.get_json()
    assert body["error"] == "database_busy" and body["retry_after"] == 2
    assert "Please retry in 2 seconds" in body["message"]
    assert client.get("/api/v1/properties/", headers=bearer(user)).status_code == 200  # lock gone: works again


def test_page_and_htmx_timeouts_show_the_retry_hint(timeout_app, database_url, make_user, make_property, login):
    user = make_user("admin")
    prop = make_property(agency=user.agency)
    client = login(timeout_app(200, 5000).test_client(), user)
    with properties_locked(database_url):
        page = client.get(f"/properties/{prop.id}")
        fragment = client.get(f"/properties/{prop.id}", headers=hx())
        listing = client.get("/properties", headers=hx())
    for response in (page, fragment):
        assert_busy(response)
        assert "Please retry in 2 seconds" in response.get_data(as_text=True)
    # a list keeps its layout and shows the hint in its error state
    assert listing.status_code == 503 and "Please retry in 2 seconds" in listing.get_data(as_text=True)
