"""RQ state read by readiness and the ops console: workers, their code version, queue depth.

Read-only; every call goes through a Redis client with a short socket timeout.
"""
from __future__ import annotations

from redis import Redis
from rq import Queue
from rq.job import Job
from rq.utils import now, utcparse

from app.queue import QUEUES, PmsWorker


def worker_rows(conn: Redis) -> list[dict]:
    """Alive workers (registered, heartbeat not expired) with name, code version and state."""
    return [{"name": w.name, "version": w.code_version, "state": w.get_state()}
            for w in PmsWorker.all(connection=conn)]


def oldest_job_age(conn: Redis, queue: Queue) -> float | None:
    """Seconds the job at the head of the queue has waited; None for an empty queue."""
    job_ids = queue.get_job_ids(0, 1)
    raw = conn.hget(Job.key_for(job_ids[0]), "enqueued_at") if job_ids else None
    return round((now() - utcparse(raw.decode())).total_seconds(), 1) if raw else None


def queue_stats(conn: Redis) -> dict[str, dict]:
    """Per queue: jobs waiting and the age of the oldest one."""
    stats = {}
    for name in QUEUES:
        queue = Queue(name, connection=conn)
        stats[name] = {"queued": queue.count, "oldest_age_seconds": oldest_job_age(conn, queue)}
    return stats


def oldest_queued_age(stats: dict[str, dict]) -> float | None:
    ages = [s["oldest_age_seconds"] for s in stats.values() if s["oldest_age_seconds"] is not None]
    return max(ages) if ages else None


def worker_problem(workers: list[dict], expected: int, web_version: str | None) -> str | None:
    """Why the workers are not healthy (none, too many, version skew), or None."""
    if not workers:
        return "no RQ worker is running"
    if expected and len(workers) > expected:
        listed = ", ".join(f"{w['name']} ({w['version'] or 'unknown'})" for w in workers)
        return (f"{len(workers)} workers registered, expected {expected}: {listed}. "
                "Stop the extra workers.")
    skewed = [w for w in workers if w["version"] != web_version]
    if skewed:
        listed = ", ".join(f"{w['name']} runs {w['version'] or 'unknown'}" for w in skewed)
        return f"version skew: web runs {web_version or 'unknown'}, {listed}. Redeploy the worker."
    return None
