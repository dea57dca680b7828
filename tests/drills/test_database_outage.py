"""Drill: PostgreSQL stops under a running gunicorn, and is unreachable when the app starts.

Readiness turns 503 within 3 s, the API answers the documented 503 body, pages show the
outage page (never a traceback); when PostgreSQL is back, everything heals without a
restart of the web process.
"""
from __future__ import annotations

import time

import pytest
import requests

from tests.drills.conftest import wait_for
from tests.factories import DEFAULT_PASSWORD, day

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("ensure_servers_up")]
DB_DOWN_BODY = {"error": "service_unavailable", "message": "Database is temporarily unavailable."}


def status_of(url: str, **kwargs) -> int:
    try:
        return requests.get(url, timeout=5, **kwargs).status_code
    except requests.RequestException:
        return 0


def assert_outage_answers(server, headers: dict) -> None:
    api = requests.get(f"{server.url}/api/v1/properties/", headers=headers, timeout=10)
    assert api.status_code == 503 and api.json() == DB_DOWN_BODY
    page = requests.get(f"{server.url}/login", timeout=10)
    page_with_session = requests.get(f"{server.url}/", headers=headers, timeout=10, allow_redirects=False)
    for response in (page, page_with_session):
        assert "Traceback" not in response.text
    ready = requests.get(f"{server.url}/health/ready", timeout=10)
    assert ready.status_code == 503 and ready.json()["components"]["db"]["status"] == "down"
    assert requests.get(f"{server.url}/health", timeout=5).status_code == 200


def book(server, headers: dict, prop, offset: int) -> int:
    body = {"property_id": str(prop.id), "check_in": str(day(offset)), "check_out": str(day(offset + 2))}
    return requests.post(f"{server.url}/api/v1/bookings/", json=body, headers=headers, timeout=10).status_code


def test_database_stops_under_running_app_and_heals_without_restart(
        gunicorn, drill_postgres, make_user, make_property, figures):
    user = make_user("manager")
    prop = make_property(user.agency)
    server = gunicorn()
    headers = {"Authorization": f"Bearer {server.token(user.email, DEFAULT_PASSWORD)}"}
    assert book(server, headers, prop, 10) == 201
    pid = server.process.pid

    drill_postgres.stop()
    stopped = time.monotonic()
    _, detect = wait_for(lambda: status_of(f"{server.url}/health/ready") == 503, timeout=3)
    assert_outage_answers(server, headers)

    drill_postgres.start()
    restarted = time.monotonic()
    _, heal = wait_for(lambda: status_of(f"{server.url}/health/ready") == 200, timeout=15)
    assert book(server, headers, prop, 20) == 201
    assert server.process.pid == pid and server.process.poll() is None
    figures.record("database_outage", time_to_detect_s=round(detect, 2), time_to_heal_s=round(heal, 2),
                   outage_s=round(restarted - stopped, 2), restarts_of_web=0)


def test_outage_page_for_logged_in_browser(gunicorn, drill_postgres, make_user):
    user = make_user("admin")
    server = gunicorn(workers=1)
    browser = requests.Session()
    login_page = browser.get(f"{server.url}/login", timeout=10).text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = browser.post(f"{server.url}/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                                       "csrf_token": token}, timeout=10)
    assert answer.status_code == 200 and answer.url.rstrip("/") == server.url

    drill_postgres.stop()
    page = browser.get(f"{server.url}/", timeout=10)
    assert page.status_code == 503 and "Database unavailable" in page.text and "Traceback" not in page.text
    drill_postgres.start()
    wait_for(lambda: browser.get(f"{server.url}/", timeout=10).status_code == 200, timeout=15)


def test_database_unreachable_at_start_degraded_mode_then_heals(gunicorn, drill_postgres, make_user, figures):
    user = make_user("admin")
    drill_postgres.stop()
    started = time.monotonic()
    server = gunicorn(workers=1, DB_STARTUP_MAX_WAIT_SECONDS="1", DB_STARTUP_RETRY_INTERVAL_SECONDS="0.5",
                      DB_BACKGROUND_RECONNECT_ENABLED="true", DB_BACKGROUND_RECONNECT_INTERVAL_SECONDS="0.5",
                      LOG_LEVEL="INFO")
    boot = time.monotonic() - started
    assert requests.get(f"{server.url}/health", timeout=5).status_code == 200
    assert status_of(f"{server.url}/health/ready") == 503
    api = requests.post(f"{server.url}/api/v1/auth/token", json={"email": user.email, "password": DEFAULT_PASSWORD},
                        timeout=10)
    assert api.status_code == 503 and api.json() == DB_DOWN_BODY

    drill_postgres.start()
    _, heal = wait_for(lambda: status_of(f"{server.url}/health/ready") == 200, timeout=15)
    assert server.token(user.email, DEFAULT_PASSWORD)
    wait_for(lambda: "App is now in NORMAL MODE (DB available)" in server.output(), timeout=5)
    output = server.output()
    assert "App will start in DEGRADED MODE (DB unavailable)" in output
    assert "Database connection attempt 1 failed" in output
    figures.record("database_unreachable_at_start", boot_in_degraded_mode_s=round(boot, 2),
                   time_to_heal_s=round(heal, 2))
