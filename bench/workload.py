"""Synthetic data shared by the benchmarks: properties via the service layer, bulk rows via COPY."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import requests

from bench.measure import run_clients
from bench.stack import Stack

FIRST_NIGHT = date.today() + timedelta(days=2)


def make_properties(stack: Stack, count: int, prefix: str) -> list[uuid.UUID]:
    """Properties of the bench agency, created through the service (bookable ten years ahead)."""
    from app.extensions import db
    from app.inventory import service

    with stack.app.app_context():
        ids = [service.create_property(stack.agency_id, f"{prefix} {n}", max_advance_days=3650,
                                       base_nightly_rate=100).id for n in range(count)]
        db.session.commit()
    return ids


def stay(index: int, nights: int = 2) -> tuple[date, date]:
    """The index-th of back-to-back stays from FIRST_NIGHT (distinct, free dates)."""
    start = FIRST_NIGHT + timedelta(days=index * nights)
    return start, start + timedelta(days=nights)


def copy_rows(stack: Stack, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """COPY rows into a table in one transaction (bulk load, not a product path)."""
    with stack.connect() as conn, conn.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def api_session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def throughput(results: list[dict]) -> float:
    """Completed operations per second over the wall time of all clients together."""
    count = sum(len(r["latencies"]) for r in results)
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return count / wall


def timed_loop(count: int, operation: Callable[[int], None]) -> dict:
    """Run operation(0..count-1) back to back; the latencies and the wall-clock span."""
    latencies, start = [], time.time()
    for number in range(count):
        began = time.perf_counter()
        operation(number)
        latencies.append(time.perf_counter() - began)
    return {"latencies": latencies, "start": start, "end": time.time()}


def parallel_loops(clients: int, per_client: int, make_operation: Callable[[int], Callable[[int], None]]) -> list:
    """`clients` processes each running its own operation `per_client` times, released together."""
    return run_clients(clients, lambda index, _barrier: timed_loop(per_client, make_operation(index)))


def make_connections(stack: Stack, count: int, prefix: str) -> list[uuid.UUID]:
    """Active mock-mode Airbnb connections, one per new property, created through the service."""
    from app.channels import service
    from app.extensions import db

    properties = make_properties(stack, count, prefix)
    with stack.app.app_context():
        ids = [service.create_connection(stack.agency_id, property_id, "airbnb").id for property_id in properties]
        db.session.commit()
    return ids
