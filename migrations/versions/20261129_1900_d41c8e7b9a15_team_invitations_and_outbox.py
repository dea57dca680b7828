"""Team invitations and the e-mail outbox.

`user_invitations` holds an admin's invitation (agency, e-mail, role, the hash of
its one-time link token, who invited, expiry, accepted/revoked). `outbound_emails`
is the generic outbox: recipient, subject, body, status (pending/sent/failed),
attempts, last error, sent_at and the agency it belongs to.

Revision ID: d41c8e7b9a15
Revises: a06f5d2b4e04
Create Date: 2026-11-29 19:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'd41c8e7b9a15'
down_revision = 'a06f5d2b4e04'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_invitations',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'manager', 'owner', 'staff', 'accountant')",
                       name=op.f('ck_user_invitations_role')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_user_invitations_agency_id_agencies'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by'], ['users.id'], name=op.f('fk_user_invitations_invited_by_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_invitations_token_hash'))
    )
    op.create_index(op.f('ix_user_invitations_agency_id'), 'user_invitations', ['agency_id'])

    op.create_table('outbound_emails',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('agency_id', sa.Uuid(), nullable=True),
    sa.Column('recipient', sa.String(), nullable=False),
    sa.Column('subject', sa.String(), nullable=False),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('status', sa.String(), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_outbound_emails_status')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_outbound_emails_agency_id_agencies'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_emails'))
    )
    op.create_index('ix_outbound_emails_agency_created', 'outbound_emails', ['agency_id', sa.literal_column('created_at DESC')])
    op.create_index('ix_outbound_emails_status_created', 'outbound_emails', ['status', 'created_at'])


def downgrade():
    op.drop_table('outbound_emails')
    op.drop_table('user_invitations')
