"""Initial schema: tenancy, inventory, guests, channel manager, idempotency keys.

Creates btree_gist and the three exclusion constraints that make double
bookings impossible: no_double_bookings (bookings), availability_blocks_no_overlap
(availability_blocks) and inventory_ranges_no_overlap (inventory_ranges, active rows).
Reviewed by hand: autogenerate does not create extensions.

Revision ID: cef7507a217c
Revises: 
Create Date: 2026-11-23 11:17:07.847927

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'cef7507a217c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table('agencies',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('slug', sa.String(), nullable=False),
    sa.Column('timezone', sa.String(), server_default='Europe/Berlin', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('slug', name=op.f('uq_agencies_slug'))
    )
    op.create_table('guests',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('first_name', sa.String(), nullable=False),
    sa.Column('last_name', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('notes', sa.String(), nullable=True),
    sa.Column('total_bookings', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_spent', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('first_booking_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_booking_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('average_rating', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_guests_agency_id_agencies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guests'))
    )
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.create_index('ix_guests_agency_name', ['agency_id', 'last_name', 'first_name'], unique=False)
        batch_op.create_index('ix_guests_deleted_at', ['deleted_at'], unique=False)
        batch_op.create_index('ix_guests_first_booking_at', ['first_booking_at'], unique=False)
        batch_op.create_index('ix_guests_last_booking_at', ['last_booking_at'], unique=False)

    op.create_table('properties',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('internal_name', sa.String(), nullable=True),
    sa.Column('address_line', sa.String(), nullable=True),
    sa.Column('postal_code', sa.String(), nullable=True),
    sa.Column('city', sa.String(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('max_guests', sa.Integer(), server_default='2', nullable=False),
    sa.Column('bedrooms', sa.Integer(), server_default='1', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('min_stay_nights', sa.Integer(), server_default='1', nullable=False),
    sa.Column('max_advance_days', sa.Integer(), server_default='730', nullable=False),
    sa.Column('check_in_time', sa.Time(), server_default='15:00', nullable=False),
    sa.Column('check_out_time', sa.Time(), server_default='10:00', nullable=False),
    sa.Column('base_nightly_rate', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='EUR', nullable=False),
    sa.Column('timezone', sa.String(), server_default='Europe/Berlin', nullable=False),
    sa.Column('ical_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('max_advance_days >= 1', name=op.f('ck_properties_max_advance_positive')),
    sa.CheckConstraint('min_stay_nights >= 1', name=op.f('ck_properties_min_stay_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_properties_agency_id_agencies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_properties')),
    sa.UniqueConstraint('ical_token', name=op.f('uq_properties_ical_token'))
    )
    with op.batch_alter_table('properties', schema=None) as batch_op:
        batch_op.create_index('ix_properties_agency_name', ['agency_id', 'name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=False),
    sa.Column('display_name', sa.String(), server_default='', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('last_active_agency_id', sa.Uuid(), nullable=True),
    sa.Column('session_nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['last_active_agency_id'], ['agencies.id'], name=op.f('fk_users_last_active_agency_id_agencies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('uq_users_email_lower', [sa.literal_column('lower(email)')], unique=True)

    op.create_table('api_tokens',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_api_tokens_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('availability_blocks',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(), server_default='', nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    postgresql.ExcludeConstraint((sa.column('property_id'), '='), (sa.text("daterange(start_date, end_date, '[)')"), '&&'), using='gist', name='availability_blocks_no_overlap'),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_availability_blocks_dates_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_availability_blocks_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_availability_blocks_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_blocks'))
    )
    with op.batch_alter_table('availability_blocks', schema=None) as batch_op:
        batch_op.create_index('ix_availability_blocks_agency', ['agency_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('guest_id', sa.Uuid(), nullable=True),
    sa.Column('check_in', sa.Date(), nullable=False),
    sa.Column('check_out', sa.Date(), nullable=False),
    sa.Column('status', sa.String(), server_default='confirmed', nullable=False),
    sa.Column('source', sa.String(), server_default='direct', nullable=False),
    sa.Column('external_ref', sa.String(), nullable=True),
    sa.Column('adults', sa.Integer(), server_default='1', nullable=False),
    sa.Column('children', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_price', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='EUR', nullable=False),
    sa.Column('notes', sa.String(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.Uuid(), nullable=True),
    sa.Column('cancellation_reason', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    postgresql.ExcludeConstraint((sa.column('agency_id'), '='), (sa.column('property_id'), '='), (sa.text("daterange(check_in, check_out, '[)')"), '&&'), where=sa.text("status IN ('pending', 'confirmed', 'checked_in', 'checked_out')"), using='gist', name='no_double_bookings'),
    sa.CheckConstraint("status IN ('inquiry', 'pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'declined', 'no_show')", name=op.f('ck_bookings_status')),
    sa.CheckConstraint('adults >= 0 AND children >= 0', name=op.f('ck_bookings_guest_counts')),
    sa.CheckConstraint('check_out > check_in', name=op.f('ck_bookings_dates_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_bookings_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_bookings_guest_id_guests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_bookings_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_agency_created', ['agency_id', 'created_at'], unique=False)
        batch_op.create_index('ix_bookings_guest', ['guest_id'], unique=False)
        batch_op.create_index('ix_bookings_property_dates', ['property_id', 'check_in'], unique=False)
        batch_op.create_index('uq_bookings_external_ref', ['agency_id', 'source', 'external_ref'], unique=True, postgresql_where=sa.text('external_ref IS NOT NULL'))

    op.create_table('channel_connections',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=True),
    sa.Column('platform_type', sa.String(), nullable=False),
    sa.Column('platform_listing_id', sa.String(), nullable=True),
    sa.Column('status', sa.String(), server_default='active', nullable=False),
    sa.Column('platform_metadata', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('access_token_encrypted', sa.String(), nullable=True),
    sa.Column('refresh_token_encrypted', sa.String(), nullable=True),
    sa.Column('ical_import_url_encrypted', sa.String(), nullable=True),
    sa.Column('last_sync_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("platform_type IN ('airbnb', 'booking_com', 'expedia', 'fewo_direkt', 'google')", name=op.f('ck_channel_connections_platform_type')),
    sa.CheckConstraint("status IN ('active', 'inactive', 'paused', 'disabled', 'error')", name=op.f('ck_channel_connections_status')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_channel_connections_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_channel_connections_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_connections'))
    )
    with op.batch_alter_table('channel_connections', schema=None) as batch_op:
        batch_op.create_index('ix_channel_connections_agency', ['agency_id', 'created_at'], unique=False)
        batch_op.create_index('uq_channel_connections_property_platform', ['agency_id', 'property_id', 'platform_type'], unique=True, postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('channel_rates',
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('nightly_rate', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('min_stay', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_channel_rates_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('property_id', 'date', name=op.f('pk_channel_rates'))
    )
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_keys_user_id_key'))
    )
    op.create_table('inventory_ranges',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('state', sa.String(), server_default='active', nullable=False),
    sa.Column('connection_id', sa.Uuid(), nullable=True),
    sa.Column('external_uid', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    postgresql.ExcludeConstraint((sa.column('property_id'), '='), (sa.text("daterange(start_date, end_date, '[)')"), '&&'), where=sa.text("state = 'active'"), using='gist', name='inventory_ranges_no_overlap'),
    sa.CheckConstraint("kind IN ('booking', 'block', 'channel_hold')", name=op.f('ck_inventory_ranges_kind')),
    sa.CheckConstraint("state IN ('active', 'released')", name=op.f('ck_inventory_ranges_state')),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_inventory_ranges_dates_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_inventory_ranges_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_inventory_ranges_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_ranges'))
    )
    with op.batch_alter_table('inventory_ranges', schema=None) as batch_op:
        batch_op.create_index('ix_inventory_ranges_property_active', ['property_id', 'start_date'], unique=False, postgresql_where=sa.text("state = 'active'"))
        batch_op.create_index('ix_inventory_ranges_source', ['source_id'], unique=False)

    op.create_table('team_members',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'manager', 'owner', 'staff', 'accountant')", name=op.f('ck_team_members_role')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_team_members_agency_id_agencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members')),
    sa.UniqueConstraint('user_id', 'agency_id', name=op.f('uq_team_members_user_id_agency_id'))
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_members_agency_id'), ['agency_id'], unique=False)

    op.create_table('channel_sync_logs',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('connection_id', sa.Uuid(), nullable=False),
    sa.Column('property_id', sa.Uuid(), nullable=True),
    sa.Column('batch_id', sa.Uuid(), nullable=True),
    sa.Column('operation_type', sa.String(), nullable=False),
    sa.Column('direction', sa.String(), server_default='outbound', nullable=False),
    sa.Column('status', sa.String(), server_default='triggered', nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('error', sa.String(), nullable=True),
    sa.Column('task_id', sa.String(), nullable=True),
    sa.Column('retry_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("direction IN ('outbound', 'inbound')", name=op.f('ck_channel_sync_logs_direction')),
    sa.CheckConstraint("operation_type IN ('availability_update', 'pricing_update', 'bookings_sync', 'bookings_import', 'full_sync', 'calendar_sync', 'listing_update')", name=op.f('ck_channel_sync_logs_operation_type')),
    sa.CheckConstraint("status IN ('triggered', 'queued', 'running', 'success', 'failed', 'cancelled')", name=op.f('ck_channel_sync_logs_status')),
    sa.ForeignKeyConstraint(['connection_id'], ['channel_connections.id'], name=op.f('fk_channel_sync_logs_connection_id_channel_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['agencies.id'], name=op.f('fk_channel_sync_logs_tenant_id_agencies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_sync_logs'))
    )
    with op.batch_alter_table('channel_sync_logs', schema=None) as batch_op:
        batch_op.create_index('ix_channel_sync_logs_batch_id', ['batch_id'], unique=False)
        batch_op.create_index('ix_channel_sync_logs_connection_batch', ['connection_id', 'batch_id'], unique=False)
        batch_op.create_index('ix_channel_sync_logs_connection_created', ['connection_id', sa.literal_column('created_at DESC')], unique=False)
        batch_op.create_index('ix_channel_sync_logs_status_created', ['status', sa.literal_column('created_at DESC')], unique=False)
        batch_op.create_index('ix_channel_sync_logs_task_id', ['task_id'], unique=False)
        batch_op.create_index('ix_channel_sync_logs_tenant_created', ['tenant_id', sa.literal_column('created_at DESC')], unique=False)



def downgrade():
    with op.batch_alter_table('channel_sync_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_sync_logs_tenant_created')
        batch_op.drop_index('ix_channel_sync_logs_task_id')
        batch_op.drop_index('ix_channel_sync_logs_status_created')
        batch_op.drop_index('ix_channel_sync_logs_connection_created')
        batch_op.drop_index('ix_channel_sync_logs_connection_batch')
        batch_op.drop_index('ix_channel_sync_logs_batch_id')

    op.drop_table('channel_sync_logs')
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_members_agency_id'))

    op.drop_table('team_members')
    with op.batch_alter_table('inventory_ranges', schema=None) as batch_op:
        batch_op.drop_index('ix_inventory_ranges_source')
        batch_op.drop_index('ix_inventory_ranges_property_active', postgresql_where=sa.text("state = 'active'"))

    op.drop_table('inventory_ranges')
    op.drop_table('idempotency_keys')
    op.drop_table('channel_rates')
    with op.batch_alter_table('channel_connections', schema=None) as batch_op:
        batch_op.drop_index('uq_channel_connections_property_platform', postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('ix_channel_connections_agency')

    op.drop_table('channel_connections')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_external_ref', postgresql_where=sa.text('external_ref IS NOT NULL'))
        batch_op.drop_index('ix_bookings_property_dates')
        batch_op.drop_index('ix_bookings_guest')
        batch_op.drop_index('ix_bookings_agency_created')

    op.drop_table('bookings')
    with op.batch_alter_table('availability_blocks', schema=None) as batch_op:
        batch_op.drop_index('ix_availability_blocks_agency')

    op.drop_table('availability_blocks')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('uq_users_email_lower')

    op.drop_table('users')
    with op.batch_alter_table('properties', schema=None) as batch_op:
        batch_op.drop_index('ix_properties_agency_name')

    op.drop_table('properties')
    with op.batch_alter_table('guests', schema=None) as batch_op:
        batch_op.drop_index('ix_guests_last_booking_at')
        batch_op.drop_index('ix_guests_first_booking_at')
        batch_op.drop_index('ix_guests_deleted_at')
        batch_op.drop_index('ix_guests_agency_name')

    op.drop_table('guests')
    op.drop_table('agencies')
    op.execute("DROP EXTENSION IF EXISTS btree_gist")
