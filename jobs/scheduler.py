"""Periodic jobs (spec 50): every worker runs this scheduler, exactly one of them enqueues.

RQ's `CronScheduler` has no election: with several workers each would enqueue every
periodic job. Here the schedulers compete for a Redis lease (RQ's own
acquire-or-refresh lock script); only the holder registers in RQ's cron registry and
enqueues, the others keep their clocks in step so a take-over continues at the next
run. Each run is enqueued under the id `periodic-<job>-<fire time>` with
`unique=True`, so even two schedulers that both believe they lead (a lease lost in
the middle of a round) cannot enqueue the same run twice.

Jobs are referenced by dotted path: the scheduler imports none of them; the worker
that runs a job imports it.
"""
from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.cron import CronJob, CronScheduler
from rq.exceptions import DuplicateJobError, SchedulerNotFound
from rq.scripts import acquire_or_refresh_lock, release_lock
from rq.utils import now

log = logging.getLogger("app.scheduler")

LEASE_KEY = "fewo:periodic-scheduler:lease"
LEASE_SECONDS = 30
TICK_SECONDS = 10  # well inside the lease, so the leader never loses it while healthy


@dataclass(frozen=True)
class PeriodicJob:
    func: str  # dotted path of the job function
    queue: str
    cron: str  # cron expression in the worker's local time


def periodic_jobs(config: Mapping) -> tuple[PeriodicJob, ...]:
    """The periodic jobs of spec 30/50/85; the scheduled-sync job only when switched on."""
    jobs = [
        PeriodicJob("jobs.maintenance.reap_abandoned_sync_logs", "maintenance", "* * * * *"),
        PeriodicJob("jobs.maintenance.sweep_stale_sync_logs", "maintenance", "*/5 * * * *"),
        PeriodicJob("jobs.maintenance.purge_expired_sync_logs", "maintenance", "17 3 * * *"),
        PeriodicJob("jobs.maintenance.purge_expired_idempotency_keys", "maintenance", "23 3 * * *"),
        PeriodicJob("jobs.direct.decline_expired_direct_bookings", "maintenance", "*/15 * * * *"),
    ]
    if config["CHANNELS_SCHEDULED_SYNC_ENABLED"]:
        minutes = config["CHANNELS_SCHEDULED_SYNC_MINUTES"]
        jobs.append(PeriodicJob("jobs.channels.run_scheduled_syncs", "channels", f"*/{minutes} * * * *"))
    return tuple(jobs)


def shipped(jobs: tuple[PeriodicJob, ...]) -> tuple[PeriodicJob, ...]:
    """The jobs whose module exists in this deploy; a missing one is logged, not scheduled
    (it would fail every run)."""
    present = []
    for job in jobs:
        module = job.func.rpartition(".")[0]
        if importlib.util.find_spec(module) is None:
            log.warning("Periodic job %s not scheduled: module %s not found", job.func, module)
        else:
            present.append(job)
    return tuple(present)


class PeriodicCronJob(CronJob):
    """A cron job enqueued by dotted path, once per fire time across all schedulers."""

    def run_id(self) -> str:
        fire_time = self.next_enqueue_time or now()
        return f"periodic-{self.name.replace('.', '-')}-{fire_time:%Y%m%d%H%M}"

    def enqueue(self, connection: Redis):
        queue = Queue(self.queue_name, connection=connection)
        try:
            job = queue.enqueue(self.func_name, job_id=self.run_id(), unique=True, **self.job_options)
        except DuplicateJobError:
            log.info("Periodic job %s already enqueued for this run", self.func_name)
            return None
        log.info("Enqueued periodic job %s on %s", self.func_name, self.queue_name)
        return job


class PeriodicScheduler(CronScheduler):
    """RQ's cron scheduler behind a Redis lease; run it in a thread of each worker."""

    def __init__(self, connection: Redis, jobs: tuple[PeriodicJob, ...], job_timeout: int, name: str):
        super().__init__(connection=connection, name=f"periodic-{name}")
        self._cron_jobs = [PeriodicCronJob(queue_name=j.queue, func_name=j.func, cron=j.cron,
                                           job_timeout=job_timeout) for j in jobs]
        self.leading = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[CronJob]:
        """One round: take or keep the lease and enqueue what is due, or step aside and skip it."""
        if acquire_or_refresh_lock(self.connection, LEASE_KEY, self.name, LEASE_SECONDS) == "taken":
            self.step_down()
            for job in self.get_jobs():
                if job.should_run():
                    job.set_enqueue_time(now())
            return []
        if not self.leading:
            self.register_birth()
            self.leading = True
            log.info("Periodic scheduler %s schedules: %s", self.name,
                     ", ".join(f"{job.func_name} ({job.cron})" for job in self.get_jobs()))
        enqueued = self.enqueue_jobs()
        if enqueued:
            self.save()
        self.heartbeat()
        return enqueued

    def step_down(self) -> None:
        if self.leading:
            self.leading = False
            try:
                self.register_death()
            except SchedulerNotFound:
                pass  # its registry entry had already expired

    def resign(self) -> None:
        """Leave the lease and the cron registry so another worker takes over at once."""
        self.step_down()
        release_lock(self.connection, LEASE_KEY, self.name)

    def run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.tick()
                except RedisError as exc:
                    log.warning("Periodic scheduler: Redis unavailable (%s); retrying", exc)
                self._stop.wait(max(0.5, min(self.calculate_sleep_interval(), TICK_SECONDS)))
        finally:
            try:
                self.resign()
            except RedisError:
                pass  # the lease expires by itself

    def start_thread(self) -> None:
        self._thread = threading.Thread(target=self.run, name="periodic-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
