"""Drill: Redis stops under a running gunicorn.

Pages and API reads keep working, sync triggers answer 503 `queue_unavailable` and write no
sync log, readiness reports `degraded` (200; 503 with ?strict=1); when Redis is back,
triggers work again without a restart.
"""
from __future__ import annotations

import time

import pytest
import requests

from tests.drills.conftest import wait_for
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("ensure_servers_up")]


def readiness(server) -> dict:
    return requests.get(f"{server.url}/health/ready", timeout=10).json()


def test_redis_stops_reads_work_triggers_503_then_recover(gunicorn, drill_redis, setup, figures):
    user, _, prop, connection = setup()
    server = gunicorn(ENABLE_WORKER_HEALTHCHECK="false")
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {server.token(user.email, DEFAULT_PASSWORD)}"
    browser = requests.Session()
    login_page = browser.get(f"{server.url}/login", timeout=10).text
    csrf = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    browser.post(f"{server.url}/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                              "csrf_token": csrf}, timeout=10)
    trigger_url = f"{server.url}/api/v1/channel-connections/{connection.id}/sync"
    logs_url = f"{server.url}/api/v1/channel-connections/{connection.id}/sync-logs"
    assert api.post(trigger_url, json={"sync_type": "availability"}, timeout=10).status_code == 200
    logs_before = len(api.get(logs_url, timeout=10).json()["logs"])

    drill_redis.stop()
    stopped = time.monotonic()
    _, detect = wait_for(lambda: readiness(server)["status"] == "degraded", timeout=5)
    ready = requests.get(f"{server.url}/health/ready", timeout=10)
    assert ready.status_code == 200 and ready.json()["components"]["redis"]["status"] == "down"
    assert requests.get(f"{server.url}/health/ready?strict=1", timeout=10).status_code == 503
    tried, server_errors = 0, 0
    for path in ("/api/v1/properties/", f"/api/v1/properties/{prop.id}", "/api/v1/channel-connections/",
                 f"/api/v1/channel-connections/{connection.id}", "/api/v1/bookings/"):
        response = api.get(f"{server.url}{path}", timeout=10)
        tried, server_errors = tried + 1, server_errors + (response.status_code >= 500)
        assert response.status_code == 200, (path, response.status_code)
    page = browser.get(f"{server.url}/", timeout=10)
    tried += 1
    assert page.status_code == 200 and "Traceback" not in page.text
    for sync_type in ("availability", "full"):
        refused = api.post(trigger_url, json={"sync_type": sync_type}, timeout=10)
        tried += 1
        assert refused.status_code == 503 and refused.json()["error"] == "queue_unavailable", refused.text
    assert len(api.get(logs_url, timeout=10).json()["logs"]) == logs_before  # no log that would never run

    drill_redis.start()
    restarted = time.monotonic()
    _, heal = wait_for(lambda: readiness(server)["status"] == "up", timeout=10)
    accepted = api.post(trigger_url, json={"sync_type": "availability"}, timeout=10)
    assert accepted.status_code == 200, accepted.text
    figures.record("redis_outage", time_to_detect_s=round(detect, 2), time_to_heal_s=round(heal, 2),
                   outage_s=round(restarted - stopped, 2), requests_tried=tried, server_errors=server_errors)
