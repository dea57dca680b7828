"""Sync batches: the logs sharing (connection_id, batch_id), read from their summaries in one SQL query.

Buckets (runbook "Batch Status Aggregation"): triggered = triggered or queued,
running, success, failed, other. Status priority: failed > running >
success (all success, total > 0) > unknown. A batch whose worker is stopped
therefore reads `running`, never `unknown`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from app.channels.errors import batch_not_found, invalid_batch_status
from app.channels.service.connections import owned_connection
from app.extensions import db

BATCH_STATUS_FILTERS = {
    "any": "TRUE",
    "running": "failed = 0 AND (running > 0 OR triggered > 0)",
    "failed": "failed > 0",
    "success": "failed = 0 AND running = 0 AND triggered = 0 AND success = total AND total > 0",
}

# A page of the connection's batch summaries (kept on write, see SyncBatch), then the operations of
# only those batches. Ranking by aggregating every log of a connection cost ~95 ms at 5,000 logs per
# connection, ~32 ms with an index covering the aggregation (bench/, BENCHMARKS.md).
BATCH_SQL = """
WITH page AS (
  SELECT batch_id, total, triggered, running, success, failed, other, created_at_min, updated_at_max,
         CASE WHEN failed > 0 THEN 'failed'
              WHEN running > 0 OR triggered > 0 THEN 'running'
              WHEN success = total AND total > 0 THEN 'success'
              ELSE 'unknown' END AS batch_status
    FROM sync_batches
   WHERE connection_id = :connection_id {batch_clause} AND {status_clause}
   ORDER BY updated_at_max DESC, created_at_min DESC
   LIMIT :limit OFFSET :offset
)
SELECT page.*, ops.operations
  FROM page
 CROSS JOIN LATERAL (
  SELECT json_agg(json_build_object('log_id', id, 'operation_type', operation_type, 'status', status,
                                    'error', error, 'updated_at', coalesce(updated_at, created_at))
                  ORDER BY created_at, operation_type) AS operations
    FROM channel_sync_logs AS op
   WHERE op.connection_id = :connection_id AND op.batch_id = page.batch_id
 ) AS ops
 ORDER BY page.updated_at_max DESC, page.created_at_min DESC
"""


@dataclass(frozen=True)
class BatchSummary:
    batch_id: uuid.UUID
    connection_id: uuid.UUID
    batch_status: str
    status_counts: dict
    created_at_min: datetime
    updated_at_max: datetime
    operations: list[dict]

    @property
    def total(self) -> int:
        return sum(self.status_counts.values())

    @property
    def is_active(self) -> bool:
        return self.batch_status == "running"


def _summaries(connection_id: uuid.UUID, *, batch_id=None, status="any", limit=50, offset=0) -> list[BatchSummary]:
    sql = BATCH_SQL.format(batch_clause="AND batch_id = :batch_id" if batch_id else "",
                           status_clause=BATCH_STATUS_FILTERS[status])
    params = {"connection_id": connection_id, "limit": limit, "offset": offset}
    if batch_id:
        params["batch_id"] = batch_id
    return [summary_from_row(row, connection_id) for row in db.session.execute(text(sql), params).mappings()]


def summary_from_row(row, connection_id: uuid.UUID) -> BatchSummary:
    return BatchSummary(
        batch_id=row["batch_id"], connection_id=connection_id, batch_status=row["batch_status"],
        status_counts={key: row[key] for key in ("triggered", "running", "success", "failed", "other")},
        created_at_min=row["created_at_min"], updated_at_max=row["updated_at_max"],
        operations=row["operations"])


def list_sync_batches(agency_id: uuid.UUID, connection_id: uuid.UUID, *, status: str = "any", limit: int = 50,
                      offset: int = 0) -> list[BatchSummary]:
    """A connection's batches, most recently updated first. Raises 404 / 400 invalid_status."""
    if status not in BATCH_STATUS_FILTERS:
        raise invalid_batch_status(status)
    owned_connection(agency_id, connection_id)
    return _summaries(connection_id, status=status, limit=limit, offset=offset)


def get_sync_batch(agency_id: uuid.UUID, connection_id: uuid.UUID, batch_id: uuid.UUID) -> BatchSummary:
    """One batch of the connection. Raises ConnectionNotFound or 404 batch_not_found."""
    owned_connection(agency_id, connection_id)
    found = _summaries(connection_id, batch_id=batch_id, limit=1)
    if not found:
        raise batch_not_found(batch_id, connection_id)
    return found[0]
