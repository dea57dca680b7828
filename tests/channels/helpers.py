"""Sync logs written directly, in any state and age (browser and view tests need exact states)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import psycopg

OPERATIONS = ("availability_update", "pricing_update", "bookings_sync")


def insert_logs(connection, *statuses: str, batch_id: uuid.UUID | None = None, age: timedelta = timedelta(0),
                **values) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """One batch of the connection with these statuses (operations in full-sync order); needs an app context."""
    from app.channels.models import ChannelSyncLog
    from app.extensions import db

    batch_id = batch_id or uuid.uuid4()
    created = datetime.now(timezone.utc) - age
    details = values.pop("details", {"platform": connection.platform_type})
    logs = [ChannelSyncLog(tenant_id=connection.agency_id, connection_id=connection.id,
                           property_id=connection.property_id, batch_id=batch_id,
                           operation_type=OPERATIONS[index % 3], direction="inbound" if index % 3 == 2 else "outbound",
                           status=status, task_id=str(uuid.uuid4()), created_at=created, updated_at=created,
                           details=details, **values)
            for index, status in enumerate(statuses)]
    db.session.add_all(logs)
    db.session.commit()
    return batch_id, [log.id for log in logs]


# The batch list's summaries must always equal the aggregation of the logs they summarise.
AGGREGATED = """
SELECT connection_id, batch_id,
       count(*) FILTER (WHERE status IN ('triggered', 'queued')), count(*) FILTER (WHERE status = 'running'),
       count(*) FILTER (WHERE status = 'success'), count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE status NOT IN ('triggered', 'queued', 'running', 'success', 'failed')),
       min(created_at), max(coalesce(updated_at, created_at))
  FROM channel_sync_logs WHERE batch_id IS NOT NULL GROUP BY connection_id, batch_id
"""
SUMMARISED = """
SELECT connection_id, batch_id, triggered, running, success, failed, other, created_at_min, updated_at_max
  FROM sync_batches
"""


def summaries_match(database_url: str) -> int:
    """Asserts that the batch summaries equal the aggregation of the logs; returns how many batches there are."""
    with psycopg.connect(database_url) as conn:
        aggregated = set(conn.execute(AGGREGATED).fetchall())
        assert set(conn.execute(SUMMARISED).fetchall()) == aggregated
    return len(aggregated)
