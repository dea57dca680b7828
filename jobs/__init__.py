"""Queue names, the Redis connection and the single `enqueue` call site.

Web code never imports `rq` directly; it calls `enqueue()` here.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app
from redis import Redis
from rq import Queue

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


def enqueue(func, *args, queue_name: str = "default", job_id: str | None = None, **options):
    """Put a job on a queue; raises redis errors when Redis is unreachable."""
    return queue(queue_name).enqueue(func, *args, job_id=job_id, **options)


_worker_app = None


def set_worker_app(app) -> None:
    """The worker entry point builds the app once and hands it to the jobs."""
    global _worker_app
    _worker_app = app


def app_context():
    """App context for a job: the worker's app, else one built on first use."""
    global _worker_app
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app({"DB_BACKGROUND_RECONNECT_ENABLED": False})
    return _worker_app.app_context()


@contextmanager
def unit_of_work():
    """One short transaction on the job's session: commit on success, roll back on error, always close."""
    from app.extensions import db

    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()
