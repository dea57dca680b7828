"""`flask worker` as a real process: banner, wait-for-deps, version registration, jobs in the
worker's own process, job timeout, graceful SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from redis import Redis
from rq.job import Job, JobStatus

from tests.conftest import READY_DETAILS, build_config
from tests.tcp_proxy import TcpProxy, postgres_target

ROOT = Path(__file__).resolve().parents[2]
WORKER_VERSION = "test-commit-1"


class WorkerProcess:
    """`python -m flask --app wsgi worker` with its output collected in the background."""

    def __init__(self, env: dict):
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._collect, daemon=True)
        self.reader.start()

    def _collect(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert self.process.poll() is None or text in self.output, f"worker exited:\n{self.output}"
            assert time.monotonic() < deadline, f"{text!r} not seen:\n{self.output}"
            time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=5)
        self.process.stdout.close()


@pytest.fixture
def db_proxy(database_url):
    proxy = TcpProxy(postgres_target(database_url))
    yield proxy
    proxy.stop()


@pytest.fixture
def worker_env(database_url, redis_url, db_proxy):
    """Environment of a worker whose database is behind the proxy (password in the URL)."""
    parts = urlsplit(database_url)
    env = {**os.environ, "SECRET_KEY": "worker-test-key", "REDIS_URL": redis_url, "LOG_LEVEL": "INFO",
           "DATABASE_URL": f"postgresql://postgres:hunter2-pw@127.0.0.1:{db_proxy.port}{parts.path}",
           "SOURCE_COMMIT": WORKER_VERSION, "WORKER_WAIT_INTERVAL": "0.2", "WORKER_WAIT_TIMEOUT": "30"}
    env.pop("ENCRYPTION_KEY", None)
    return env


@pytest.fixture
def start_worker():
    started: list[WorkerProcess] = []

    def start(env: dict) -> WorkerProcess:
        started.append(WorkerProcess(env))
        return started[-1]
    yield start
    for worker in started:
        worker.stop()


def wait_until(predicate, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_worker_exits_non_zero_when_the_database_never_comes(worker_env, start_worker):
    worker = start_worker({**worker_env, "WORKER_WAIT_TIMEOUT": "1"})
    assert worker.process.wait(timeout=30) == 1
    output = worker.output
    assert "====== RQ Worker Configuration ======" in output and "Waiting for Database" in output
    assert "✗ Database not reachable" in output and "TCP connect failed" in output
    assert "Dependencies not ready after 1s" in output and "RQ Worker Starting" not in output
    assert "Database connection attempt" not in output  # the web's startup retries do not run first
    assert "hunter2-pw" not in output and "postgres:***@127.0.0.1" in output


def test_worker_starts_when_the_database_opens_then_stops_gracefully(
        worker_env, start_worker, db_proxy, database_url, redis_url, app):
    from app import create_app
    from app.queue import enqueue

    worker = start_worker(worker_env)
    worker.wait_for_output("Database not ready")
    db_proxy.start()
    worker.wait_for_output("✓ All dependencies ready")
    web = create_app(build_config(database_url, redis_url, SOURCE_COMMIT=WORKER_VERSION, WORKER_JOB_TIMEOUT=1))
    client = web.test_client()
    wait_until(lambda: client.get("/health/ready?strict=1", headers=READY_DETAILS).status_code == 200)
    component = client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["worker"]
    workers = component["details"]["workers"]
    assert [w["version"] for w in workers] == [WORKER_VERSION] and workers[0]["name"].startswith("pms-worker.")

    conn = Redis.from_url(redis_url)
    with web.app_context():
        warm = [enqueue("tests.jobs.helpers.process_id") for _ in range(2)]
        too_long = enqueue("tests.jobs.helpers.nap", 5)  # WORKER_JOB_TIMEOUT=1 applies
        graceful = enqueue("tests.jobs.helpers.nap", 1.0, job_timeout=30)
    wait_until(lambda: Job.fetch(graceful.id, connection=conn).get_status() == JobStatus.STARTED)
    worker.process.send_signal(signal.SIGTERM)
    assert worker.process.wait(timeout=20) == 0
    assert Job.fetch(too_long.id, connection=conn).get_status() == JobStatus.FAILED
    assert "JobTimeoutException" in Job.fetch(too_long.id, connection=conn).latest_result().exc_string
    # no fork per job: every job ran in the worker's own process
    assert [Job.fetch(job.id, connection=conn).return_value() for job in warm] == [worker.process.pid] * 2
    finished = Job.fetch(graceful.id, connection=conn)
    assert finished.get_status() == JobStatus.FINISHED and finished.return_value() == "slept 1.0"
    component = client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["worker"]
    assert component["error"] == "no RQ worker is running"
