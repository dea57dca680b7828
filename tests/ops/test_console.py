"""Ops console: flag gate, Access Denied diagnostics, status panel, copy payloads, sync, runbook."""
from __future__ import annotations

import json
import secrets
import re
from html import unescape

import pytest

from tests.conftest import build_config
from tests.factories import CsrfClient, hx


@pytest.fixture(scope="module")
def console_app(database_url, redis_url, app):
    from app import create_app

    console = create_app(build_config(database_url, redis_url, ENABLE_OPS_CONSOLE=True))
    console.test_client_class = CsrfClient
    return console


@pytest.fixture
def console_login(console_app, make_user):
    def login_as(role: str, operator: bool = False):
        user = make_user(role=role, operator=operator)
        client = console_app.test_client()
        client.refresh_csrf("/login")
        client.post("/login", data={"email": user.email, "password": "correct-horse-battery",
                                    "csrf_token": client.csrf_token})
        client.user = user
        return client
    return login_as


@pytest.fixture
def sync_logs(app, make_agency):
    """Sync logs of one connection of the agency (a new agency when None), `minutes_ago` old."""
    from datetime import datetime, timedelta, timezone

    from app.channels.models import ChannelConnection, ChannelSyncLog
    from app.extensions import db
    from app.inventory.models import Property

    def make(agency, statuses: tuple[str, ...], minutes_ago: int = 5):
        agency = agency or make_agency()
        at = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
        with app.app_context():
            prop = Property(agency_id=agency.id, name="Haus am See", ical_token=secrets.token_hex(8))
            db.session.add(prop)
            db.session.flush()
            connection = ChannelConnection(agency_id=agency.id, property_id=prop.id, platform_type="airbnb")
            db.session.add(connection)
            db.session.flush()
            db.session.add_all(ChannelSyncLog(
                tenant_id=agency.id, connection_id=connection.id, operation_type="availability_update",
                status=status, created_at=at, updated_at=at,
                finished_at=at if status in ("success", "failed") else None) for status in statuses)
            db.session.commit()
    return make


def copied(html: str, element_id: str) -> str:
    match = re.search(rf'data-copy="([^"]*)"[^>]*id="{element_id}"', html)
    assert match, f"no data-copy on #{element_id}"
    return unescape(match.group(1))


def test_console_disabled_page_explains_the_flag(logged_in):
    response = logged_in("admin").get("/ops/status")
    text = response.get_data(as_text=True)
    assert response.status_code == 404 and "Ops Console is Disabled" in text
    assert "ENABLE_OPS_CONSOLE" in text and "<code>yes</code>" in text


def test_anonymous_visitor_is_sent_to_login(console_app):
    response = console_app.test_client().get("/ops/status")
    assert response.status_code == 302 and "/login?next=/ops/status" in response.headers["Location"]


def test_non_admin_sees_access_denied_with_diagnostics(console_login):
    client = console_login("manager")
    response = client.get("/ops/sync")
    text = response.get_data(as_text=True)
    assert response.status_code == 403 and "Access Denied" in text
    assert "Ops Console is restricted to administrators only" in text
    assert str(client.user.id) in text and client.user.email in text
    assert re.search(r"Resolved role</dt><dd>manager", text)


def test_index_redirects_to_status_and_nav_shows_ops(console_login):
    client = console_login("admin")
    response = client.get("/ops")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ops/status")
    page = client.get("/ops/status").get_data(as_text=True)
    assert "Checking system..." in page and 'hx-trigger="load"' in page
    assert 'href="/ops"' in page and 'href="/rq/"' not in page and ">operator</span>" not in page
    operator_page = console_login("admin", operator=True).get("/ops/status").get_data(as_text=True)
    assert 'href="/rq/"' in operator_page and ">operator</span>" in operator_page


def test_status_panel_reports_degraded_without_worker(console_login):
    client = console_login("admin", operator=True)
    response = client.get("/ops/status/panel", headers=hx())
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'id="ops-status-panel"' in text
    assert "Degraded" in text and "worker component (status: down)" in text
    assert "no RQ worker is running" in text and "<code>/health/ready</code>" in text
    payload = json.loads(copied(text, "copy-diagnostics"))
    assert payload["overall_status"] == "degraded" and payload["user_role"] == "admin"
    assert payload["endpoints"]["/health"]["http_status"] == 200
    assert payload["components"] == {"db": "up", "redis": "up", "worker": "down"}
    assert payload["health_ready"]["components"]["worker"]["error"] == "no RQ worker is running"
    full_page = client.get("/ops/status/panel").get_data(as_text=True)
    assert "<html" in full_page and 'id="ops-status-panel"' in full_page


def test_agency_admin_sees_component_statuses_without_the_shared_details(console_login):
    text = console_login("admin").get("/ops/status/panel", headers=hx()).get_data(as_text=True)
    assert "Degraded" in text and "worker component (status: down)" in text
    assert 'id="ops-details-hidden"' in text and 'id="ops-workers"' not in text
    payload = json.loads(copied(text, "copy-diagnostics"))
    assert payload["health_ready"]["components"]["worker"] == {"status": "down"}


def test_diagnostics_never_contain_secrets(database_url, redis_url, app, make_user, monkeypatch):
    from app import create_app
    from app.config import load_config

    known = {"SECRET_KEY": "sk-5ecret-key-value", "ENCRYPTION_KEY": "fernet-old-key,fernet-new-key",
               "REDIS_URL": "redis://:redis-pa55word@127.0.0.1:1/0"}
    for name, value in {**known, "DATABASE_URL": database_url, "ENABLE_OPS_CONSOLE": "yes",
                        "SESSION_COOKIE_SECURE": "false", "DB_BACKGROUND_RECONNECT_ENABLED": "false"}.items():
        monkeypatch.setenv(name, value)
    leaky = create_app({"TESTING": True})
    assert leaky.config["REDIS_URL"] == known["REDIS_URL"] and load_config()["ENABLE_OPS_CONSOLE"]
    leaky.test_client_class = CsrfClient
    client = leaky.test_client()
    user = make_user(role="admin")
    client.refresh_csrf("/login")
    client.post("/login", data={"email": user.email, "password": "correct-horse-battery",
                                "csrf_token": client.csrf_token})
    text = client.get("/ops/status/panel", headers=hx()).get_data(as_text=True)
    payload = copied(text, "copy-diagnostics")
    assert json.loads(payload)["components"]["redis"] == "down"
    for value in ("sk-5ecret-key-value", "fernet-old-key", "fernet-new-key", "redis-pa55word"):
        assert value not in payload and value not in text


def test_redact_removes_configured_secrets(console_app):
    from app.ops.diagnostics import redact

    with console_app.app_context():
        console_app.config["SECRET_KEY"] = "super-secret-signing-key"
        try:
            leaked = redact('{"error": "failed for super-secret-signing-key at postgresql://u:pw@db/x"}')
        finally:
            console_app.config["SECRET_KEY"] = "test-secret-key"
    assert "super-secret-signing-key" not in leaked and ":pw@" not in leaked and "u:***@db" in leaked


def test_sync_page_counts_failures_and_stale_logs(console_app, console_login, sync_logs):
    client = console_login("admin")
    sync_logs(client.user.agency, statuses=("success", "failed", "failed", "success"))
    sync_logs(client.user.agency, statuses=("running",), minutes_ago=90)
    sync_logs(None, statuses=("failed", "failed"))  # another agency: not counted
    text = client.get("/ops/sync").get_data(as_text=True)
    assert "50.0 %" in text and "2 failed of 4 finished operations" in text
    assert re.search(r'id="stale-logs">\s*<h2>Stale sync logs</h2>\s*<p class="metric">1</p>', text)
    assert "Runbook" in text
    assert 'id="queue-table"' not in text and "all agencies" not in text  # global parts: operators only
    operator_text = console_login("admin", operator=True).get("/ops/sync").get_data(as_text=True)
    assert 'id="queue-table"' in operator_text and 'id="ops-sync-global-rates"' in operator_text


def test_runbook_lists_incidents_and_copies_a_template(console_login):
    text = console_login("admin").get("/ops/runbook").get_data(as_text=True)
    for key in ("database-unavailable", "worker-down", "session-expired", "validation", "overbooking",
                "schema-out-of-date", "database-busy"):
        assert f'id="incident-{key}"' in text
    template = copied(text, "copy-template")
    assert "What I was doing:" in template and "User role: admin" in template
