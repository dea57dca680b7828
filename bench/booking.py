"""Booking creation through the HTTP API vs the same rows inserted directly with psycopg.

Every client owns one property and books back-to-back two-night stays on it,
so dates are distinct and free. The baseline inserts the booking and its
inventory range in one transaction per booking, under the same constraints
(exclusion constraints included), one connection per client.
"""
from __future__ import annotations

import uuid

from bench.measure import Outcome, Row, latency_rows
from bench.stack import Stack
from bench.workload import api_session, make_properties, parallel_loops, stay, throughput

NAME = "booking"
TARGET_RATIO = 0.40
BOOKING_SQL = """INSERT INTO bookings (id, agency_id, property_id, check_in, check_out, status, source,
    adults, children, total_price, currency) VALUES (%s, %s, %s, %s, %s, 'confirmed', 'direct', 1, 0, 200, 'EUR')"""
RANGE_SQL = """INSERT INTO inventory_ranges (id, agency_id, property_id, start_date, end_date, kind, source_id,
    state) VALUES (%s, %s, %s, %s, %s, 'booking', %s, 'active')"""


def api_clients(stack: Stack, clients: int, per_client: int) -> list:
    url, token = f"{stack.web().url}/api/v1/bookings/", stack.token()
    properties = make_properties(stack, clients, f"API x{clients}")

    def make_operation(index: int):
        session, property_id = api_session(token), str(properties[index])

        def book(number: int) -> None:
            check_in, check_out = stay(number)
            response = session.post(url, json={"property_id": property_id, "check_in": check_in.isoformat(),
                                               "check_out": check_out.isoformat()}, timeout=60)
            if response.status_code != 201:
                raise RuntimeError(f"booking answered {response.status_code}: {response.text[:300]}")
        return book
    return parallel_loops(clients, per_client, make_operation)


def raw_clients(stack: Stack, clients: int, per_client: int) -> list:
    properties, agency_id = make_properties(stack, clients, f"SQL x{clients}"), stack.agency_id

    def make_operation(index: int):
        conn, property_id = stack.connect(), properties[index]

        def insert(number: int) -> None:
            check_in, check_out = stay(number)
            booking_id = uuid.uuid4()
            with conn.transaction():
                conn.execute(BOOKING_SQL, (booking_id, agency_id, property_id, check_in, check_out))
                conn.execute(RANGE_SQL, (uuid.uuid4(), agency_id, property_id, check_in, check_out, booking_id))
        return insert
    return parallel_loops(clients, per_client, make_operation)


# The cheapest requests through the same clients, web stack and token: what no endpoint can beat.
FLOORS = (("web floor, GET /health (no database)", lambda _property_id: "/health"),
          ("authenticated floor, GET /api/v1/properties/<id>", lambda property_id: f"/api/v1/properties/{property_id}"))


def floor_clients(stack: Stack, clients: int, per_client: int, path_of) -> list:
    web, token = stack.web().url, stack.token()
    properties = make_properties(stack, clients, f"Floor x{clients}")

    def make_operation(index: int):
        session, url = api_session(token), f"{web}{path_of(properties[index])}"

        def fetch(_number: int) -> None:
            response = session.get(url, timeout=60)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        return fetch
    return parallel_loops(clients, per_client, make_operation)


def floor_rows(stack: Stack, clients: int, per_client: int, raw_rate: float) -> list[Row]:
    return [Row(NAME, f"{clients} clients: {label}: requests/s",
                throughput(floor_clients(stack, clients, per_client, path_of)), "/s", raw_rate)
            for label, path_of in FLOORS]


def run(stack: Stack, scale) -> Outcome:
    outcome = Outcome()
    for clients in (1, 8):
        per_client = scale.bookings_per_client[clients]
        api, raw = api_clients(stack, clients, per_client), raw_clients(stack, clients, per_client)
        api_rate, raw_rate = throughput(api), throughput(raw)
        label = f"{clients} client{'s' if clients > 1 else ''}"
        rate = Row(NAME, f"{label}: bookings/s", api_rate, "/s", raw_rate)
        latencies = [x for r in api for x in r["latencies"]]
        raw_latencies = [x for r in raw for x in r["latencies"]]
        outcome.rows += [rate, *latency_rows(NAME, f"{label}: latency", latencies, raw_latencies)]
        if clients == 8:
            rate.target, rate.met = f">= {TARGET_RATIO:.0%} of raw", api_rate >= TARGET_RATIO * raw_rate
            outcome.rows += floor_rows(stack, clients, per_client, raw_rate)
    outcome.notes.append(f"booking: {WEB_NOTE}")
    return outcome


WEB_NOTE = ("gunicorn 2 workers x 4 threads (production's WEB_CONCURRENCY default), bearer token, "
            "one property per client, back-to-back 2-night stays; baseline = INSERT booking + inventory range "
            "in one transaction per booking over psycopg, one connection per client; the floors: the same "
            "clients and token asking the cheapest requests, baseline the same raw INSERTs")
