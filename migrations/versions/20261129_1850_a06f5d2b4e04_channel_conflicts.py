"""Overbooking conflicts get a table of their own, with their resolution.

An iCal import that cannot hold a channel event records it in the sync log's
details (as before) and now also as a `channel_conflicts` row: property, dates,
channel, event uid, what it collided with, and who resolved it how and when.
The newest import of each connection that still lists conflicts is copied in,
so conflicts recorded before this revision stay visible.

Revision ID: a06f5d2b4e04
Revises: 5b1e0c7d2a94
Create Date: 2026-11-29 18:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'a06f5d2b4e04'
down_revision = '5b1e0c7d2a94'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO channel_conflicts (agency_id, connection_id, property_id, sync_log_id, external_uid,
                               start_date, end_date, summary, reason, created_at, last_seen_at)
SELECT c.agency_id, c.id, c.property_id, newest.id, event->>'uid',
       (event->>'start_date')::date, (event->>'end_date')::date,
       left(coalesce(event->>'summary', ''), 120), left(coalesce(event->>'reason', ''), 500),
       newest.created_at, newest.created_at
FROM (SELECT DISTINCT ON (connection_id) id, connection_id, details, created_at
      FROM channel_sync_logs
      WHERE operation_type = 'bookings_sync' AND details ? 'conflicts'
      ORDER BY connection_id, created_at DESC) AS newest
JOIN channel_connections c ON c.id = newest.connection_id AND c.property_id IS NOT NULL
CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(newest.details->'conflicts')
                                        WHEN 'array' THEN newest.details->'conflicts' ELSE '[]' END) AS event
WHERE event->>'uid' IS NOT NULL
  AND event->>'start_date' ~ '^\\d{4}-\\d{2}-\\d{2}$' AND event->>'end_date' ~ '^\\d{4}-\\d{2}-\\d{2}$'
  AND event->>'end_date' > event->>'start_date'
ON CONFLICT DO NOTHING
"""


def upgrade():
    op.create_table('channel_conflicts',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('connection_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('sync_log_id', sa.Uuid(), nullable=True),
    sa.Column('external_uid', sa.String(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('summary', sa.String(), server_default='', nullable=False),
    sa.Column('reason', sa.String(), server_default='', nullable=False),
    sa.Column('collided_kind', sa.String(), nullable=True),
    sa.Column('collided_source_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(), server_default='open', nullable=False),
    sa.Column('resolution_note', sa.String(), nullable=True),
    sa.Column('resolved_by', sa.Uuid(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'accepted', 'resolved_on_channel', 'ignored', 'cleared')",
                       name=op.f('ck_channel_conflicts_status')),
    sa.CheckConstraint("collided_kind IN ('booking', 'block', 'channel_hold')",
                       name=op.f('ck_channel_conflicts_collided_kind')),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_channel_conflicts_dates_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_channel_conflicts_agency_id_agencies'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['connection_id'], ['channel_connections.id'],
                            name=op.f('fk_channel_conflicts_connection_id_channel_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'],
                            name=op.f('fk_channel_conflicts_property_id_properties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sync_log_id'], ['channel_sync_logs.id'],
                            name=op.f('fk_channel_conflicts_sync_log_id_channel_sync_logs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_channel_conflicts_resolved_by_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_conflicts'))
    )
    op.create_index('uq_channel_conflicts_event', 'channel_conflicts',
                    ['connection_id', 'external_uid', 'start_date', 'end_date'], unique=True)
    op.create_index('ix_channel_conflicts_agency_status', 'channel_conflicts', ['agency_id', 'status', 'start_date'])
    op.execute(BACKFILL)


def downgrade():
    op.drop_table('channel_conflicts')
