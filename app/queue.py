"""Queue names, the Redis connection, sync lock keys, the worker class and the single `enqueue` call site.

Web code never imports `rq` for enqueueing; it calls `enqueue()` here with the job's dotted path
(`"jobs.channels.run_channel_sync"`), so nothing below `jobs/` imports the job modules.
"""
from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue, Worker

QUEUES = ("channels", "maintenance", "default")


def redis_connection(timeout: float | None = None) -> Redis:
    """The app's Redis client (one pool per process); `timeout` bounds each call."""
    key = ("redis", timeout)
    clients = current_app.extensions.setdefault("redis_clients", {})
    if key not in clients:
        clients[key] = Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=timeout or 5,
                                      socket_connect_timeout=timeout or 5)
    return clients[key]


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection(), default_timeout=current_app.config["WORKER_JOB_TIMEOUT"])


def sync_lock_key(connection_id, operation_type: str) -> str:
    """Redis key of the lock that keeps two syncs of one connection and operation apart."""
    return f"fewo:sync-lock:{connection_id}:{operation_type}"


def enqueue(func: str, *args, queue_name: str = "default", job_id: str | None = None, **options):
    """Put the job `func` (dotted path) on a queue; raises redis errors when Redis is unreachable."""
    return queue(queue_name).enqueue(func, *args, job_id=job_id, **options)


class PmsWorker(Worker):
    """An RQ worker that also registers the code version it runs."""
    code_version: str | None = None

    def serialize(self) -> dict:
        return {**super().serialize(), "code_version": self.code_version or ""}

    def refresh(self) -> None:
        super().refresh()
        raw = self.connection.hget(self.key, "code_version")
        self.code_version = raw.decode() if raw else None
