"""Agency domains: the host names of an agency's public website.

A public request's host (lower-case, unique across all agencies) resolves the
agency; `is_primary` marks the address shown and linked from the back office.

Revision ID: c28b7f4d6a06
Revises: 7d3c2a9e1b01
Create Date: 2026-11-29 20:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'c28b7f4d6a06'
down_revision = '7d3c2a9e1b01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'agency_domains',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('host', sa.String(length=253), nullable=False),
        sa.Column('is_primary', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('host = lower(host)', name='ck_agency_domains_host_lower_case'),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('host', name='uq_agency_domains_host'),
    )
    op.create_index('ix_agency_domains_agency_id', 'agency_domains', ['agency_id'])
    # at most one primary host per agency
    op.create_index('uq_agency_domains_primary', 'agency_domains', ['agency_id'], unique=True,
                    postgresql_where=sa.text('is_primary'))


def downgrade():
    op.drop_table('agency_domains')
