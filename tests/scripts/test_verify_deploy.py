"""scripts/verify_deploy.sh against a live HTTP server of the app."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]


DETAILS_TOKEN = "deploy-check-details-token"


@pytest.fixture
def live_api(app, monkeypatch):
    monkeypatch.setitem(app.config, "HEALTH_DETAILS_TOKEN", DETAILS_TOKEN)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def web_version(app):
    from app.version import code_version

    with app.app_context():
        return code_version()


def verify(api: str, smoke: Path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "API": api, "READY_CHECKS": "2", "READY_INTERVAL": "0",
                   "SMOKE_SCRIPT": str(smoke), "PASSWORD": "do-not-print-me",
                   "HEALTH_DETAILS_TOKEN": DETAILS_TOKEN, **env}
    return subprocess.run(["bash", "scripts/verify_deploy.sh"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def smoke(tmp_path):
    script = tmp_path / "smoke.sh"
    script.write_text('#!/usr/bin/env bash\necho "smoke ran against $API"\nexit "${SMOKE_EXIT:-0}"\n')
    return script


def test_passes_with_one_worker_of_the_web_version(live_api, register_worker, web_version, smoke):
    register_worker(web_version)
    result = verify(live_api, smoke)
    assert result.returncode == 0, result.stderr
    assert "OK: readiness up (2/2)" in result.stdout
    assert f"OK: web and 1 worker(s) run code version {web_version}" in result.stdout
    assert f"smoke ran against {live_api}" in result.stdout and "PASS: deploy verified" in result.stdout
    assert "do-not-print-me" not in result.stdout + result.stderr


def test_fails_on_version_skew_naming_the_worker(live_api, register_worker, web_version, smoke):
    register_worker("0ld", name="pms-worker-old")
    result = verify(live_api, smoke)
    assert result.returncode == 1 and "smoke ran" not in result.stdout
    assert result.stderr.startswith("FAIL: readiness check 1/2: HTTP 200, status degraded (worker: version skew")
    assert "pms-worker-old runs 0ld" in result.stderr


def test_fails_without_the_details_token(live_api, register_worker, web_version, smoke):
    register_worker(web_version)
    result = verify(live_api, smoke, HEALTH_DETAILS_TOKEN="")
    assert result.returncode == 1 and "smoke ran" not in result.stdout
    assert result.stderr.strip() == ("FAIL: readiness shows no worker details: set HEALTH_DETAILS_TOKEN "
                                     "to the server's value")
    assert DETAILS_TOKEN not in result.stdout + result.stderr


def test_fails_when_the_smoke_test_fails(live_api, register_worker, web_version, smoke):
    register_worker(web_version)
    result = verify(live_api, smoke, SMOKE_EXIT="3")
    assert result.returncode == 1 and result.stderr.strip() == f"FAIL: smoke test failed ({smoke})"


def test_skips_the_smoke_step_only_without_a_smoke_script(live_api, register_worker, web_version, tmp_path):
    register_worker(web_version)
    result = verify(live_api, tmp_path / "missing.sh")
    assert result.returncode == 0 and f"SKIP: smoke test ({tmp_path / 'missing.sh'} not found)" in result.stdout


def test_unreachable_api_is_one_line(tmp_path, smoke):
    result = verify("http://127.0.0.1:1", smoke)
    assert result.returncode == 1 and result.stderr.startswith("FAIL: http://127.0.0.1:1/health not reachable")
    assert len(result.stderr.strip().splitlines()) == 1
