"""Readiness worker component: alive workers and versions, too many workers, version skew,
queue depth; every check bounded."""
from __future__ import annotations

import socket
import time

import pytest

from tests.conftest import READY_DETAILS, build_config


@pytest.fixture
def web_version(app) -> str:
    from app.version import code_version

    with app.app_context():
        return code_version()


def worker_component(client, path: str = "/health/ready") -> tuple[int, dict, dict]:
    response = client.get(path, headers=READY_DETAILS)
    body = response.get_json()
    return response.status_code, body, body["components"]["worker"]


def test_one_worker_of_the_web_version_is_up(client, register_worker, web_version):
    register_worker(web_version, name="pms-worker-1")
    code, body, worker = worker_component(client, "/health/ready?strict=1")
    assert (code, body["status"], worker["status"]) == (200, "up", "up")
    assert worker["details"]["workers"] == [{"name": "pms-worker-1", "version": web_version, "state": "?"}]
    assert worker["details"]["expected"] == 1 and worker["details"]["web_version"] == web_version
    assert client.head("/health/ready?strict=1").status_code == 200


def test_two_workers_are_down_and_both_named(client, register_worker, web_version):
    register_worker(web_version, name="pms-worker-v2")
    register_worker(web_version, name="pms-worker-old")
    code, body, worker = worker_component(client)
    assert (code, body["status"], worker["status"]) == (200, "degraded", "down")
    assert worker["error"].startswith("2 workers registered, expected 1:")
    assert "pms-worker-v2" in worker["error"] and "pms-worker-old" in worker["error"]
    assert client.get("/health/ready?strict=1", headers=READY_DETAILS).status_code == 503
    assert client.head("/health/ready?strict=1").status_code == 503


def test_version_skew_names_the_versions(client, register_worker, web_version):
    register_worker("0ld0c0de", name="pms-worker-stale")
    _, body, worker = worker_component(client)
    assert body["status"] == "degraded" and worker["status"] == "down"
    assert worker["error"] == (f"version skew: web runs {web_version}, pms-worker-stale runs 0ld0c0de. "
                               "Redeploy the worker.")


def test_expected_count_zero_accepts_any_number(database_url, redis_url, app, register_worker, web_version):
    from app import create_app

    register_worker(web_version)
    register_worker(web_version)
    scaled = create_app(build_config(database_url, redis_url, WORKER_EXPECTED_COUNT=0))
    _, body, worker = worker_component(scaled.test_client())
    assert body["status"] == "up" and len(worker["details"]["workers"]) == 2


def test_queue_length_and_oldest_job_age(client, app, register_worker, web_version):
    from app.queue import enqueue

    register_worker(web_version)
    with app.app_context():
        enqueue("jobs.maintenance.sweep_stale_sync_logs", queue_name="maintenance")
        enqueue("jobs.maintenance.sweep_stale_sync_logs", queue_name="maintenance")
    time.sleep(0.2)
    details = worker_component(client)[2]["details"]
    assert details["queued"] == 2 and details["queues"]["maintenance"]["queued"] == 2
    assert details["queues"]["channels"] == {"queued": 0, "oldest_age_seconds": None}
    assert 0.1 <= details["oldest_queued_age_seconds"] < 10


@pytest.fixture
def hanging_redis():
    """A port that accepts connections and never answers (a hung Redis)."""
    server = socket.create_server(("127.0.0.1", 0), backlog=16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_hanging_redis_cannot_stall_readiness(database_url, app, hanging_redis):
    from app import create_app

    hung = create_app(build_config(database_url, hanging_redis, HEALTH_CHECK_TIMEOUT_SECONDS=1.0))
    started = time.monotonic()
    response = hung.test_client().get("/health/ready", headers=READY_DETAILS)
    elapsed = time.monotonic() - started
    body = response.get_json()
    assert elapsed < 3 and response.status_code == 200 and body["status"] == "degraded"
    assert body["components"]["redis"]["status"] == "down" and body["components"]["worker"]["status"] == "down"
    assert body["components"]["db"]["status"] == "up"
