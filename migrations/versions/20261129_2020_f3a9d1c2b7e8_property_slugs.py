"""Property slugs: the address of a property on the agency's website (/unterkuenfte/<slug>).

Unique per agency. Existing properties get a slug from their name (umlauts
spelled out); a name shared within an agency adds the start of the id. Rows
inserted by plain SQL without a slug get a random one.

Revision ID: f3a9d1c2b7e8
Revises: c28b7f4d6a06
Create Date: 2026-11-29 20:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'f3a9d1c2b7e8'
down_revision = 'c28b7f4d6a06'
branch_labels = None
depends_on = None

FILL_SLUGS = r"""
WITH named AS (
    SELECT id, agency_id, created_at,
           coalesce(nullif(trim(both '-' from regexp_replace(
               lower(replace(replace(replace(replace(name, 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')),
               '[^a-z0-9]+', '-', 'g')), ''), 'unterkunft') AS base
    FROM properties
), ranked AS (
    SELECT id, left(base, 80) AS base,
           row_number() OVER (PARTITION BY agency_id, left(base, 80) ORDER BY created_at, id) AS position
    FROM named
)
UPDATE properties SET slug = CASE WHEN ranked.position = 1 THEN ranked.base
                                  ELSE ranked.base || '-' || left(properties.id::text, 8) END
FROM ranked WHERE ranked.id = properties.id
"""


def upgrade():
    op.add_column('properties', sa.Column('slug', sa.String(length=100), nullable=True))
    op.execute(FILL_SLUGS)
    op.alter_column('properties', 'slug', nullable=False, server_default=sa.text('gen_random_uuid()::text'))
    op.create_unique_constraint('uq_properties_agency_id_slug', 'properties', ['agency_id', 'slug'])


def downgrade():
    op.drop_constraint('uq_properties_agency_id_slug', 'properties', type_='unique')
    op.drop_column('properties', 'slug')
