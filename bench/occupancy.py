"""The occupancy chart of an agency with 200 properties (14, 30 and 60 days) next to the month view.

An agency of its own (the other benchmarks' properties stay out of its chart):
every property has an Airbnb connection, and is ~75 % occupied from 30 days back
to 120 days ahead by bookings with guests, owner blocks and channel holds;
each connection has 50 feed imports, and every tenth an open overbooking
conflict. Figures are taken over HTTP from gunicorn as htmx asks
for the fragments: the round trip and the server time the app reports in
`Server-Timing`; the baseline is the chart's own SQL replayed bare.
"""
from __future__ import annotations

import random
import secrets
import uuid
from datetime import date, timedelta

from bench.measure import Outcome, Row, latency_rows, timed
from bench.pageweight import logged_in_session
from bench.sql import explain, service_statements
from bench.stack import BENCH_PASSWORD, Stack
from bench.workload import copy_rows, timed_loop

NAME = "occupancy"
P99_TARGET_MS = 50
WINDOWS = (14, 30, 60)
FIRST_DAY, LAST_DAY = date.today() - timedelta(days=30), date.today() + timedelta(days=120)
IMPORTS_PER_CONNECTION = 50
LOGS_SQL = """
INSERT INTO channel_sync_logs (tenant_id, connection_id, property_id, operation_type, direction, status, details,
                               created_at, updated_at)
SELECT c.agency_id, c.id, c.property_id, 'bookings_sync', 'inbound', 'success',
       jsonb_build_object('imported', 3, 'conflicts', '[]'::jsonb),
       now() - g * interval '15 minutes', now() - g * interval '15 minutes'
  FROM channel_connections AS c
 CROSS JOIN generate_series(0, %(imports)s - 1) AS g
 WHERE c.agency_id = %(agency)s
"""
CONFLICTS_SQL = """
INSERT INTO channel_conflicts (agency_id, connection_id, property_id, external_uid, start_date, end_date, summary,
                               reason, collided_kind)
SELECT c.agency_id, c.id, c.property_id, 'evt-' || c.n, current_date + 3, current_date + 6, 'Airbnb (HM' || c.n || ')',
       'Property is already booked for these dates', 'booking'
  FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM channel_connections WHERE agency_id = %(agency)s) AS c
 WHERE c.n %% 10 = 0
"""


def chart_agency(stack: Stack, properties: int) -> tuple[uuid.UUID, str, list[tuple[uuid.UUID, uuid.UUID]]]:
    """A new agency with its admin and `properties` properties each with an Airbnb connection."""
    from app.auth import service as auth
    from app.channels.models import ChannelConnection
    from app.extensions import db
    from app.inventory import service

    with stack.app.app_context():
        agency = auth.create_agency("Chart Agency", f"chart-{secrets.token_hex(3)}")
        user = auth.create_user(f"chart-{secrets.token_hex(3)}@example.com", BENCH_PASSWORD, agency, "admin")
        pairs = []
        for n in range(properties):
            prop = service.create_property(agency.id, f"Ferienhaus {n:03d}", max_advance_days=3650)
            connection = ChannelConnection(agency_id=agency.id, property_id=prop.id, platform_type="airbnb")
            db.session.add(connection)
            db.session.flush()
            pairs.append((prop.id, connection.id))
        db.session.commit()
        return agency.id, user.email, pairs


def stays(rng: random.Random):
    """(kind, start, end) back to back with gaps: 80 % bookings, 10 % blocks, 10 % channel holds."""
    day = FIRST_DAY + timedelta(days=rng.randint(0, 3))
    while day < LAST_DAY:
        nights = rng.randint(2, 7)
        yield rng.choices(("booking", "block", "channel_hold"), (8, 1, 1))[0], day, day + timedelta(days=nights)
        day += timedelta(days=nights + rng.choice((0, 0, 1, 2, 3)))


def load_occupancy(stack: Stack, agency_id: uuid.UUID, pairs: list) -> int:
    rng, rows = random.Random(7), {"guests": [], "bookings": [], "availability_blocks": [], "inventory_ranges": []}
    for property_id, connection_id in pairs:
        for kind, start, end in stays(rng):
            source_id, uid = uuid.uuid4(), None
            if kind == "booking":
                guest_id = uuid.uuid4()
                rows["guests"].append((guest_id, agency_id, rng.choice(("Anna", "Eva", "Jonas")),
                                       f"Gast {source_id.hex[:6]}"))
                rows["bookings"].append((source_id, agency_id, property_id, guest_id, start, end, "confirmed",
                                         "direct"))
            elif kind == "block":
                rows["availability_blocks"].append((source_id, agency_id, property_id, start, end, "Owner stay"))
            else:
                source_id, uid = connection_id, f"uid-{uuid.uuid4().hex[:12]}"
            rows["inventory_ranges"].append((agency_id, property_id, start, end, kind, source_id, "active",
                                             connection_id if kind == "channel_hold" else None, uid))
    columns = {"guests": ("id", "agency_id", "first_name", "last_name"),
               "bookings": ("id", "agency_id", "property_id", "guest_id", "check_in", "check_out", "status", "source"),
               "availability_blocks": ("id", "agency_id", "property_id", "start_date", "end_date", "reason"),
               "inventory_ranges": ("agency_id", "property_id", "start_date", "end_date", "kind", "source_id", "state",
                                    "connection_id", "external_uid")}
    for table, table_rows in rows.items():
        copy_rows(stack, table, columns[table], table_rows)
    with stack.connect() as conn:
        conn.execute(LOGS_SQL, {"agency": agency_id, "imports": IMPORTS_PER_CONNECTION})
        conn.execute(CONFLICTS_SQL, {"agency": agency_id})
    with stack.connect(autocommit=True) as conn:
        for table in (*rows, "channel_sync_logs", "channel_conflicts", "properties", "channel_connections"):
            conn.execute(f"ANALYZE {table}")
    return len(rows["inventory_ranges"])


def server_timing(response) -> dict[str, float]:
    """Seconds by name from `Server-Timing: app;dur=12.3, cpu;dur=4.5`."""
    entries = (entry.strip().split(";dur=") for entry in response.headers["Server-Timing"].split(","))
    return {name: float(value) / 1000 for name, value in entries}


def fragment_samples(session, url: str, count: int) -> tuple[dict[str, list[float]], int]:
    """Round trips, the app's own time and its CPU time (Server-Timing) of `count` htmx requests; the body size."""
    samples, size = {"round trip": [], "server time": [], "app CPU time": []}, 0

    def fetch(_number: int) -> None:
        nonlocal size
        response = session.get(url, headers={"HX-Request": "true"}, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        timing = server_timing(response)
        samples["server time"].append(timing["app"])
        samples["app CPU time"].append(timing["cpu"])
        size = len(response.content)
    fetch(0)
    samples["server time"].clear()
    samples["app CPU time"].clear()
    samples["round trip"] = timed_loop(count, fetch)["latencies"]
    return samples, size


def bare_sql(stack: Stack, agency_id: uuid.UUID, days: int, count: int) -> tuple[list[float], list[str]]:
    """The chart's statements replayed over psycopg (p50/p99 of all of them together) and their plans."""
    from app.inventory.service.occupancy_chart import occupancy_chart

    statements = service_statements(stack, lambda: occupancy_chart(agency_id, date.today(), days))
    with stack.connect() as conn:
        def run_all(_number: int) -> None:
            for statement, parameters in statements:
                conn.execute(statement, parameters).fetchall()
        timed(lambda: run_all(0))
        samples = timed_loop(count, run_all)["latencies"]
    return samples, [f"occupancy: chart statement, {days} days\n{statement.strip()}\n\n"
                     + explain(stack, statement, parameters) for statement, parameters in statements]


def run(stack: Stack, scale) -> Outcome:
    agency_id, email, pairs = chart_agency(stack, scale.chart_properties)
    ranges = load_occupancy(stack, agency_id, pairs)
    outcome, web, properties = Outcome(), stack.web().url, len(pairs)
    with logged_in_session(web, email) as session:
        url = f"{web}/calendar?property_id={pairs[0][0]}&month={date.today():%Y-%m}"
        samples, _size = fragment_samples(session, url, scale.chart_requests)
        for kind, values in samples.items():
            outcome.rows += latency_rows(NAME, f"month view fragment, 1 property: {kind}", values)
        for days in WINDOWS:
            label = f"chart {properties} properties x {days} days"
            url = f"{web}/calendar/occupancy?start={date.today()}&days={days}"
            samples, size = fragment_samples(session, url, scale.chart_requests)
            bare, plans = bare_sql(stack, agency_id, days, scale.chart_requests)
            for kind, values in samples.items():
                target = P99_TARGET_MS if kind == "server time" and days == max(WINDOWS) else None
                outcome.rows += latency_rows(NAME, f"{label}: {kind}", values, bare if kind != "app CPU time" else None,
                                             p99_target_ms=target)
            outcome.rows.append(Row(NAME, f"{label}: fragment size", size, "bytes"))
            if days == max(WINDOWS):
                outcome.notes += plans
    outcome.notes.append(f"occupancy: {properties} properties, {ranges:,} active ranges from {FIRST_DAY} to "
                         f"{LAST_DAY}, {properties * IMPORTS_PER_CONNECTION:,} feed-import logs; baseline = the "
                         "chart's statement replayed bare over psycopg; app CPU time = the request thread's "
                         "CPU (Server-Timing cpu), without waiting for the database or for a core")
    return outcome
