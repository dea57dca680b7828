"""Liveness, readiness (GET and HEAD), and degraded mode with self-heal."""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import READY_DETAILS, build_config
from tests.factories import CsrfClient
from tests.tcp_proxy import TcpProxy, postgres_target


def test_health_is_always_up(client):
    for method in ("get", "head"):
        response = getattr(client, method)("/health")
        assert response.status_code == 200
    body = client.get("/health").get_json()
    assert body["status"] == "up" and body["service"] == "pms" and "version" in body and "commit" in body
    assert client.head("/health").data == b""


def test_readiness_reports_components(client):
    response = client.get("/health/ready", headers=READY_DETAILS)
    body = response.get_json()
    assert body["components"]["db"]["status"] == "up"
    assert body["components"]["db"]["details"]["schema"] == "current"
    assert body["components"]["redis"]["status"] == "up"
    assert "worker" in body["components"] and body["checked_at"].endswith("Z")
    # no worker runs in this test: degraded is 200, strict turns it into 503
    assert body["status"] == "degraded" and response.status_code == 200
    assert client.get("/health/ready?strict=1", headers=READY_DETAILS).status_code == 503
    assert client.head("/health/ready?strict=1").status_code == 503
    assert client.head("/health/ready").data == b""


def test_readiness_with_checks_switched_off(database_url, redis_url, app):
    from app import create_app

    quiet = create_app(build_config(database_url, redis_url, ENABLE_WORKER_HEALTHCHECK=False,
                                   ENABLE_REDIS_HEALTHCHECK=False))
    body = quiet.test_client().get("/health/ready", headers=READY_DETAILS).get_json()
    assert body["status"] == "up"
    assert body["components"]["worker"] == {"status": "up", "details": {"skipped": True}}


def test_redis_down_is_degraded_not_down(database_url, app):
    from app import create_app

    no_redis = create_app(build_config(database_url, "redis://127.0.0.1:1/0"))
    response = no_redis.test_client().get("/health/ready", headers=READY_DETAILS)
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["components"]["redis"]["status"] == "down" and body["components"]["redis"]["error"]


def proxied_url(database_url: str, port: int) -> str:
    parts = urlsplit(database_url)
    return f"postgresql://postgres@127.0.0.1:{port}{parts.path}"


@pytest.fixture
def db_proxy(database_url):
    proxy = TcpProxy(postgres_target(database_url))
    yield proxy
    proxy.stop()


def test_degraded_mode_at_start_then_heals(database_url, redis_url, app, db_proxy, caplog):
    from app import create_app

    caplog.set_level(logging.INFO)
    config = build_config(proxied_url(database_url, db_proxy.port), redis_url,
                         DB_STARTUP_MAX_WAIT_SECONDS=1, DB_STARTUP_RETRY_INTERVAL_SECONDS=0.3)
    started = time.monotonic()
    degraded = create_app(config)
    assert time.monotonic() - started < 5
    assert "Database connection attempt 1 failed" in caplog.text
    assert "App will start in DEGRADED MODE (DB unavailable)" in caplog.text
    client = degraded.test_client()
    assert client.get("/health").status_code == 200
    ready = client.get("/health/ready", headers=READY_DETAILS)
    assert ready.status_code == 503 and ready.get_json()["components"]["db"]["status"] == "down"
    api = client.post("/api/v1/auth/token", json={"email": "a@example.com", "password": "x"})
    assert (api.status_code, api.get_json()) == (503, {"error": "service_unavailable",
                                                       "message": "Database is temporarily unavailable."})
    degraded.test_client_class = CsrfClient
    browser = degraded.test_client()
    browser.refresh_csrf()
    page = browser.post("/login", data={"email": "a@example.com", "password": "x",
                                        "csrf_token": browser.csrf_token})
    text = page.get_data(as_text=True)
    assert page.status_code == 503 and "Database unavailable" in text and "Traceback" not in text

    db_proxy.start()
    assert client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["db"]["status"] == "up"
    degraded.extensions["database_monitor"].poll_once()
    assert "App is now in NORMAL MODE (DB available)" in caplog.text


def test_database_outage_while_running_answers_503_quickly(database_url, redis_url, app, db_proxy):
    from app import create_app

    db_proxy.start()
    running = create_app(build_config(proxied_url(database_url, db_proxy.port), redis_url))
    client = running.test_client()
    assert client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["db"]["status"] == "up"
    db_proxy.stop()
    started = time.monotonic()
    ready = client.get("/health/ready", headers=READY_DETAILS)
    assert ready.status_code == 503 and time.monotonic() - started < 3
    api = client.post("/api/v1/auth/token", json={"email": "a@example.com", "password": "x"})
    assert api.status_code == 503 and api.get_json()["error"] == "service_unavailable"
    db_proxy.start()
    assert client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["db"]["status"] == "up"


def test_schema_not_installed_is_reported(postgres_server_url, redis_url, app):
    from app import create_app
    from tests.conftest import create_database, drop_database

    url = create_database(postgres_server_url, prefix="fewo_noschema")
    try:
        bare = create_app(build_config(url, redis_url))
        client = bare.test_client()
        ready = client.get("/health/ready", headers=READY_DETAILS)
        db_component = ready.get_json()["components"]["db"]
        assert ready.status_code == 503 and db_component["status"] == "down"
        assert "schema" in db_component["error"]
        api = client.post("/api/v1/auth/token", json={"email": "a@example.com", "password": "x"})
        assert api.status_code == 503
        assert api.get_json()["error"] == "schema_out_of_date"
        assert api.get_json()["message"].endswith("Run: flask db upgrade")
        with bare.app_context():
            bare.extensions["sqlalchemy"].engine.dispose()
    finally:
        drop_database(postgres_server_url, url)


def test_readiness_reports_schema_behind_head(app, client):
    """A deploy whose migrations were not applied: db down, 503, and the fix named."""
    from app.extensions import db
    from app.ops.database import code_head_revision, migration_scripts

    head = code_head_revision()
    previous = migration_scripts().get_revision(head).down_revision
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = %s", (previous,))
    try:
        ready = client.get("/health/ready", headers=READY_DETAILS)
        component = ready.get_json()["components"]["db"]
        assert ready.status_code == 503 and ready.get_json()["status"] == "down"
        assert component["status"] == "down" and component["details"] == {"schema": "behind", "revision": previous}
        assert f"behind head (database revision {previous}, code head {head})" in component["error"]
        assert component["error"].endswith("Run: flask db upgrade")
        assert client.head("/health/ready", headers=READY_DETAILS).status_code == 503
        with app.app_context():
            with db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
        unknown = client.get("/health/ready", headers=READY_DETAILS)
        assert unknown.status_code == 503
        assert "f00dfeedbeef is not one of this code's migrations" in unknown.get_json()["components"]["db"]["error"]
    finally:
        with app.app_context():
            with db.engine.begin() as conn:
                conn.exec_driver_sql("UPDATE alembic_version SET version_num = %s", (head,))
    assert client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["db"]["details"]["schema"] == "current"


def test_anonymous_readiness_shows_statuses_only(client, app, make_user, login):
    anonymous = client.get("/health/ready").get_json()
    assert set(anonymous) == {"status", "components", "checked_at"}
    assert all(set(component) == {"status"} for component in anonymous["components"].values())
    wrong = client.get("/health/ready", headers={"X-Health-Token": "wrong"}).get_json()
    assert all(set(component) == {"status"} for component in wrong["components"].values())
    agency_admin = login(app.test_client(), make_user("admin")).get("/health/ready").get_json()
    assert "details" not in agency_admin["components"]["db"]
    operator = login(app.test_client(), make_user("staff", operator=True)).get("/health/ready").get_json()
    assert operator["components"]["db"]["details"]["schema"] == "current"
    assert client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["worker"]["error"]
