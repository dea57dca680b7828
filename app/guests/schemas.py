"""JSON shapes of guests (also used inline by booking requests)."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, PlainSerializer

from app.core.pagination import PageOut, PageQuery

# Numeric columns (money, ratings) leave the API as JSON numbers.
DecimalOut = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class GuestIn(BaseModel):
    """A guest given inline with a booking; reused by email within the agency."""
    model_config = ConfigDict(extra="forbid")
    first_name: Name
    last_name: Name
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=50)
    language: str | None = Field(None, max_length=8)


class GuestCreate(GuestIn):
    notes: str | None = Field(None, max_length=5000)


class GuestPatch(BaseModel):
    """Partial update; name fields may not be null."""
    model_config = ConfigDict(extra="forbid")
    first_name: Name = None
    last_name: Name = None
    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=50)
    language: str | None = Field(None, max_length=8)
    notes: str | None = Field(None, max_length=5000)


class GuestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    language: str | None
    notes: str | None
    total_bookings: int
    total_spent: DecimalOut
    first_booking_at: datetime | None
    last_booking_at: datetime | None
    average_rating: DecimalOut | None
    created_at: datetime
    updated_at: datetime


class TimelineOut(BaseModel):
    booking_id: uuid.UUID
    property_id: uuid.UUID
    property_name: str
    check_in: date
    check_out: date
    status: str
    total_price: DecimalOut
    currency: str


class GuestDetailOut(GuestOut):
    """A guest with metrics and booking timeline (latest arrival first, up to 50)."""
    bookings: list[TimelineOut]


class GuestPage(PageOut[GuestOut]):
    pass


class GuestListQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="search in names and email")
    sort: Literal["name", "recent"] = Field("name", description="recent: latest arrival first")
