"""The outbox: one row per e-mail to send (team invitations, direct-booking requests)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, uuid_pk
from app.extensions import db

EMAIL_STATUSES = ("pending", "sent", "failed")


class OutboundEmail(db.Model):
    __tablename__ = "outbound_emails"
    __table_args__ = (
        CheckConstraint(f"status IN {EMAIL_STATUSES}", name="status"),
        Index("ix_outbound_emails_agency_created", "agency_id", text("created_at DESC")),
        Index("ix_outbound_emails_status_created", "status", "created_at"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    recipient: Mapped[str]
    subject: Mapped[str]
    body: Mapped[str]
    status: Mapped[str] = mapped_column(server_default="pending", default="pending")
    attempts: Mapped[int] = mapped_column(server_default="0", default=0)
    last_error: Mapped[str | None]
    created_at: Mapped[datetime] = created_at()
    sent_at: Mapped[datetime | None]
