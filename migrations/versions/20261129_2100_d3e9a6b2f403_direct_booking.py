"""Direct booking from the public website.

`properties.direct_booking_mode`: `request` (a request becomes an inquiry that
blocks nothing) or `instant` (a pending booking that holds the dates).
`booking_requests`: one row per booking made on the website, with the guest's
message and language; the dashboard lists the open ones and the periodic job
declines pending ones left unconfirmed.

Revision ID: d3e9a6b2f403
Revises: f3a9d1c2b7e8
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'd3e9a6b2f403'
down_revision = 'f3a9d1c2b7e8'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('properties', sa.Column('direct_booking_mode', sa.String(length=10), server_default='request',
                                          nullable=False))
    op.create_check_constraint('ck_properties_direct_booking_mode', 'properties',
                               "direct_booking_mode IN ('request', 'instant')")
    op.create_table(
        'booking_requests',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('booking_id', sa.Uuid(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('message', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('char_length(message) <= 2000', name='ck_booking_requests_message_length'),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('booking_id', name='uq_booking_requests_booking_id'),
    )
    op.create_index('ix_booking_requests_agency_created', 'booking_requests', ['agency_id', 'created_at'])


def downgrade():
    op.drop_table('booking_requests')
    op.drop_constraint('ck_properties_direct_booking_mode', 'properties', type_='check')
    op.drop_column('properties', 'direct_booking_mode')
