"""Property content for the websites: extended fields, photos and amenities.

The extended fields are optional texts and facts shown on the property's public
page (check-in instructions stay private). Photos are files under MEDIA_ROOT;
the row keeps their stem, caption and order. Amenities belong to an agency and
are ticked per property.

Revision ID: b7c1e4a9d201
Revises: e4fa7c3d0504
Create Date: 2026-11-29 21:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'b7c1e4a9d201'
down_revision = 'e4fa7c3d0504'
branch_labels = None
depends_on = None

TEXT_COLUMNS = ('short_description', 'description', 'house_rules', 'cancellation_policy', 'checkin_instructions')
COUNT_COLUMNS = ('area_sqm', 'bathrooms', 'beds')


def upgrade():
    for name in TEXT_COLUMNS:
        op.add_column('properties', sa.Column(name, sa.Text(), nullable=True))
    for name in COUNT_COLUMNS:
        op.add_column('properties', sa.Column(name, sa.Integer(), nullable=True))
    op.add_column('properties', sa.Column('latitude', sa.Numeric(9, 6), nullable=True))
    op.add_column('properties', sa.Column('longitude', sa.Numeric(9, 6), nullable=True))
    op.create_check_constraint(op.f('ck_properties_coordinates_together'), 'properties',
                               '(latitude IS NULL) = (longitude IS NULL)')
    op.create_check_constraint(op.f('ck_properties_coordinates_range'), 'properties',
                               'latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180')

    op.create_table(
        'property_photos',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('file', sa.String(length=200), nullable=False),
        sa.Column('caption', sa.String(length=200), server_default='', nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_property_photos_property_position', 'property_photos', ['property_id', 'position'])

    op.create_table(
        'amenities',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('icon', sa.String(length=60), nullable=False),
        sa.Column('category', sa.String(length=20), server_default='basics', nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('agency_id', 'name', name='uq_amenities_agency_id_name'),
    )
    op.create_table(
        'property_amenities',
        sa.Column('property_id', sa.Uuid(), nullable=False),
        sa.Column('amenity_id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['amenity_id'], ['amenities.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('property_id', 'amenity_id'),
    )
    op.create_index('ix_property_amenities_amenity_id', 'property_amenities', ['amenity_id'])


def downgrade():
    op.drop_table('property_amenities')
    op.drop_table('amenities')
    op.drop_table('property_photos')
    op.drop_constraint(op.f('ck_properties_coordinates_range'), 'properties')
    op.drop_constraint(op.f('ck_properties_coordinates_together'), 'properties')
    for name in ('latitude', 'longitude', *COUNT_COLUMNS, *TEXT_COLUMNS):
        op.drop_column('properties', name)
