"""Platform operators: users.is_operator.

A platform operator sees every agency's background jobs (/rq) and the global
figures of the ops console. It is a flag on the user granted by the CLI, not an
agency role. Existing users are not operators.

Revision ID: 7d3c2a9e1b01
Revises: 8e4d3b0f2c02
Create Date: 2026-11-29 19:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '7d3c2a9e1b01'
down_revision = '8e4d3b0f2c02'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('is_operator', sa.Boolean(), server_default='false',
                                     nullable=False))


def downgrade():
    op.drop_column('users', 'is_operator')
