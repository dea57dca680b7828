"""Index sync logs by (connection_id, status, created_at DESC).

The logs panel and the sync-logs API filter one connection's logs by status,
newest first. The existing (status, created_at) index is global: at 1M rows it
made PostgreSQL read every log of that status across all connections. The new
index answers the page and its count from the connection's own rows.

Revision ID: 5b1e0c7d2a94
Revises: cef7507a217c
Create Date: 2026-11-23 12:50:00
"""
from alembic import op
import sqlalchemy as sa

revision = '5b1e0c7d2a94'
down_revision = 'cef7507a217c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_channel_sync_logs_connection_status_created', 'channel_sync_logs',
                    ['connection_id', 'status', sa.literal_column('created_at DESC')])


def downgrade():
    op.drop_index('ix_channel_sync_logs_connection_status_created', table_name='channel_sync_logs')
