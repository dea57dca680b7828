"""Website pages: an agency's content pages, built from a list of typed blocks.

`blocks` is always a JSON list. A `website_pages` table carried over from the
system we rebuild may hold `{}` or null there (its pages answered 500 with
"blocks Input should be a valid list"): those become `[]` before the column is
made NOT NULL with a CHECK that it stays a list.

Revision ID: c2d8f5a1e302
Revises: b7c1e4a9d201
Create Date: 2026-11-29 21:30:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'c2d8f5a1e302'
down_revision = 'b7c1e4a9d201'
branch_labels = None
depends_on = None


def upgrade():
    if not sa.inspect(op.get_bind()).has_table('website_pages'):
        create_table()
    op.execute("UPDATE website_pages SET blocks = '[]'::jsonb "
               "WHERE blocks IS NULL OR jsonb_typeof(blocks) <> 'array'")
    op.alter_column('website_pages', 'blocks', server_default=sa.text("'[]'::jsonb"), nullable=False)
    op.create_check_constraint('ck_website_pages_blocks_is_list', 'website_pages', "jsonb_typeof(blocks) = 'array'")


def create_table():
    op.create_table(
        'website_pages',
        sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
        sa.Column('agency_id', sa.Uuid(), nullable=False),
        sa.Column('slug', sa.String(length=100), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('blocks', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('seo_description', sa.String(length=300), server_default='', nullable=False),
        sa.Column('is_published', sa.Boolean(), server_default='false', nullable=False),
        sa.Column('nav_position', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_website_pages_agency_id_agencies'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_website_pages')),
        sa.UniqueConstraint('agency_id', 'slug', name=op.f('uq_website_pages_agency_id_slug')),
    )
    op.create_index('ix_website_pages_agency_id', 'website_pages', ['agency_id'])


def downgrade():
    op.drop_table('website_pages')
