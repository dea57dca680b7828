"""Periodic jobs: registered and enqueued exactly once however many workers run."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue
from rq.cron import CronScheduler
from rq.utils import now

from jobs.scheduler import LEASE_KEY, PeriodicScheduler, periodic_jobs

MAINTENANCE_JOBS = {"jobs.maintenance.reap_abandoned_sync_logs", "jobs.maintenance.sweep_stale_sync_logs",
                    "jobs.maintenance.purge_expired_sync_logs", "jobs.maintenance.purge_expired_idempotency_keys",
                    "jobs.direct.decline_expired_direct_bookings"}


@pytest.fixture
def conn(app):
    return Redis.from_url(app.config["REDIS_URL"])


@pytest.fixture
def schedulers(app, conn):
    """Two schedulers as two workers would run them."""
    made = [PeriodicScheduler(conn, periodic_jobs(app.config), 300, name=name)
            for name in ("worker-a", "worker-b")]
    yield made
    for scheduler in made:
        scheduler.resign()


def make_due(scheduler: PeriodicScheduler, fire_time) -> None:
    for job in scheduler.get_jobs():
        job.next_enqueue_time = fire_time


def queued_funcs(conn) -> list[str]:
    return sorted(job.func_name for name in ("maintenance", "channels")
                  for job in Queue(name, connection=conn).get_jobs())


def test_the_periodic_jobs_of_the_spec():
    config = {"CHANNELS_SCHEDULED_SYNC_ENABLED": False, "CHANNELS_SCHEDULED_SYNC_MINUTES": 15}
    jobs = {job.func: job for job in periodic_jobs(config)}
    assert set(jobs) == MAINTENANCE_JOBS
    assert jobs["jobs.maintenance.sweep_stale_sync_logs"].cron == "*/5 * * * *"
    assert jobs["jobs.maintenance.reap_abandoned_sync_logs"].cron == "* * * * *"
    assert jobs["jobs.maintenance.purge_expired_sync_logs"].cron.endswith(" * * *")  # daily
    with_syncs = periodic_jobs({**config, "CHANNELS_SCHEDULED_SYNC_ENABLED": True})
    scheduled = [job for job in with_syncs if job.func == "jobs.channels.run_scheduled_syncs"]
    assert [(job.queue, job.cron) for job in scheduled] == [("channels", "*/15 * * * *")]


def test_two_workers_enqueue_each_run_once(conn, schedulers):
    first, second = schedulers
    fire_time = now() - timedelta(seconds=1)
    for scheduler in schedulers:
        make_due(scheduler, fire_time)
    assert len(first.tick()) == len(MAINTENANCE_JOBS) and second.tick() == []
    assert queued_funcs(conn) == sorted(MAINTENANCE_JOBS)
    assert [s.name for s in CronScheduler.all(conn)] == ["periodic-worker-a"]
    assert conn.get(LEASE_KEY) == b"periodic-worker-a"
    assert all(job.next_enqueue_time > fire_time for job in second.get_jobs())  # standby kept in step


def test_a_take_over_never_repeats_a_run(conn, schedulers):
    first, second = schedulers
    fire_time = now() - timedelta(seconds=1)
    make_due(first, fire_time)
    first.tick()
    first.resign()
    make_due(second, fire_time)  # the same run, seen late by the new leader
    second.tick()
    assert queued_funcs(conn) == sorted(MAINTENANCE_JOBS)
    assert [s.name for s in CronScheduler.all(conn)] == ["periodic-worker-b"]
    make_due(second, fire_time - timedelta(minutes=1))  # another run gets its own job
    second.tick()
    assert len(queued_funcs(conn)) == 2 * len(MAINTENANCE_JOBS)


def test_a_running_scheduler_thread_enqueues_and_resigns(conn, app):
    scheduler = PeriodicScheduler(conn, periodic_jobs(app.config), 300, name="worker-c")
    make_due(scheduler, now() - timedelta(seconds=1))
    scheduler.start_thread()
    deadline = now() + timedelta(seconds=5)
    while len(queued_funcs(conn)) < len(MAINTENANCE_JOBS) and now() < deadline:
        time.sleep(0.05)
    scheduler.stop()
    assert queued_funcs(conn) == sorted(MAINTENANCE_JOBS)
    assert conn.get(LEASE_KEY) is None and CronScheduler.all(conn) == []
    job = Queue("maintenance", connection=conn).get_jobs()[0]
    assert job.timeout == 300 and job.id.startswith("periodic-jobs-maintenance-")


def test_jobs_of_a_missing_module_are_not_scheduled(caplog):
    from jobs.scheduler import PeriodicJob, shipped

    present = PeriodicJob("tests.jobs.helpers.nap", "default", "* * * * *")
    missing = PeriodicJob("jobs.not_shipped.run_something", "default", "* * * * *")
    assert shipped((present, missing)) == (present,)
    assert "Periodic job jobs.not_shipped.run_something not scheduled: module jobs.not_shipped not found" \
        in caplog.text
