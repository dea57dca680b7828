"""Drill: a channel misbehaves (500s, timeouts, 429 + Retry-After, malformed bodies).

The faulty channel's sync retries with backoff (shortened by config; Retry-After is honoured
as sent) and its final log carries the classified error; a connection to a healthy channel,
synced by the same worker run, succeeds untouched.
"""
from __future__ import annotations

import time

import pytest

from devtools.simulator import BackgroundServer

pytestmark = pytest.mark.slow
# fault -> (error_type, final status, retries); Retry-After 1 s on every answer for the 429 case
FAULTS = {
    "error": ({"mode": "error", "status": 500}, "channel_error", "failed", 3),
    "timeout": ({"mode": "slow", "delay_seconds": 0.8}, "channel_timeout", "failed", 3),
    "rate_limit": ({"mode": "rate_limit", "retry_after": 1}, "channel_rate_limited", "failed", 3),
    "malformed": ({"mode": "malformed"}, "channel_bad_response", "failed", 3),
    "transient_500": ({"mode": "error", "status": 500, "times": 2}, "channel_error", "success", 2),
}


@pytest.fixture(scope="module")
def healthy_channel():
    server = BackgroundServer().start()
    yield server
    server.stop()


@pytest.mark.parametrize("fault", FAULTS)
def test_faulty_channel_retries_and_fails_alone(app, client, setup, make_connection, sim_control, healthy_channel,
                                                run_worker, monkeypatch, fault, figures):
    settings, error_type, status, retries = FAULTS[fault]
    user, headers, prop, faulty = setup()
    monkeypatch.setitem(app.config, "BOOKING_COM_API_BASE", f"{healthy_channel.url}/booking_com")
    healthy = make_connection(user.agency, prop, "booking_com")
    sim_control("faults", **{"times": None, **settings})
    for connection in (faulty, healthy):
        response = client.post(f"/api/v1/channel-connections/{connection.id}/sync", headers=headers,
                               json={"sync_type": "availability"})
        assert response.status_code == 200
    began = time.monotonic()
    run_worker()
    took = time.monotonic() - began
    [faulty_log] = client.get(f"/api/v1/channel-connections/{faulty.id}/sync-logs", headers=headers).get_json()["logs"]
    [healthy_log] = client.get(f"/api/v1/channel-connections/{healthy.id}/sync-logs",
                               headers=headers).get_json()["logs"]
    assert faulty_log["status"] == status and faulty_log["retry_count"] == retries
    assert faulty_log["details"]["error_type"] == error_type
    if status == "failed":
        assert faulty_log["error"] and f"after {retries} retries" in faulty_log["error"]
    assert healthy_log["status"] == "success" and healthy_log["retry_count"] == 0 and healthy_log["error"] is None
    if fault == "rate_limit":
        assert took >= 3.0  # three waits of the channel's Retry-After (1 s), not the 0.05 s base backoff
    figures.record("channel_faults", **{f"{fault}_attempts": retries + 1, f"{fault}_worker_run_s": round(took, 2),
                                        "healthy_connection_affected": 0})
