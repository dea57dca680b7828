"""Guests and the booking metrics the inventory service keeps on them."""
from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, updated_at, uuid_pk
from app.extensions import db


class Guest(db.Model):
    __tablename__ = "guests"
    __table_args__ = (
        Index("ix_guests_agency_name", "agency_id", "last_name", "first_name"),
        Index("ix_guests_last_booking_at", "last_booking_at"),
        Index("ix_guests_first_booking_at", "first_booking_at"),
        Index("ix_guests_deleted_at", "deleted_at"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    first_name: Mapped[str]
    last_name: Mapped[str]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    language: Mapped[str | None] = mapped_column(String(8))
    notes: Mapped[str | None]
    total_bookings: Mapped[int] = mapped_column(server_default="0", default=0)
    total_spent: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default="0", default=0)
    first_booking_at: Mapped[datetime | None]
    last_booking_at: Mapped[datetime | None]
    average_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    deleted_at: Mapped[datetime | None]
