"""Sync throughput: mock-mode operations triggered through the API and run by 1, 2 and 4 RQ workers.

The figure is operations per second from the first trigger to the last log
reaching `success`; the baseline is RQ no-op jobs per second on the same Redis
with the same `flask worker` processes (fork per job, scheduler on).
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


def run(stack: Stack, scale) -> Outcome:
    outcome = Outcome()
    try:
        for workers in scale.sync_workers:
            stack.start_workers(workers)
            rate, baseline = product_rate(stack, scale.sync_operations, workers), \
                noop_rate(stack, scale.sync_operations, workers)
            outcome.rows.append(Row(NAME, f"{scale.sync_operations} ops, {workers} worker(s): ops/s", rate, "/s",
                                    baseline, f">= {TARGET_RATIO:.0%} of no-op", rate >= TARGET_RATIO * baseline))
    finally:
        stack.stop_workers()
    outcome.notes.append(f"sync: availability syncs, one per connection, triggered by {TRIGGER_CLIENTS} API clients "
                         "while the workers run; CHANNELS_MOCK_MODE=true with CHANNELS_MOCK_DELAY_SECONDS=0")
    return outcome
