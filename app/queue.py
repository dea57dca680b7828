"""Queue names, the Redis connection, sync lock keys, the worker class and the single `enqueue` call site.

Web code never imports `rq` for enqueueing; it calls `enqueue()` here with the job's dotted path
(`"jobs.channels.run_channel_sync"`), so nothing below `jobs/` imports the job modules.
"""
from __future__ import annotations

import threading

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.job import Job
from rq.worker import WorkerStatus

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


class PmsWorker(SimpleWorker):
    """The RQ worker: runs each job in its own warm process and registers the code version it runs.

    No fork per job: the app, its database pool and Redis clients are built once and reused.
    RQ's SimpleWorker sends no heartbeat while a job runs, so a thread sends one every
    `job_monitoring_interval`: the abandoned-job reaper tells a long job from a dead worker by it.
    The job timeout is RQ's SIGALRM death penalty in this process; SIGTERM lets the job finish.
    """
    code_version: str | None = None

    def serialize(self) -> dict:
        return {**super().serialize(), "code_version": self.code_version or ""}

    def refresh(self) -> None:
        super().refresh()
        raw = self.connection.hget(self.key, "code_version")
        self.code_version = raw.decode() if raw else None

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        done = threading.Event()
        beat = threading.Thread(target=self.beat_until, args=(done, job, execution), daemon=True,
                                name=f"heartbeat-{job.id}")
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            done.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)

    def beat_until(self, done: threading.Event, job: Job, execution) -> None:
        """Heartbeats of the worker, the job and its execution until `done` is set."""
        while not done.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job, execution)
            except RedisError as exc:  # the next beat tries again; the job itself goes on
                self.log.warning("Worker %s: heartbeat of job %s failed: %s", self.name, job.id, exc)
