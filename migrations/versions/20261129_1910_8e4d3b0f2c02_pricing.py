"""Pricing engine (spec 80): rate seasons, extra services, visitor tax, booking price lines.

- `rate_seasons` with the exclusion constraint `rate_seasons_no_overlap` (one season per night
  and property).
- properties gain `weekly_discount_percent`, `monthly_discount_percent` (0-90) and
  `visitor_tax_rule_id`.
- `extra_services` (billing_unit CHECK with all six units), `property_extra_services`,
  `visitor_tax_rules`.
- bookings gain `children_ages`; `booking_price_lines` holds their lines. Every existing booking
  gets one `manual` line equal to its total, so its price stays exactly what it was.
- `channel_rates` becomes what the last successful pricing push sent per connection and date.
  The per-property overrides it held before become seasons ("Channel rate override"), one per
  run of consecutive days with equal rate and minimum stay, so no agreed price is lost.

Revision ID: 8e4d3b0f2c02
Revises: d41c8e7b9a15
Create Date: 2026-11-29 19:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '8e4d3b0f2c02'
down_revision = 'd41c8e7b9a15'
branch_labels = None
depends_on = None

BILLING_UNITS = "('per_stay', 'per_night', 'per_person', 'per_person_night', 'per_unit', 'per_unit_night')"
LINE_KINDS = "('nights', 'discount', 'extra', 'visitor_tax', 'manual')"
MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
OVERRIDE_SEASON = "Channel rate override"


def timestamps():
    return [sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
            sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False)]


def fk(table, column, referred, ondelete='CASCADE'):
    """A foreign key named by the models' naming convention."""
    return sa.ForeignKeyConstraint([column], [f'{referred}.id'], name=op.f(f'fk_{table}_{column}_{referred}'),
                                   ondelete=ondelete)


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    create_seasons()
    create_extras_and_tax_rules()
    add_property_and_booking_columns()
    create_price_lines()
    op.execute("""
        INSERT INTO booking_price_lines (booking_id, kind, label, quantity, unit_amount, amount, position)
        SELECT id, 'manual', 'Total price', 1, total_price, total_price, 0 FROM bookings""")
    channel_rates_become_push_record()


def create_seasons():
    op.create_table(
        'rate_seasons',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('nightly_rate', sa.Numeric(10, 2), nullable=False),
        sa.Column('weekend_rate', sa.Numeric(10, 2), nullable=True),
        sa.Column('min_stay_nights', sa.Integer(), nullable=True),
        sa.Column('arrival_weekdays', postgresql.ARRAY(sa.Integer()), nullable=True),
        *timestamps(),
        sa.CheckConstraint('end_date > start_date', name=op.f('ck_rate_seasons_dates_ordered')),
        sa.CheckConstraint('nightly_rate > 0', name=op.f('ck_rate_seasons_nightly_rate_positive')),
        sa.CheckConstraint('weekend_rate IS NULL OR weekend_rate > 0',
                           name=op.f('ck_rate_seasons_weekend_rate_positive')),
        sa.CheckConstraint('min_stay_nights IS NULL OR min_stay_nights >= 1',
                           name=op.f('ck_rate_seasons_min_stay_positive')),
        sa.CheckConstraint('arrival_weekdays IS NULL OR arrival_weekdays <@ ARRAY[1,2,3,4,5,6,7]',
                           name=op.f('ck_rate_seasons_arrival_weekdays_iso')),
        postgresql.ExcludeConstraint((sa.column('property_id'), '='),
                                     (sa.text("daterange(start_date, end_date, '[)')"), '&&'),
                                     using='gist', name='rate_seasons_no_overlap'),
        fk('rate_seasons', 'agency_id', 'agencies'),
        fk('rate_seasons', 'property_id', 'properties'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_seasons')),
    )
    op.create_index('ix_rate_seasons_agency', 'rate_seasons', ['agency_id'])


def create_extras_and_tax_rules():
    op.create_table(
        'extra_services',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('description', sa.String(), nullable=True),
        sa.Column('price', sa.Numeric(10, 2), nullable=False),
        sa.Column('billing_unit', sa.String(), nullable=False),
        sa.Column('is_mandatory', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('max_quantity', sa.Integer(), server_default='1', nullable=False),
        sa.Column('vat_percent', sa.Numeric(5, 2), server_default='0', nullable=False),
        sa.Column('is_active', sa.Boolean(), server_default='true', nullable=False),
        *timestamps(),
        sa.CheckConstraint(f'billing_unit IN {BILLING_UNITS}', name=op.f('ck_extra_services_billing_unit')),
        sa.CheckConstraint('price >= 0', name=op.f('ck_extra_services_price_not_negative')),
        sa.CheckConstraint('max_quantity >= 1', name=op.f('ck_extra_services_max_quantity_positive')),
        sa.CheckConstraint('vat_percent >= 0 AND vat_percent <= 100',
                           name=op.f('ck_extra_services_vat_percent_range')),
        fk('extra_services', 'agency_id', 'agencies'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_services')),
    )
    op.create_index('ix_extra_services_agency_name', 'extra_services', ['agency_id', 'name'])
    op.create_table(
        'property_extra_services',
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('extra_service_id', sa.Uuid(), nullable=False),
        sa.Column('price_override', sa.Numeric(10, 2), nullable=True),
        sa.CheckConstraint('price_override IS NULL OR price_override >= 0',
                           name=op.f('ck_property_extra_services_price_override_not_negative')),
        fk('property_extra_services', 'property_id', 'properties'),
        fk('property_extra_services', 'extra_service_id', 'extra_services'),
        sa.PrimaryKeyConstraint('property_id', 'extra_service_id', name=op.f('pk_property_extra_services')),
    )
    op.create_index('ix_property_extra_services_extra', 'property_extra_services', ['extra_service_id'])
    op.create_table(
        'visitor_tax_rules',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('municipality', sa.String(), server_default='', nullable=False),
        sa.Column('amount_per_adult_night', sa.Numeric(6, 2), nullable=False),
        sa.Column('child_bands', postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column('max_nights', sa.Integer(), nullable=True),
        sa.Column('season_start', sa.String(), nullable=True),
        sa.Column('season_end', sa.String(), nullable=True),
        sa.Column('collected_on_site', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        *timestamps(),
        sa.CheckConstraint('amount_per_adult_night >= 0',
                           name=op.f('ck_visitor_tax_rules_amount_not_negative')),
        sa.CheckConstraint('max_nights IS NULL OR max_nights >= 1',
                           name=op.f('ck_visitor_tax_rules_max_nights_positive')),
        sa.CheckConstraint('(season_start IS NULL) = (season_end IS NULL)',
                           name=op.f('ck_visitor_tax_rules_season_both_or_none')),
        sa.CheckConstraint(f"season_start IS NULL OR season_start ~ '{MONTH_DAY}'",
                           name=op.f('ck_visitor_tax_rules_season_start_format')),
        sa.CheckConstraint(f"season_end IS NULL OR season_end ~ '{MONTH_DAY}'",
                           name=op.f('ck_visitor_tax_rules_season_end_format')),
        sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from',
                           name=op.f('ck_visitor_tax_rules_validity_ordered')),
        fk('visitor_tax_rules', 'agency_id', 'agencies'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_tax_rules')),
    )
    op.create_index('ix_visitor_tax_rules_agency', 'visitor_tax_rules', ['agency_id'])


def add_property_and_booking_columns():
    for column in ('weekly_discount_percent', 'monthly_discount_percent'):
        op.add_column('properties', sa.Column(column, sa.Numeric(5, 2), server_default='0', nullable=False))
    op.create_check_constraint(op.f('ck_properties_weekly_discount_range'), 'properties',
                               'weekly_discount_percent BETWEEN 0 AND 90')
    op.create_check_constraint(op.f('ck_properties_monthly_discount_range'), 'properties',
                               'monthly_discount_percent BETWEEN 0 AND 90')
    op.add_column('properties', sa.Column('visitor_tax_rule_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f('fk_properties_visitor_tax_rule_id_visitor_tax_rules'), 'properties',
                          'visitor_tax_rules', ['visitor_tax_rule_id'], ['id'], ondelete='SET NULL')
    op.add_column('bookings', sa.Column('children_ages', postgresql.ARRAY(sa.Integer()), nullable=True))
    op.create_check_constraint(op.f('ck_bookings_children_ages_count'), 'bookings',
                               'children_ages IS NULL OR cardinality(children_ages) = children')


def create_price_lines():
    op.create_table(
        'booking_price_lines',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('booking_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('label', sa.String(), nullable=False),
        sa.Column('quantity', sa.Integer(), server_default='1', nullable=False),
        sa.Column('unit_amount', sa.Numeric(12, 2), nullable=False),
        sa.Column('amount', sa.Numeric(12, 2), nullable=False),
        sa.Column('vat_percent', sa.Numeric(5, 2), server_default='0', nullable=False),
        sa.Column('collected_on_site', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('extra_service_id', sa.Uuid(), nullable=True),
        sa.Column('extra_quantity', sa.Integer(), nullable=True),
        sa.CheckConstraint(f'kind IN {LINE_KINDS}', name=op.f('ck_booking_price_lines_kind')),
        fk('booking_price_lines', 'booking_id', 'bookings'),
        fk('booking_price_lines', 'extra_service_id', 'extra_services', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_price_lines')),
    )
    op.create_index('ix_booking_price_lines_booking', 'booking_price_lines', ['booking_id', 'position'])


def channel_rates_become_push_record():
    # per-property overrides -> seasons over runs of consecutive days with equal values (gaps and islands)
    op.execute(f"""
        INSERT INTO rate_seasons (agency_id, property_id, name, start_date, end_date, nightly_rate, min_stay_nights)
        SELECT p.agency_id, runs.property_id, '{OVERRIDE_SEASON}', min(runs.date), max(runs.date) + 1,
               runs.nightly_rate, runs.min_stay
        FROM (SELECT property_id, date, nightly_rate, min_stay,
                     date - (row_number() OVER (PARTITION BY property_id, nightly_rate, min_stay
                                                ORDER BY date))::int AS island
              FROM channel_rates WHERE nightly_rate > 0) AS runs
        JOIN properties p ON p.id = runs.property_id
        GROUP BY p.agency_id, runs.property_id, runs.nightly_rate, runs.min_stay, runs.island""")
    op.drop_table('channel_rates')
    op.create_table(
        'channel_rates',
        sa.Column('connection_id', sa.Uuid(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('nightly_rate', sa.Numeric(10, 2), nullable=False),
        sa.Column('min_stay', sa.Integer(), nullable=False),
        sa.Column('pushed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        fk('channel_rates', 'connection_id', 'channel_connections'),
        sa.PrimaryKeyConstraint('connection_id', 'date', name=op.f('pk_channel_rates')),
    )


def downgrade():
    op.drop_table('channel_rates')
    op.create_table(
        'channel_rates',
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('nightly_rate', sa.Numeric(10, 2), nullable=False),
        sa.Column('min_stay', sa.Integer(), nullable=True),
        fk('channel_rates', 'property_id', 'properties'),
        sa.PrimaryKeyConstraint('property_id', 'date', name=op.f('pk_channel_rates')),
    )
    op.drop_table('booking_price_lines')
    op.drop_constraint(op.f('ck_bookings_children_ages_count'), 'bookings', type_='check')
    op.drop_column('bookings', 'children_ages')
    op.drop_constraint(op.f('fk_properties_visitor_tax_rule_id_visitor_tax_rules'), 'properties', type_='foreignkey')
    op.drop_column('properties', 'visitor_tax_rule_id')
    op.drop_constraint(op.f('ck_properties_monthly_discount_range'), 'properties', type_='check')
    op.drop_constraint(op.f('ck_properties_weekly_discount_range'), 'properties', type_='check')
    op.drop_column('properties', 'monthly_discount_percent')
    op.drop_column('properties', 'weekly_discount_percent')
    op.drop_table('visitor_tax_rules')
    op.drop_table('property_extra_services')
    op.drop_table('extra_services')
    op.drop_table('rate_seasons')
