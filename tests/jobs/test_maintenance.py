"""Periodic maintenance jobs: stale sweep, abandoned-job reaper, retention; each runs once at a time."""
from __future__ import annotations

import threading
import uuid

import psycopg
from redis import Redis
from rq import Queue

from jobs import maintenance

CONNECTIONS = "/api/v1/channel-connections/"


def statuses(client, headers, connection) -> dict:
    logs = client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["logs"]
    return {log["id"]: (log["status"], log["error"]) for log in logs}


def test_stale_sweep_marks_only_old_active_logs(client, setup, write_logs):
    _, headers, _, connection = setup()
    old_running, old_queued, fresh, old_success = write_logs(connection, [
        ("availability_update", "running", None, 1), ("pricing_update", "queued", None, 2),
        ("bookings_sync", "running", None, 0), ("availability_update", "success", None, 3)])
    assert maintenance.sweep_stale_sync_logs() == 2
    result = statuses(client, headers, connection)
    message = "Marked stale (no update for 60 minutes). Likely worker restart or lost DB connection."
    assert result[str(old_running)] == ("failed", message) and result[str(old_queued)] == ("failed", message)
    assert result[str(fresh)] == ("running", None) and result[str(old_success)] == ("success", None)
    assert maintenance.sweep_stale_sync_logs() == 0


def test_periodic_jobs_skip_while_another_run_holds_the_lock(app, database_url, setup, write_logs):
    _, _, _, connection = setup()
    write_logs(connection, [("availability_update", "running", None, 1)])
    holding, release = threading.Event(), threading.Event()

    def hold_lock():
        with psycopg.connect(database_url) as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('maintenance.sweep_stale_sync_logs'))")
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert holding.wait(10)
        assert maintenance.sweep_stale_sync_logs() == 0
    finally:
        release.set()
        holder.join()
    assert maintenance.sweep_stale_sync_logs() == 1


def test_retention_deletes_old_logs_in_batches(app, client, setup, write_logs, monkeypatch):
    _, headers, _, connection = setup()
    write_logs(connection, [("availability_update", "success", None, 100)] * 7
               + [("pricing_update", "success", None, 10)])
    monkeypatch.setitem(app.config, "CHANNELS_SYNC_LOG_PURGE_BATCH", 3)
    assert maintenance.purge_expired_sync_logs() == 7
    remaining = client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()
    assert remaining["total"] == 1 and remaining["logs"][0]["operation_type"] == "pricing_update"
    monkeypatch.setitem(app.config, "CHANNELS_SYNC_LOG_RETENTION_DAYS", 0)
    write_logs(connection, [("availability_update", "success", None, 1000)])
    assert maintenance.purge_expired_sync_logs() == 0  # 0 disables retention


def test_reaper_fails_running_logs_whose_worker_is_gone(app, client, setup, write_logs):
    from app.channels.models import ChannelSyncLog
    from app.extensions import db
    from jobs.channels import run_channel_sync

    _, headers, _, connection = setup()
    orphan, queued_job_log = write_logs(connection, [("availability_update", "running", None, 0),
                                             ("pricing_update", "running", None, 0)])
    redis = Redis.from_url(app.config["REDIS_URL"])
    waiting = Queue("channels", connection=redis).enqueue(run_channel_sync, str(uuid.uuid4()))
    dead = Queue("channels", connection=redis).enqueue(run_channel_sync, str(uuid.uuid4()))
    dead.set_status("started")
    redis.hset(dead.key, "worker_name", "worker-that-died")
    with app.app_context():
        for log_id, task_id, age in ((orphan, dead.id, "2 minutes"), (queued_job_log, waiting.id, "2 minutes")):
            db.session.execute(ChannelSyncLog.__table__.update().where(ChannelSyncLog.id == log_id).values(
                task_id=task_id, updated_at=db.func.now() - db.text(f"interval '{age}'")))
        db.session.commit()
    assert maintenance.reap_abandoned_sync_logs() == 1
    result = statuses(client, headers, connection)
    assert result[str(orphan)] == ("failed", "Worker lost while running (job abandoned)")
    assert result[str(queued_job_log)] == ("running", None)  # its job still waits in the queue


def test_failure_callback_marks_the_log_failed(app, client, setup, write_logs):
    from rq.exceptions import AbandonedJobError

    from jobs.channels import on_sync_job_failure

    _, headers, _, connection = setup()
    [log_id] = write_logs(connection, [("availability_update", "running", None, 0)])
    job = Queue("channels", connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(len, str(log_id))
    on_sync_job_failure(job, None, AbandonedJobError, AbandonedJobError(), None)
    assert statuses(client, headers, connection)[str(log_id)] == (
        "failed", "Worker lost while running (job abandoned)")
