"""Sync batch summaries: one row per (connection, batch), kept by triggers on the logs.

The batch list ranked a connection's batches by aggregating all of its logs
(5,000 at 1M rows: ~95 ms per query on the loaded benchmark machine; ~32 ms
even with an index covering the aggregation). `sync_batches` holds the status
buckets and the two timestamps the list ranks by, so a page is an index scan
of its own rows (~9 ms there, most of it the page's operations).

Statement-level triggers on `channel_sync_logs` keep the rows in the writing
transaction, whatever writes: the sync trigger's inserts, the engine's and the
stale sweep's transitions, operator cancels, the purges, bulk loads and the
cascade of a deleted connection. Counts move by the difference of old and new
rows, so concurrent transitions of one batch add up instead of overwriting
each other; a delete recomputes the two timestamps of the batches it thinned
and removes the summaries it emptied. Existing logs are summarised here.

Revision ID: e4fa7c3d0504
Revises: d3e9a6b2f403
Create Date: 2026-11-29 22:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'e4fa7c3d0504'
down_revision = 'd3e9a6b2f403'
branch_labels = None
depends_on = None

# Status buckets of spec 30 "Batch aggregation": sum of `sign` over the changed rows of each bucket.
BUCKETS = {
    "triggered": "status IN ('triggered', 'queued')",
    "running": "status = 'running'",
    "success": "status = 'success'",
    "failed": "status = 'failed'",
    "other": "status NOT IN ('triggered', 'queued', 'running', 'success', 'failed')",
}
COUNT_COLUMNS = ", ".join(BUCKETS)
SUMS = ",\n       ".join(f"coalesce(sum(sign) FILTER (WHERE {condition}), 0)" for condition in BUCKETS.values())
ADDED = ", ".join(f"{name} = sync_batches.{name} + EXCLUDED.{name}" for name in BUCKETS)
SUBTRACTED = ", ".join(f"{name} = b.{name} - d.{name}" for name in BUCKETS)

# `changes`: the written rows with sign +1 (new versions) and -1 (old versions); %s is their SELECT.
DELTAS = f"""
WITH changes AS (%s)
SELECT connection_id, batch_id,
       {SUMS},
       min(created_at) FILTER (WHERE sign > 0), max(coalesce(updated_at, created_at)) FILTER (WHERE sign > 0)
  FROM changes
 WHERE batch_id IS NOT NULL
 GROUP BY connection_id, batch_id
"""


def on_write_function(name: str, changes: str) -> str:
    """A trigger function adding the `changes` (signed rows of the statement) to the summaries."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO sync_batches (connection_id, batch_id, {COUNT_COLUMNS}, created_at_min, updated_at_max)
  {DELTAS % changes}
  ON CONFLICT (connection_id, batch_id) DO UPDATE SET {ADDED},
    created_at_min = least(sync_batches.created_at_min, EXCLUDED.created_at_min),
    updated_at_max = greatest(sync_batches.updated_at_max, EXCLUDED.updated_at_max);
  RETURN NULL;
END
$fn$
"""


REMOVED_ROWS = "SELECT *, 1 AS sign FROM old_rows"
REMOVED_TOTAL = " + ".join(f"d.{name}" for name in BUCKETS)
# Summaries whose every log went are deleted (the retention purge's usual case); the others lose the
# removed counts and take their timestamps from the logs that remain.
ON_DELETE = f"""
CREATE FUNCTION sync_batches_on_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  WITH d (connection_id, batch_id, {COUNT_COLUMNS}) AS ({DELTAS % REMOVED_ROWS}),
  emptied AS (
    DELETE FROM sync_batches AS b USING d
     WHERE b.connection_id = d.connection_id AND b.batch_id = d.batch_id AND b.total <= {REMOVED_TOTAL})
  UPDATE sync_batches AS b
     SET {SUBTRACTED},
         created_at_min = coalesce(kept.created_at_min, b.created_at_min),
         updated_at_max = coalesce(kept.updated_at_max, b.updated_at_max)
    FROM d
    LEFT JOIN LATERAL (
      SELECT min(created_at) AS created_at_min, max(coalesce(updated_at, created_at)) AS updated_at_max
        FROM channel_sync_logs AS l
       WHERE l.connection_id = d.connection_id AND l.batch_id = d.batch_id) AS kept ON TRUE
   WHERE b.connection_id = d.connection_id AND b.batch_id = d.batch_id AND b.total > {REMOVED_TOTAL};
  RETURN NULL;
END
$fn$
"""

NEW_ROWS, OLD_ROWS = "SELECT *, 1 AS sign FROM new_rows", "SELECT *, -1 AS sign FROM old_rows"
FUNCTIONS = {
    "sync_batches_on_insert": on_write_function("sync_batches_on_insert", NEW_ROWS),
    "sync_batches_on_update": on_write_function("sync_batches_on_update", f"{NEW_ROWS} UNION ALL {OLD_ROWS}"),
    "sync_batches_on_delete": ON_DELETE,
}
TRIGGERS = {
    "sync_batches_logs_inserted": ("INSERT", "NEW TABLE AS new_rows", "sync_batches_on_insert"),
    "sync_batches_logs_updated": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "sync_batches_on_update"),
    "sync_batches_logs_deleted": ("DELETE", "OLD TABLE AS old_rows", "sync_batches_on_delete"),
}

BACKFILL = f"""
INSERT INTO sync_batches (connection_id, batch_id, {COUNT_COLUMNS}, created_at_min, updated_at_max)
{DELTAS % 'SELECT *, 1 AS sign FROM channel_sync_logs'}
"""


def upgrade():
    count_columns = [sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in BUCKETS]
    op.create_table(
        'sync_batches',
        sa.Column('connection_id', postgresql.UUID(), nullable=False),
        sa.Column('batch_id', postgresql.UUID(), nullable=False),
        *count_columns,
        sa.Column('total', sa.Integer(), sa.Computed(' + '.join(BUCKETS), persisted=True), nullable=False),
        sa.Column('created_at_min', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at_max', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['connection_id'], ['channel_connections.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('connection_id', 'batch_id'),
    )
    op.create_index('ix_sync_batches_connection_updated', 'sync_batches',
                    ['connection_id', sa.literal_column('updated_at_max DESC'),
                     sa.literal_column('created_at_min DESC')])
    for function in FUNCTIONS.values():
        op.execute(function)
    for name, (event, transition_tables, function) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON channel_sync_logs REFERENCING {transition_tables} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    op.execute(BACKFILL)


def downgrade():
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON channel_sync_logs")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}()")
    op.drop_index('ix_sync_batches_connection_updated', table_name='sync_batches')
    op.drop_table('sync_batches')
