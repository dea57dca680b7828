"""A booking made on the public website: the booking itself lives in `bookings`; this row marks it as a
website request and keeps what only the request has (the guest's message and language)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, uuid_pk
from app.extensions import db

MAX_MESSAGE_LENGTH = 2000


class BookingRequest(db.Model):
    __tablename__ = "booking_requests"
    __table_args__ = (
        CheckConstraint(f"char_length(message) <= {MAX_MESSAGE_LENGTH}", name="message_length"),
        Index("ix_booking_requests_agency_created", "agency_id", "created_at"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text, server_default="", default="")
    created_at: Mapped[datetime] = created_at()
