"""The real app under gunicorn on a free localhost port, for tests over real HTTP.

`live_server` (session fixture) serves the test database and Redis database of
the run; configuration reaches gunicorn only through environment variables,
exactly as in production. `parallel_requests` fires requests from separate
processes that start together.
"""
from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(app_config: dict, **overrides: str) -> dict:
    """Environment for a server using the suite's database, Redis db and keys."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "REDIS_"))}
    env.update({
        "SECRET_KEY": app_config["SECRET_KEY"], "ENCRYPTION_KEY": app_config["ENCRYPTION_KEY"],
        "DATABASE_URL": app_config["DATABASE_URL"], "REDIS_URL": app_config["REDIS_URL"],
        "APP_ENV": "development", "SESSION_COOKIE_SECURE": "false", "LOG_LEVEL": "WARNING",
        "DB_BACKGROUND_RECONNECT_ENABLED": "false", "ENABLE_WORKER_HEALTHCHECK": "false",
        "HEALTH_DETAILS_TOKEN": app_config.get("HEALTH_DETAILS_TOKEN", ""),
        "CHANNELS_ALLOWED_PRIVATE_HOSTS": ",".join(app_config.get("CHANNELS_ALLOWED_PRIVATE_HOSTS", [])),
    })
    if "MEDIA_ROOT" in app_config:  # the suite's photos go to its temporary folder
        env["MEDIA_ROOT"] = app_config["MEDIA_ROOT"]
    env.update(overrides)
    return env


class LiveServer:
    """`gunicorn wsgi:app` with the given environment; `url` is its base URL."""

    def __init__(self, env: dict, workers: int = 2, threads: int = 8, startup_timeout: float = 30):
        self.env, self.workers, self.threads, self.startup_timeout = env, workers, threads, startup_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="fewo-gunicorn-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    def start(self) -> LiveServer:
        self.process = subprocess.Popen(
            [str(GUNICORN), "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", "--workers", str(self.workers),
             "--threads", str(self.threads), "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self.wait_until_healthy()
        except BaseException as exc:
            output = self.output()
            self.stop()
            raise RuntimeError(f"gunicorn did not come up ({exc!r}):\n{output}") from None
        return self

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass  # still booting
            time.sleep(0.2)
        raise TimeoutError(f"no answer on /health within {self.startup_timeout}s")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        os.unlink(self.log.name)

    def token(self, email: str, password: str) -> str:
        response = requests.post(f"{self.url}/api/v1/auth/token", json={"email": email, "password": password},
                                 timeout=10)
        response.raise_for_status()
        return response.json()["access_token"]


@pytest.fixture(scope="session")
def live_server(app, app_config):
    """One gunicorn (2 workers x 8 threads) for the whole run, on the suite's database."""
    # the ops console on, as `python3 dev.py up` runs it: the browser tests see the longest top bar
    server = LiveServer(server_env(app_config, ENABLE_OPS_CONSOLE="true")).start()
    yield server
    server.stop()


def _send(barrier, results, method: str, url: str, headers: dict, body) -> None:
    barrier.wait(30)
    try:
        results.put(requests.request(method, url, headers=headers, json=body, timeout=30).status_code)
    except requests.RequestException as exc:
        results.put(repr(exc))


def parallel_requests(count: int, method: str, url: str, headers: dict | None = None, body=None) -> list:
    """Send `count` identical requests from separate processes released together; their statuses."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(count), context.Queue()
    processes = [context.Process(target=_send, args=(barrier, results, method, url, headers or {}, body))
                 for _ in range(count)]
    for process in processes:
        process.start()
    statuses = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(10)
    return statuses
