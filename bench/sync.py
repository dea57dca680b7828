"""Sync throughput: mock-mode operations run by RQ workers, and how the workers scale out.

Engine cost: availability syncs triggered through the API while 1, 2 and 4 workers run, without
the channel's delay; the figure is operations per second from the first trigger to the last log
reaching `success`, the baseline RQ no-op jobs per second on the same Redis with the same
`flask worker` processes (warm, scheduler on).

Scale-out: the channel answers after 0.3 s (CHANNELS_MOCK_DELAY_SECONDS), so the work is I/O
bound; 20 syncs per worker are triggered through the service in one transaction while 1 .. 16
workers wait, their jobs enqueued at once by its commit. The figure is operations per second from
the first log starting to the last one finishing (database clock); the baseline is the ideal
N workers / 0.3 s.
"""
from __future__ import annotations

import time

from redis import Redis
from rq import Queue
from rq.registry import FinishedJobRegistry

from bench.measure import Outcome, Row, run_clients
from bench.stack import Stack
from bench.workload import api_session, make_connections

NAME = "sync"
TARGET_RATIO = 0.50
TRIGGER_CLIENTS = 4
POLL_SECONDS = 0.2
CHANNEL_LATENCY_SECONDS = 0.3
SCALE_OUT_TARGET_RATIO = 0.80


def wait_until(done, count: int, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while done() < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {done()} of {count} done within {timeout:.0f} s")
        time.sleep(POLL_SECONDS)
    return time.time()


def success_count(stack: Stack, connections: list) -> int:
    with stack.connect() as conn:
        return conn.execute("SELECT count(*) FROM channel_sync_logs WHERE status = 'success' "
                            "AND connection_id = ANY(%s)", (connections,)).fetchone()[0]


def trigger_all(stack: Stack, connections: list) -> float:
    """POST one availability sync per connection from parallel clients; the start time."""
    url, token = f"{stack.web().url}/api/v1/channel-connections", stack.token()

    def client(index: int, _barrier) -> float:
        session, began = api_session(token), time.time()
        for connection_id in connections[index::TRIGGER_CLIENTS]:
            response = session.post(f"{url}/{connection_id}/sync", json={"sync_type": "availability"}, timeout=60)
            if response.status_code != 200:
                raise RuntimeError(f"trigger answered {response.status_code}: {response.text[:300]}")
        return began
    return min(run_clients(TRIGGER_CLIENTS, client))


def product_rate(stack: Stack, operations: int, workers: int) -> float:
    connections = make_connections(stack, operations, f"Sync x{workers}")
    began = trigger_all(stack, connections)
    ended = wait_until(lambda: success_count(stack, connections), operations, timeout=operations + 120)
    return operations / (ended - began)


def noop_rate(stack: Stack, operations: int, workers: int) -> float:
    from bench.jobs import noop

    connection = Redis.from_url(stack.redis.url)
    queue, finished = Queue("channels", connection=connection), FinishedJobRegistry("channels", connection=connection)
    began = time.time()
    # count this phase's own jobs: earlier phases' entries expire from the registry meanwhile
    ids = {queue.enqueue(noop, result_ttl=3600).id for _ in range(operations)}
    ended = wait_until(lambda: len(ids.intersection(finished.get_job_ids())), operations, timeout=operations + 120)
    return operations / (ended - began)


def trigger_in_one_transaction(stack: Stack, connections: list) -> None:
    """An availability sync per connection through the service; the commit enqueues every job at once."""
    from app.channels import service
    from app.extensions import db

    with stack.app.app_context():
        for connection_id in connections:
            service.trigger_sync(stack.agency_id, connection_id, "availability", manual=False)
        db.session.commit()


def drained_rate(stack: Stack, connections: list) -> float:
    """Successful operations per second from the first log starting to the last one finishing."""
    with stack.connect() as conn:
        count, began, ended = conn.execute(
            "SELECT count(*), min(started_at), max(finished_at) FROM channel_sync_logs "
            "WHERE status = 'success' AND connection_id = ANY(%s)", (connections,)).fetchone()
    return count / (ended - began).total_seconds()


def scale_out_rate(stack: Stack, operations: int, workers: int) -> float:
    connections = make_connections(stack, operations, f"Scale-out x{workers}")
    stack.start_workers(workers, CHANNELS_MOCK_DELAY_SECONDS=str(CHANNEL_LATENCY_SECONDS))
    trigger_in_one_transaction(stack, connections)
    wait_until(lambda: success_count(stack, connections), operations,
               timeout=operations * CHANNEL_LATENCY_SECONDS + 120)
    return drained_rate(stack, connections)


def halves_rates(stack: Stack, operations: int, workers: int) -> tuple[float, float]:
    """The two halves of a sync apart: triggers per second through the API while no worker runs, then
    operations per second of the workers draining what was triggered (first log started to last
    finished, database clock)."""
    stack.stop_workers()
    connections = make_connections(stack, operations, f"Halves x{workers}")
    began = trigger_all(stack, connections)
    triggers = operations / (time.time() - began)
    stack.start_workers(workers)
    wait_until(lambda: success_count(stack, connections), operations, timeout=operations + 120)
    return triggers, drained_rate(stack, connections)


def engine_rows(stack: Stack, scale) -> list[Row]:
    rows, operations = [], scale.sync_operations
    for workers in scale.sync_workers:
        stack.start_workers(workers)
        rate, baseline = product_rate(stack, operations, workers), noop_rate(stack, operations, workers)
        triggers, jobs = halves_rates(stack, operations, workers)
        rows += [Row(NAME, f"{operations} ops, {workers} worker(s): ops/s", rate, "/s",
                     baseline, f">= {TARGET_RATIO:.0%} of no-op", rate >= TARGET_RATIO * baseline),
                 Row(NAME, f"{operations} ops, {workers} worker(s), the jobs alone (triggered before): ops/s", jobs,
                     "/s", baseline),
                 Row(NAME, f"{operations} triggers through the API alone (no worker running): triggers/s", triggers,
                     "/s")]
    return rows


def scale_out_rows(stack: Stack, scale) -> list[Row]:
    rows = []
    for workers in scale.sync_scale_out_workers:
        operations = scale.sync_scale_out_per_worker * workers
        rate, ideal = scale_out_rate(stack, operations, workers), workers / CHANNEL_LATENCY_SECONDS
        rows.append(Row(NAME, f"channel latency {CHANNEL_LATENCY_SECONDS:g} s, {operations} ops, "
                              f"{workers} worker(s): ops/s", rate, "/s", ideal,
                        f">= {SCALE_OUT_TARGET_RATIO:.0%} of N / latency", rate >= SCALE_OUT_TARGET_RATIO * ideal))
    return rows


def run(stack: Stack, scale) -> Outcome:
    outcome = Outcome()
    try:
        outcome.rows += engine_rows(stack, scale)
        outcome.rows += scale_out_rows(stack, scale)
    finally:
        stack.stop_workers()
    outcome.notes.append(f"sync: availability syncs, one per connection, triggered by {TRIGGER_CLIENTS} API clients "
                         "while the workers run; CHANNELS_MOCK_MODE=true with CHANNELS_MOCK_DELAY_SECONDS=0; the "
                         "halves apart: the same triggers with no worker running, then the workers draining them")
    outcome.notes.append(f"sync scale-out: CHANNELS_MOCK_DELAY_SECONDS={CHANNEL_LATENCY_SECONDS:g}, "
                         f"{scale.sync_scale_out_per_worker} syncs per worker triggered in one transaction while "
                         "the workers wait; ops/s from the first log's started_at to the last log's finished_at; "
                         "baseline = N workers / channel latency")
    return outcome
