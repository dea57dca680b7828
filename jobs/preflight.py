"""Wait-for-deps: the worker starts only when the database and Redis answer (DNS, then TCP).

Container DNS and network attachment can lag a start by seconds; a worker that
starts half-ready fails its first jobs. A delayed start is better, and when the
dependencies never come an exit lets the supervisor restart the container
(runbook "Celery Worker (pms-worker-v2)": wait-for-deps preflight).
"""
from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("app.worker")


@dataclass(frozen=True)
class Endpoint:
    """A TCP host:port or a unix socket path that must accept connections."""
    label: str
    host: str = ""
    port: int = 0
    socket_path: str = ""

    def __str__(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"


def database_endpoint(url: str) -> Endpoint:
    """Where a postgres URL points: host:port, or the socket of `?host=/dir` (embedded server)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    port = parts.port or int(query.get("port", ["5432"])[0])
    host = parts.hostname or query.get("host", ["localhost"])[0]
    if host.startswith("/"):
        return Endpoint("Database", socket_path=f"{host}/.s.PGSQL.{port}")
    return Endpoint("Database", host=host, port=port)


def redis_endpoint(url: str) -> Endpoint:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return Endpoint("Redis", socket_path=parts.path)
    return Endpoint("Redis", host=parts.hostname or "localhost", port=parts.port or 6379)


def probe(endpoint: Endpoint, timeout: float) -> str | None:
    """None when the endpoint accepts a connection, else what failed (DNS or TCP)."""
    if endpoint.socket_path:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            try:
                sock.connect(endpoint.socket_path)
            except OSError as exc:
                return f"socket: {exc}"
        return None
    try:
        socket.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"DNS resolution failed: {exc}"
    try:
        socket.create_connection((endpoint.host, endpoint.port), timeout=timeout).close()
    except OSError as exc:
        return f"TCP connect failed: {exc}"
    return None


def wait_for(endpoint: Endpoint, deadline: float, interval: float) -> bool:
    log.info("Waiting for %s (%s)...", endpoint.label, endpoint)
    while True:
        error = probe(endpoint, timeout=max(0.2, min(interval, 2.0)))
        if error is None:
            log.info("  ✓ %s is ready (%s)", endpoint.label, endpoint)
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            log.error("  ✗ %s not reachable (%s): %s", endpoint.label, endpoint, error)
            return False
        log.info("  %s not ready (%s): %s. Retrying in %.1fs...", endpoint.label, endpoint, error,
                 min(interval, remaining))
        time.sleep(min(interval, remaining))


def wait_for_dependencies(endpoints: list[Endpoint], interval: float, timeout: float) -> bool:
    """Wait until every endpoint answers, all within `timeout` seconds; False when one never does."""
    log.info("====== Wait-for-Deps Preflight Check ======")
    deadline = time.monotonic() + timeout
    for endpoint in endpoints:
        if not wait_for(endpoint, deadline, interval):
            log.error("Dependencies not ready after %.0fs; exiting so the supervisor restarts the worker",
                      timeout)
            return False
    log.info("✓ All dependencies ready")
    return True
