"""scripts/smoke.sh and scripts/sync_poll.sh against a live HTTP server of the app and a real RQ worker."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from devtools.simulator import BackgroundServer
from tests.channels.conftest import (fast_engine, make_connection, mock_mode,  # noqa: F401
                                     run_worker, setup, sim_control, simulator, simulator_server, worker_app)
from tests.factories import DEFAULT_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


class FlakyProxy:
    """Answers the first `failures` connection-list requests with an empty 502, as a proxy mid-deploy."""

    def __init__(self, app, failures: int):
        self.app, self.failures = app, failures

    def __call__(self, environ, start_response):
        if self.failures and environ["PATH_INFO"] == "/api/v1/channel-connections/":
            self.failures -= 1
            start_response("502 Bad Gateway", [("Content-Length", "0")])
            return [b""]
        return self.app(environ, start_response)


@pytest.fixture
def live_api(app):
    def serve(failures: int = 0) -> str:
        server = BackgroundServer(FlakyProxy(app, failures)).start()
        servers.append(server)
        return server.url
    servers: list[BackgroundServer] = []
    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def run_script(run_worker):
    """Run a script while a burst worker drains the queue between its polls."""
    def run(script: str, *args: str, api: str, user, work: bool = True, **env) -> subprocess.CompletedProcess:
        environment = {**os.environ, "API": api, "EMAIL": user.email, "PASSWORD": DEFAULT_PASSWORD,
                       "POLL_INTERVAL": "0.2", "RETRY_DELAYS": "0 0 0", **env}
        process = subprocess.Popen(["bash", f"scripts/{script}", *args], cwd=ROOT, env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if work:
                run_worker()
            time.sleep(0.1)
        stdout, stderr = process.communicate(timeout=10)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return run


def test_sync_poll_full_passes(live_api, setup, run_script, mock_mode):
    user, _, _, connection = setup()
    result = run_script("sync_poll.sh", "--sync-type", "full", "--poll-interval", "0.2", api=live_api(failures=2),
                        user=user)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "transient HTTP 502" in result.stderr  # the auto-pick survived the proxy hiccup
    assert f"Connection {connection.id} (first of the list)" in result.stdout
    assert "✅ SYNC COMPLETED SUCCESSFULLY" in result.stdout
    for operation in ("availability_update", "pricing_update", "bookings_sync"):
        assert operation in result.stdout
    assert DEFAULT_PASSWORD not in result.stdout + result.stderr


def test_sync_poll_exit_codes(live_api, setup, run_script, sim_control):
    user, _, _, connection = setup()
    api = live_api()
    waiting = run_script("sync_poll.sh", "--cid", str(connection.id), "--poll-limit", "2", "--poll-interval", "0",
                         api=api, user=user, work=False)
    assert waiting.returncode == 2 and "NOT COMPLETE" in waiting.stderr
    sim_control("faults", mode="error", status=400)
    failed = run_script("sync_poll.sh", "--cid", str(connection.id), "--sync-type", "pricing", api=api, user=user)
    assert failed.returncode == 1 and "FAIL: SYNC FAILED: pricing_update: Channel rejected" in failed.stderr
    usage = run_script("sync_poll.sh", "--sync-type", "everything", api=api, user=user, work=False)
    assert usage.returncode == 1 and "invalid --sync-type" in usage.stderr


def test_smoke_passes_against_a_ready_system(live_api, setup, run_script, register_worker, app, mock_mode):
    from app.version import code_version

    user, _, _, _ = setup()
    with app.app_context():
        register_worker(code_version())
    result = run_script("smoke.sh", api=live_api(), user=user)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK: token acquired (length ") and "OK: readiness up" in lines
    assert "PASS: full sync succeeded (3/3 operations" in result.stdout
    assert DEFAULT_PASSWORD not in result.stdout + result.stderr


def test_smoke_fails_with_one_line_reasons(live_api, make_user, run_script):
    user = make_user()
    api = live_api()
    not_ready = run_script("smoke.sh", api=api, user=user, work=False)
    assert not_ready.returncode == 1 and not_ready.stderr.startswith("FAIL: readiness is degraded (HTTP 200)")
    wrong = run_script("smoke.sh", api=api, user=user, work=False, PASSWORD="wrong-password")
    assert wrong.returncode == 1 and wrong.stderr.strip() == (
        "FAIL: token request answered HTTP 401: Incorrect email or password")
