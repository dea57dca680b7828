"""Sync jobs with a real RQ worker in burst mode against the channel simulator over HTTP."""
from __future__ import annotations

import time
import uuid
from datetime import date, timedelta

import pytest
from redis import Redis

from tests.conftest import build_config

CONNECTIONS = "/api/v1/channel-connections/"


def trigger(client, headers, connection, sync_type="full", **extra):
    response = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers,
                           json={"sync_type": sync_type, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def logs_of(client, headers, connection, **query) -> list[dict]:
    response = client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers, query_string=query)
    assert response.status_code == 200
    return response.get_json()["logs"]


@pytest.fixture
def sync_now(client, run_worker):
    """Trigger a sync, let the worker finish it and return the connection's logs (newest first)."""
    def run(headers, connection, sync_type: str = "availability") -> list[dict]:
        trigger(client, headers, connection, sync_type)
        run_worker()
        return logs_of(client, headers, connection)
    return run


def batch(client, headers, connection, batch_id) -> dict:
    return client.get(f"{CONNECTIONS}{connection.id}/sync-batches/{batch_id}", headers=headers).get_json()


def test_full_sync_one_batch_three_logs_three_tasks_all_success(client, setup, run_worker, simulator,
                                                                 make_range, sim_requests):
    user, headers, prop, connection = setup()
    today = date.today()
    make_range(prop, today + timedelta(days=5), today + timedelta(days=8))
    started = trigger(client, headers, connection)
    assert started["status"] == "triggered" and started["message"] == "Manual full sync triggered successfully"
    assert len(set(started["task_ids"])) == 3
    run_worker()
    logs = logs_of(client, headers, connection)
    assert len(logs) == 3 and {log["batch_id"] for log in logs} == {started["batch_id"]}
    assert {log["task_id"] for log in logs} == set(started["task_ids"])
    assert {log["operation_type"]: log["direction"] for log in logs} == {
        "availability_update": "outbound", "pricing_update": "outbound", "bookings_sync": "inbound"}
    for log in logs:
        assert log["status"] == "success" and log["error"] is None and log["retry_count"] == 0
        assert log["started_at"] and log["finished_at"] and log["duration_ms"] is not None
        assert log["details"]["http_status"] == 200 and log["details"]["platform"] == "airbnb"
    availability = next(log for log in logs if log["operation_type"] == "availability_update")
    assert availability["details"]["ranges_pushed"] == 3 and availability["details"]["calls"] == 1
    summary = batch(client, headers, connection, started["batch_id"])
    assert summary["batch_status"] == "success" and summary["status_counts"]["success"] == 3
    keys = [item["idempotency_key"] for item in sim_requests("/airbnb/")]
    assert len(keys) == 3 and len(set(keys)) == 3
    detail = client.get(f"{CONNECTIONS}{connection.id}", headers=headers).get_json()
    assert detail["last_sync_at"] and detail["stale"] is False
    assert detail["freshness"]["pricing_update"]["age_seconds"] is not None


def test_worker_stopped_batch_reads_running_with_triggered_three(client, setup):
    _, headers, _, connection = setup()
    started = trigger(client, headers, connection)
    summary = batch(client, headers, connection, started["batch_id"])
    assert summary["batch_status"] == "running"
    assert summary["status_counts"] == {"triggered": 3, "running": 0, "success": 0, "failed": 0, "other": 0}
    assert {log["status"] for log in logs_of(client, headers, connection)} == {"queued"}


def test_transient_500_succeeds_after_retries(setup, sync_now, sim_control):
    _, headers, _, connection = setup()
    sim_control("faults", mode="error", status=500, times=2)
    [log] = sync_now(headers, connection)
    assert log["status"] == "success" and log["retry_count"] == 2 and log["details"]["retry_count"] == 2
    assert log["details"]["error_type"] == "channel_error"  # why the last retry happened stays visible


def test_permanent_500_fails_after_four_attempts(setup, sync_now, sim_control, sim_requests):
    _, headers, _, connection = setup()
    sim_control("faults", mode="error", status=500)
    [log] = sync_now(headers, connection)
    assert log["status"] == "failed" and log["retry_count"] == 3
    assert log["error"].startswith("Channel error after 3 retries: Channel answered HTTP 500")
    assert log["details"]["error_type"] == "channel_error" and log["details"]["http_status"] == 500
    attempts = sim_requests("/airbnb/")
    assert len(attempts) == 4 and len({a["idempotency_key"] for a in attempts}) == 4


def test_rate_limit_honours_retry_after(client, setup, run_worker, sim_control):
    _, headers, _, connection = setup()
    sim_control("faults", mode="rate_limit", retry_after=1, times=1)
    trigger(client, headers, connection, "pricing")
    began = time.monotonic()
    run_worker()
    assert time.monotonic() - began >= 1.0  # the configured backoff is only 0.05 s
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "success" and log["retry_count"] == 1
    assert log["details"]["error_type"] == "channel_rate_limited"


def test_timeout_is_classified_and_4xx_is_not_retried(setup, sync_now, sim_control):
    _, headers, _, connection = setup()
    sim_control("faults", mode="slow", delay_seconds=0.8)
    [log] = sync_now(headers, connection)
    assert log["status"] == "failed" and log["details"]["error_type"] == "channel_timeout"
    assert log["error"].startswith("Channel timeout after 3 retries: Channel did not answer")
    sim_control("faults", mode="error", status=422)
    newest = sync_now(headers, connection)[0]
    assert newest["status"] == "failed" and newest["retry_count"] == 0
    assert newest["details"]["error_type"] == "channel_rejected"


@pytest.mark.parametrize("outage, status, retries", [(2, "success", 2), (9, "failed", 3)])
def test_database_outage_before_an_attempt_is_retried(setup, sync_now, monkeypatch, outage, status, retries):
    from sqlalchemy.exc import OperationalError

    from app.channels.service import engine

    real_preflight, calls = engine.preflight, []

    def flaky_preflight():  # the database answers again after `outage` pre-flights
        calls.append(1)
        if len(calls) <= outage:
            raise OperationalError("SELECT 1", {}, Exception("connection timeout"))
        real_preflight()

    monkeypatch.setattr(engine, "preflight", flaky_preflight)
    _, headers, _, connection = setup()
    [log] = sync_now(headers, connection)
    assert log["status"] == status and log["retry_count"] == retries
    assert log["details"]["error_type"] == "database_unavailable"
    if status == "failed":
        assert log["error"] == "Database unavailable after 3 retries: connection timeout"


def test_mock_mode_sync_succeeds_without_any_channel(setup, sync_now, mock_mode):
    _, headers, _, connection = setup()
    logs = sync_now(headers, connection, "full")
    assert [log["status"] for log in logs] == ["success"] * 3
    assert all(log["details"]["mock_mode"] is True for log in logs)


def test_trigger_rules(client, setup, run_worker):
    _, headers, _, connection = setup()
    url = f"{CONNECTIONS}{connection.id}/sync"
    assert client.post(url, headers=headers, json={}).status_code == 422
    assert client.post(url, headers=headers, json={"sync_type": "everything"}).status_code == 422
    assert client.get(url, headers=headers).status_code == 405
    assert client.post(f"{CONNECTIONS}{uuid.uuid4()}/sync", headers=headers,
                       json={"sync_type": "full"}).status_code == 404
    bad_window = client.post(url, headers=headers, json={"sync_type": "pricing", "start_date": "2031-01-10",
                                                         "end_date": "2031-01-01"})
    assert bad_window.status_code == 422
    far = client.post(url, headers=headers, json={"sync_type": "pricing", "start_date": "9999-12-31"})
    assert far.status_code == 422
    client.patch(f"{CONNECTIONS}{connection.id}", headers=headers, json={"status": "paused"})
    paused = client.post(url, headers=headers, json={"sync_type": "full"})
    assert paused.status_code == 409 and paused.get_json() == {"detail": "Connection is paused"}
    assert logs_of(client, headers, connection) == []


def test_redis_down_answers_503_and_writes_no_logs(app, database_url, setup, make_user, bearer):
    from app import create_app
    from tests.factories import CsrfClient

    _, headers, _, connection = setup()
    no_redis = create_app(build_config(database_url, "redis://127.0.0.1:1/0"))
    no_redis.test_client_class = CsrfClient
    response = no_redis.test_client().post(f"{CONNECTIONS}{connection.id}/sync", headers=headers,
                                           json={"sync_type": "full"})
    assert response.status_code == 503 and response.get_json()["error"] == "queue_unavailable"
    with app.test_client() as client:
        assert logs_of(client, headers, connection) == []


def test_property_level_trigger(client, setup, run_worker, make_user, bearer):
    user, headers, prop, connection = setup()
    url = "/api/v1/availability/sync"
    payload = {"sync_type": "availability", "platform": "airbnb", "property_id": str(prop.id)}
    response = client.post(url, headers=headers, json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["message"] == "Availability sync task triggered successfully"
    assert body["platform"] == "airbnb" and body["retry_count"] == 0 and body["task_id"] and body["batch_id"]
    legacy = client.post("/api/availability/sync", headers=headers, json={**payload, "sync_type": "pricing",
                                                                          "connection_id": str(connection.id)})
    assert legacy.status_code == 200
    assert client.post(url, headers=headers, json={**payload, "sync_type": "full"}).get_json() == {
        "detail": "Invalid sync_type. Must be one of: ['availability', 'pricing']"}
    assert client.post(url, headers=headers, json={**payload, "platform": "vrbo"}).status_code == 400
    assert client.post(url, headers=headers, json={**payload, "platform": "google"}).status_code == 404
    assert client.post(url, headers=headers, json={**payload, "property_id": str(uuid.uuid4())}).get_json() == {
        "detail": "Property not found or does not belong to your agency"}
    staff = make_user(role="staff", agency=user.agency)
    assert client.post(url, headers=bearer(staff), json=payload).status_code == 403
    run_worker()
    logs = logs_of(client, headers, connection)
    assert [log["status"] for log in logs] == ["success", "success"]
    assert logs[-1]["id"] == body["sync_log_id"] and logs[-1]["details"]["manual_trigger"] is True


def test_retry_of_a_failed_log_creates_a_linked_batch(client, setup, run_worker, sync_now, sim_control):
    _, headers, _, connection = setup()
    sim_control("faults", mode="error", status=400)
    [failed] = sync_now(headers, connection)
    sim_control("faults", mode="ok")
    url = f"{CONNECTIONS}{connection.id}/sync-logs/{failed['id']}/retry"
    retried = client.post(url, headers=headers)
    assert retried.status_code == 200
    run_worker()
    newest, original = logs_of(client, headers, connection)
    assert newest["details"]["retry_of"] == failed["id"] and newest["status"] == "success"
    assert newest["batch_id"] == retried.get_json()["batch_id"] != failed["batch_id"]
    assert original == failed  # the failed log stays as it was
    assert client.post(f"{CONNECTIONS}{connection.id}/sync-logs/{newest['id']}/retry",
                       headers=headers).status_code == 409


def test_same_connection_and_operation_never_run_at_once(app, client, setup, run_worker, monkeypatch):
    from rq.scheduler import RQScheduler

    _, headers, _, connection = setup()
    started = trigger(client, headers, connection, "availability")
    redis = Redis.from_url(app.config["REDIS_URL"])
    monkeypatch.setitem(app.config, "CHANNELS_LOCK_WAIT_SECONDS", 0.2)
    held = redis.lock(f"fewo:sync-lock:{connection.id}:availability_update", timeout=30)
    assert held.acquire()
    run_worker()  # the job cannot get the lock: it hands the log to a later job instead of dropping it
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "queued" and log["task_id"] != started["task_ids"][0]
    held.release()
    time.sleep(0.3)
    scheduler = RQScheduler(["channels"], connection=redis)
    scheduler.acquire_locks()
    scheduler.enqueue_scheduled_jobs()
    scheduler.release_locks()
    run_worker()
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "success"


def test_a_job_for_a_final_log_does_nothing(client, setup, sync_now):
    from jobs.channels import run_channel_sync

    _, headers, _, connection = setup()
    [log] = sync_now(headers, connection)
    assert run_channel_sync(log["id"]) == "skipped"
    assert logs_of(client, headers, connection) == [log]


@pytest.mark.parametrize("metadata, expected", [({"sync_interval_minutes": 30}, 1), ({}, 1),
                                                ({"sync_interval_minutes": 0}, 0)])
def test_scheduled_syncs_trigger_due_connections(app, client, setup, metadata, expected, mock_mode):
    from jobs.channels import run_scheduled_syncs

    _, headers, _, connection = setup(platform_metadata=metadata)
    assert run_scheduled_syncs() == expected
    assert len(logs_of(client, headers, connection)) == 3 * expected
    assert run_scheduled_syncs() == 0  # last_sync_at was just set: not due again


def test_a_successful_sync_commits_three_times(app, client, setup, run_worker, mock_mode):
    """Claim (log running), attempt (pre-flight and operation), finish (success and last_sync_at)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    _, headers, _, connection = setup()
    trigger(client, headers, connection, "availability")
    commits = []

    def count(session):
        if not session.in_nested_transaction():
            commits.append(1)
    event.listen(Session, "after_commit", count)
    try:
        run_worker()
    finally:
        event.remove(Session, "after_commit", count)
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "success" and log["started_at"] and log["details"]["attempt"] == 1
    assert len(commits) == 3


def test_a_sync_takes_eight_round_trips_to_trigger_and_eleven_to_run(app, client, setup, run_worker, mock_mode):
    """Trigger: token, connection, its row lock, the stale sweep, the waiting batch, the log, last_sync_at and
    the commit; the job: claim (plan, running), attempt (pre-flight, ranges), finish (success, last_sync_at in
    a savepoint), each committed. Guards the sync benchmark's figure (BENCHMARKS.md)."""
    from tests.round_trips import round_trips

    _, headers, _, connection = setup()
    assert logs_of(client, headers, connection) == []  # the token's first request records its use
    with round_trips(app) as triggered:
        trigger(client, headers, connection, "availability")
    assert len(triggered) <= 8 and triggered[-1] == "COMMIT", triggered
    with round_trips(app) as ran:
        run_worker()
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "success"
    assert len(ran) <= 11 and ran.count("COMMIT") == 3, ran


def test_jobs_are_enqueued_when_the_trigger_commits_and_never_on_rollback(app, setup):
    from rq import Queue

    from app.channels import service
    from app.extensions import db

    user, _, _, connection = setup()
    channels = Queue("channels", connection=Redis.from_url(app.config["REDIS_URL"]))
    with app.app_context():
        service.trigger_sync(user.agency.id, connection.id, "full")
        assert channels.count == 0  # the logs are not visible yet: no job may look for them
        db.session.rollback()
        assert channels.count == 0
        result = service.trigger_sync(user.agency.id, connection.id, "full")
        task_ids = result.task_ids
        db.session.commit()
    assert sorted(channels.job_ids) == sorted(task_ids)
    job = channels.fetch_job(task_ids[0])
    assert job.args[1:] == (str(connection.id), "availability_update")  # the job names its lock


def test_redis_failing_between_commit_and_enqueue_withdraws_the_logs(client, setup, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from app.channels.service import sync

    _, headers, _, connection = setup()
    calls = []

    def enqueue_then_fail(job, delay_seconds=0):  # Redis goes away after the first of three jobs
        calls.append(job)
        if len(calls) > 1:
            raise RedisConnectionError("Connection refused")
        return real_enqueue(job, delay_seconds)
    real_enqueue = sync.enqueue_sync
    monkeypatch.setattr(sync, "enqueue_sync", enqueue_then_fail)
    response = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers, json={"sync_type": "full"})
    assert response.status_code == 503 and response.get_json()["error"] == "queue_unavailable"
    assert logs_of(client, headers, connection) == []
