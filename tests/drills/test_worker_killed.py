"""Drill: the worker process is SIGKILLed while a sync job runs (the simulator answers slowly).

A new worker starts; the abandoned-job reaper (a periodic job, here enqueued every second
instead of every minute) sees the job's heartbeat gone silent and the log ends `failed`
within 2 x WORKER_HEARTBEAT_SECONDS + 5 s, never stuck `running`; a re-trigger succeeds.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from app.channels.platforms import PLATFORM_DEFINITIONS
from app.channels.service.logs import ABANDONED_MESSAGE
from tests.drills.conftest import wait_for
from tests.live_server import ROOT, server_env

pytestmark = pytest.mark.slow
FLASK = Path(sys.executable).with_name("flask")
HEARTBEAT_SECONDS = 1


class WorkerProcess:
    """`flask worker` as a subprocess; `kill()` SIGKILLs it and its scheduler process (as a lost machine would)."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen([str(FLASK), "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        if self.process.poll() is None:
            for process in [*psutil.Process(self.process.pid).children(recursive=True)]:
                process.send_signal(signal.SIGKILL)  # RQ's scheduler runs in a process of its own
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def worker_env(app_config, simulator):
    env = server_env(app_config, WORKER_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS), CHANNELS_SYNC_REAP_GRACE_SECONDS="1",
                     CHANNELS_MOCK_MODE="false", WORKER_EXPECTED_COUNT="0", CHANNELS_RETRY_BASE_SECONDS="0.05",
                     CHANNELS_HTTP_READ_TIMEOUT_SECONDS="30")
    for name, definition in PLATFORM_DEFINITIONS.items():
        env[definition.base_setting] = f"{simulator.url}/{name}"
        env.update({setting: f"drill-{setting.lower()}" for setting in definition.required_settings})
    return env


@pytest.fixture
def workers(worker_env):
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        started.append(WorkerProcess(worker_env))
        return started[-1]
    yield start
    for worker in started:
        worker.kill()


def newest_log(client, headers, connection) -> dict:
    return client.get(f"/api/v1/channel-connections/{connection.id}/sync-logs", headers=headers).get_json()["logs"][0]


def test_sigkilled_worker_leaves_a_failed_log_and_a_retrigger_succeeds(
        app, client, setup, sim_control, workers, figures):
    from app.queue import enqueue

    _, headers, _, connection = setup()
    sim_control("faults", mode="slow", delay_seconds=60)
    worker = workers()
    trigger = client.post(f"/api/v1/channel-connections/{connection.id}/sync", headers=headers,
                          json={"sync_type": "availability"})
    assert trigger.status_code == 200
    wait_for(lambda: newest_log(client, headers, connection)["status"] == "running", timeout=30, interval=0.2)
    worker.kill()
    killed = time.monotonic()
    sim_control("reset")
    workers()
    reaper_runs = 0

    def reaped() -> bool:
        nonlocal reaper_runs
        log = newest_log(client, headers, connection)
        if log["status"] == "running":
            with app.app_context():
                enqueue("jobs.maintenance.reap_abandoned_sync_logs", queue_name="maintenance")
            reaper_runs += 1
            return False
        return log
    log, _ = wait_for(reaped, timeout=2 * HEARTBEAT_SECONDS + 5 + 20, interval=1)
    detect = time.monotonic() - killed
    assert log["status"] == "failed" and log["error"] == ABANDONED_MESSAGE and log["finished_at"]

    retried = client.post(f"/api/v1/channel-connections/{connection.id}/sync", headers=headers,
                          json={"sync_type": "availability"})
    assert retried.status_code == 200, retried.get_data(as_text=True)
    _, heal = wait_for(lambda: (newest_log(client, headers, connection)["status"] == "success"), timeout=30,
                            interval=0.2)
    figures.record("worker_killed", time_to_failed_log_s=round(detect, 1), reaper_runs=reaper_runs,
                   retrigger_to_success_s=round(heal, 1), heartbeat_seconds=HEARTBEAT_SECONDS)
