"""Agencies, users, memberships and API tokens."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import created_at, uuid_pk
from app.extensions import db

ROLES = ("admin", "manager", "owner", "staff", "accountant")




class Agency(db.Model):
    __tablename__ = "agencies"
    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str]
    slug: Mapped[str] = mapped_column(unique=True)
    timezone: Mapped[str] = mapped_column(server_default="Europe/Berlin", default="Europe/Berlin")
    created_at: Mapped[datetime] = created_at()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (Index("uq_users_email_lower", func.lower(text("email")), unique=True),)
    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str]
    password_hash: Mapped[str]
    display_name: Mapped[str] = mapped_column(server_default="", default="")
    is_active: Mapped[bool] = mapped_column(server_default="true", default=True)
    # Platform operator: sees every agency's jobs and global figures (/rq, global /ops).
    # Granted by the CLI only, never through an agency role.
    is_operator: Mapped[bool] = mapped_column(server_default="false", default=False)
    last_active_agency_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="SET NULL"))
    # Rotated on logout and password change: old session cookies stop working.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at()
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[TeamMember]] = relationship(back_populates="user", lazy="selectin")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"


class TeamMember(db.Model):
    __tablename__ = "team_members"
    __table_args__ = (
        UniqueConstraint("user_id", "agency_id"),
        CheckConstraint(f"role IN {ROLES}", name="role"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    role: Mapped[str]
    is_active: Mapped[bool] = mapped_column(server_default="true", default=True)
    created_at: Mapped[datetime] = created_at()

    user: Mapped[User] = relationship(back_populates="memberships")
    agency: Mapped[Agency] = relationship(lazy="joined")


class ApiToken(db.Model):
    """A bearer token for scripts; only its SHA-256 digest is stored."""
    __tablename__ = "api_tokens"
    id: Mapped[uuid.UUID] = uuid_pk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class UserInvitation(db.Model):
    """An admin's invitation to join the agency; only the SHA-256 digest of its one-time link token is kept."""
    __tablename__ = "user_invitations"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    email: Mapped[str]
    role: Mapped[str]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
