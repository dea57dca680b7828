"""Retention purge of the 1,000,000 log rows the logs benchmark loaded (all older than 90 days).

Runs the scheduled job's own code (`purge_logs_older_than`, CHANNELS_SYNC_LOG_PURGE_BATCH
rows per transaction under the periodic lock) and times every transaction
from BEGIN to COMMIT with SQLAlchemy engine events: the longest one is the
longest time a lock was held.
"""
from __future__ import annotations

import time

from sqlalchemy import event

from bench.measure import Outcome, Row
from bench.stack import Stack

NAME = "purge"
LONGEST_TARGET_SECONDS = 1.0


def timed_transactions(engine) -> tuple[list[float], callable]:
    durations, opened = [], {}

    def begin(conn):
        opened[id(conn)] = time.perf_counter()

    def end(conn):
        started = opened.pop(id(conn), None)
        if started is not None:
            durations.append(time.perf_counter() - started)
    listeners = (("begin", begin), ("commit", end), ("rollback", end))
    for name, listener in listeners:
        event.listen(engine, name, listener)

    def stop():
        for name, listener in listeners:
            event.remove(engine, name, listener)
    return durations, stop


def run(stack: Stack, scale) -> Outcome:
    from app.extensions import db
    from app.channels.service.logs import purge_logs_older_than

    with stack.connect() as conn:
        rows = conn.execute("SELECT count(*) FROM channel_sync_logs WHERE created_at < now() - interval '90 days'"
                            ).fetchone()[0]
    if rows == 0:
        from bench import logs  # purge alone: load the rows first
        logs.load_logs(stack, logs.make_connections(stack, scale.log_connections, "Purged"), scale.log_rows)
        rows = scale.log_rows
    with stack.app.app_context():
        batch = stack.app.config["CHANNELS_SYNC_LOG_PURGE_BATCH"]
        durations, stop = timed_transactions(db.engine)
        began = time.perf_counter()
        try:
            deleted = purge_logs_older_than(90)
        finally:
            stop()
        seconds = time.perf_counter() - began
    longest = max(durations)
    return Outcome(rows=[
        Row(NAME, f"{deleted:,} rows deleted: rows/s", deleted / seconds, "/s"),
        Row(NAME, f"longest transaction ({len(durations)} transactions of <= {batch} rows)", longest * 1000,
            "ms", target=f"< {LONGEST_TARGET_SECONDS * 1000:g} ms", met=longest < LONGEST_TARGET_SECONDS),
        Row(NAME, "rows left older than 90 days", rows - deleted, "", target="= 0", met=rows == deleted),
    ])
