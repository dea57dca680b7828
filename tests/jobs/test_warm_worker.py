"""The product's worker runs jobs in its own warm process: heartbeats while a job runs, job timeouts."""
from __future__ import annotations

import pytest
from redis import Redis
from rq import Queue

from tests.jobs.test_channels import logs_of, trigger


@pytest.fixture
def warm_worker(app):
    from app.queue import PmsWorker

    def run(heartbeat_seconds: int = 30) -> PmsWorker:
        worker = PmsWorker(["default", "channels"], connection=Redis.from_url(app.config["REDIS_URL"]),
                           job_monitoring_interval=heartbeat_seconds)
        worker.work(burst=True, logging_level="WARNING")
        return worker
    return run


def test_a_long_job_keeps_its_heartbeat(app, warm_worker):
    """The abandoned-job reaper reads the job's heartbeat: it must move while the job runs."""
    queue = Queue("default", connection=Redis.from_url(app.config["REDIS_URL"]))
    job = queue.enqueue("tests.jobs.helpers.nap", 2.5)
    warm_worker(heartbeat_seconds=1)
    job.refresh()
    assert job.return_value() == "slept 2.5"
    assert (job.last_heartbeat - job.started_at).total_seconds() >= 1.5


def test_a_sync_job_past_its_timeout_fails_its_log_and_frees_the_lock(app, client, setup, warm_worker, mock_mode,
                                                                        monkeypatch):
    _, headers, _, connection = setup()
    monkeypatch.setitem(app.config, "WORKER_JOB_TIMEOUT", 1)
    monkeypatch.setitem(app.config, "CHANNELS_MOCK_DELAY_SECONDS", 3)
    trigger(client, headers, connection, "availability")
    warm_worker()
    [log] = logs_of(client, headers, connection)
    assert log["status"] == "failed" and log["finished_at"]
    assert log["error"].startswith("Sync job failed: JobTimeoutException")
    monkeypatch.setitem(app.config, "CHANNELS_MOCK_DELAY_SECONDS", 0)
    monkeypatch.setitem(app.config, "CHANNELS_LOCK_WAIT_SECONDS", 0.2)
    trigger(client, headers, connection, "availability")
    warm_worker()
    assert logs_of(client, headers, connection)[0]["status"] == "success"  # not requeued: the lock is free
