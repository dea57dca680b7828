"""Availability of a property with 10,000 bookings over a 365-day window: API vs the bare SQL.

The bare SQL is the very statement the service executes (captured from
SQLAlchemy), replayed over psycopg on one connection.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from bench.measure import Outcome, latency_rows, timed
from bench.sql import explain, service_statements
from bench.stack import Stack
from bench.workload import api_session, copy_rows, make_properties, timed_loop

NAME = "availability"
P99_TARGET_MS = 15
WINDOW_DAYS = 365


def load_bookings(stack: Stack, property_id: uuid.UUID, count: int) -> None:
    """`count` one-night stays back to back, centred on today, with their inventory ranges."""
    first = date.today() - timedelta(days=count // 2)
    stays = [(uuid.uuid4(), first + timedelta(days=n)) for n in range(count)]
    copy_rows(stack, "bookings", ("id", "agency_id", "property_id", "check_in", "check_out", "status", "source"),
              ((bid, stack.agency_id, property_id, day, day + timedelta(days=1), "confirmed", "direct")
               for bid, day in stays))
    copy_rows(stack, "inventory_ranges", ("agency_id", "property_id", "start_date", "end_date", "kind",
                                          "source_id", "state"),
              ((stack.agency_id, property_id, day, day + timedelta(days=1), "booking", bid, "active")
               for bid, day in stays))
    with stack.connect(autocommit=True) as conn:
        conn.execute("ANALYZE bookings")
        conn.execute("ANALYZE inventory_ranges")


def run(stack: Stack, scale) -> Outcome:
    from app.inventory import service

    (property_id,) = make_properties(stack, 1, "Busy")
    load_bookings(stack, property_id, scale.availability_bookings)
    start, end = date.today(), date.today() + timedelta(days=WINDOW_DAYS)
    statement, parameters = service_statements(stack, lambda: service.availability_document(
        stack.agency_id, property_id, service.Stay(start, end)))[-1]
    url = f"{stack.web().url}/api/v1/availability"
    query = {"property_id": str(property_id), "from_date": start.isoformat(), "to_date": end.isoformat()}
    with api_session(stack.token()) as session:
        api, expected = api_samples(session, url, query, scale.availability_requests)
    with stack.connect() as conn:
        def call_sql(_number: int) -> None:
            conn.execute(statement, parameters).fetchall()
        timed(lambda: call_sql(0))  # warm the connection's plan cache like the app's pool is warm
        bare = timed_loop(scale.availability_requests, call_sql)["latencies"]
    outcome = Outcome(rows=latency_rows(NAME, f"{scale.availability_bookings} bookings, {expected} ranges in "
                                        f"{WINDOW_DAYS} days", api, bare, p99_target_ms=P99_TARGET_MS))
    outcome.notes.append(f"availability: the service's range query\n{statement}\n\n"
                         + explain(stack, statement, parameters))
    return outcome


def api_samples(session, url: str, query: dict, count: int) -> tuple[list[float], int]:
    """Latencies of `count` availability requests, and the number of ranges each answer holds."""
    expected = len(session.get(url, params=query, timeout=30).json()["ranges"])

    def call_api(_number: int) -> None:
        response = session.get(url, params=query, timeout=30)
        if response.status_code != 200 or len(response.json()["ranges"]) != expected:
            raise RuntimeError(f"availability answered {response.status_code}")
    return timed_loop(count, call_api)["latencies"], expected
