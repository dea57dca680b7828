"""Sync logs and batches at 1,000,000 log rows over 200 connections: p50/p99 per request.

Rows are bulk-inserted server-side (INSERT ... SELECT generate_series): three
operations per batch, 2 % failed, spread over two months and all older than
the default 90-day retention (the purge benchmark deletes them afterwards).
Plans of the service's queries are printed with EXPLAIN (ANALYZE, BUFFERS).
"""
from __future__ import annotations

import random

from bench.measure import Outcome, latency_rows
from bench.pageweight import logged_in_session
from bench.sql import explain, service_statements
from bench.stack import Stack
from bench.workload import api_session, make_connections, timed_loop

NAME = "logs"
STOP_POLLING = 286  # htmx: a fragment with nothing in progress answers 286 (app.web.htmx)
P99_TARGET_MS = 50
OPERATIONS_PER_BATCH = 3
LOAD_SQL = """
WITH c AS (SELECT id, property_id, (row_number() OVER (ORDER BY id)) - 1 AS n
             FROM channel_connections WHERE id = ANY(%(connections)s))
INSERT INTO channel_sync_logs (tenant_id, connection_id, property_id, batch_id, operation_type, direction, status,
                               details, error, task_id, retry_count, started_at, finished_at, created_at, updated_at)
SELECT %(agency)s, c.id, c.property_id, md5(c.id::text || (g / %(batch_span)s)::text)::uuid,
       (ARRAY['availability_update', 'pricing_update', 'bookings_sync'])[g %% 3 + 1],
       CASE g %% 3 WHEN 2 THEN 'inbound' ELSE 'outbound' END,
       CASE WHEN (g / %(connection_count)s) %% 50 = 0 THEN 'failed' ELSE 'success' END,
       jsonb_build_object('platform', 'airbnb', 'mock_mode', true, 'ranges_pushed', g %% 7),
       CASE WHEN (g / %(connection_count)s) %% 50 = 0 THEN 'Channel API error: HTTP 503 Service Unavailable' END,
       md5(g::text)::uuid::text, 0, ts, ts + interval '1 second', ts, ts + interval '1 second'
  FROM generate_series(0, %(rows)s - 1) AS g
  JOIN c ON c.n = g %% %(connection_count)s
 CROSS JOIN LATERAL (SELECT now() - interval '100 days' - g * interval '5 seconds' AS ts) AS t
"""


# Label -> path below one connection; {batch} is a sampled batch of that connection.
API_PAGES = {
    "sync-logs API page (50)": "sync-logs?limit=50",
    "sync-logs API page, status=failed": "sync-logs?limit=50&status=failed",
    "sync-logs API page, batch filter": "sync-logs?batch_id={batch}",
    "batch list API (50)": "sync-batches?limit=50",
    "batch detail API": "sync-batches/{batch}",
}
FRAGMENTS = {
    "logs panel fragment": "sync-logs",
    "logs panel fragment, status=failed": "sync-logs?status=failed",
    "sync history fragment (batch list)": "sync-batches",
    "batch details fragment": "sync-batches/{batch}",
}


def load_logs(stack: Stack, connections: list, rows: int) -> None:
    with stack.connect() as conn:
        conn.execute(LOAD_SQL, {"connections": connections, "agency": stack.agency_id, "rows": rows,
                                "connection_count": len(connections),
                                "batch_span": OPERATIONS_PER_BATCH * len(connections)})
    with stack.connect(autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE channel_sync_logs")


def sample_batches(stack: Stack, count: int) -> list[tuple]:
    with stack.connect() as conn:
        return conn.execute("SELECT connection_id, batch_id FROM channel_sync_logs ORDER BY random() LIMIT %s",
                            (count,)).fetchall()


def plans(stack: Stack, connection_id, batch_id) -> list[str]:
    from app.channels import service

    agency, notes = stack.agency_id, []
    calls = {
        "sync-logs page": lambda: service.list_sync_logs(agency, connection_id, limit=50),
        "sync-logs page, status=failed": lambda: service.list_sync_logs(agency, connection_id, limit=50,
                                                                        status="failed"),
        "batch list": lambda: service.list_sync_batches(agency, connection_id),
        "batch detail": lambda: service.get_sync_batch(agency, connection_id, batch_id),
    }
    for label, call in calls.items():
        for statement, parameters in service_statements(stack, call):
            if "channel_sync_logs" in statement:
                notes.append(f"logs: {label}\n{statement.strip()}\n\n{explain(stack, statement, parameters)}")
    return notes


def run(stack: Stack, scale) -> Outcome:
    connections = make_connections(stack, scale.log_connections, "Logged")
    load_logs(stack, connections, scale.log_rows)
    batches = sample_batches(stack, scale.log_requests)
    outcome, web = Outcome(), stack.web().url
    with api_session(stack.token()) as session:
        outcome.rows += request_rows(session, f"{web}/api/v1/channel-connections", API_PAGES, batches, scale)
    with logged_in_session(web, stack.user_email) as browser:
        browser.headers["HX-Request"] = "true"  # the panels as htmx fetches them
        outcome.rows += request_rows(browser, f"{web}/connections", FRAGMENTS, batches, scale)
    outcome.notes += plans(stack, *random.choice(batches))
    return outcome


def request_rows(session, base: str, pages: dict, batches: list[tuple], scale) -> list:
    """p50/p99 rows of each page, cycling through the sampled (connection, batch) pairs."""
    rows = []
    for label, path in pages.items():
        def fetch(number: int, path=path) -> None:
            connection_id, batch_id = batches[number % len(batches)]
            response = session.get(f"{base}/{connection_id}/{path.format(batch=batch_id)}", timeout=30)
            if response.status_code not in (200, STOP_POLLING):
                raise RuntimeError(f"{response.url} answered {response.status_code}")
        fetch(0)
        samples = timed_loop(scale.log_requests, fetch)["latencies"]
        rows += latency_rows(NAME, f"{scale.log_rows:,} rows: {label}", samples, p99_target_ms=P99_TARGET_MS)
    return rows
