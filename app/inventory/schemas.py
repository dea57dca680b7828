"""JSON shapes of properties, bookings, availability and blocks (validated by pydantic)."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, computed_field,
                      field_validator)

from app.core.pagination import PageOut, PageQuery
from app.guests.schemas import DecimalOut, GuestIn
from app.inventory.models import BOOKING_STATUSES, DIRECT_BOOKING_MODES, RANGE_KINDS
from app.pricing.schemas import ChildAge, ExtraRequestIn, LineOut
from app.web.limits import SaneDate

BookingStatus = Literal[BOOKING_STATUSES]
# A wall-clock time in the property's own time zone, without an offset ("15:00:00"); the
# JSON Schema format "time" would demand one (RFC 3339 full-time).
LocalTime = Annotated[time, WithJsonSchema({"type": "string", "format": "partial-time",
                                            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
                                            "examples": ["15:00:00"]})]


class ConflictDetail(BaseModel):
    """409 body of an inventory overlap."""
    detail: str
    conflict_type: str | None = None


# --- properties ---------------------------------------------------------------------------

class PropertyPatch(BaseModel):
    """Partial update: only the given fields change; non-nullable fields may not be null."""
    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=200)
    slug: str | None = Field(None, max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
                             description="address on the public website; empty: from the name")
    internal_name: str | None = Field(None, max_length=200)
    address_line: str | None = Field(None, max_length=300)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")
    max_guests: int = Field(None, ge=1, le=100)
    bedrooms: int = Field(None, ge=0, le=100)
    is_active: bool = Field(None, description="publicly visible")
    min_stay_nights: int = Field(None, ge=1, le=365)
    max_advance_days: int = Field(None, ge=1, le=3650, description="booking window in days")
    check_in_time: LocalTime = None
    check_out_time: LocalTime = None
    base_nightly_rate: Decimal = Field(None, ge=0, max_digits=10, decimal_places=2)
    currency: str = Field(None, pattern=r"^[A-Z]{3}$")
    timezone: str = Field(None, max_length=64, description="IANA time zone, default Europe/Berlin")
    weekly_discount_percent: Decimal = Field(None, ge=0, le=90, max_digits=5, decimal_places=2,
                                             description="off the nights of stays of 7+ nights")
    monthly_discount_percent: Decimal = Field(None, ge=0, le=90, max_digits=5, decimal_places=2,
                                              description="off the nights of stays of 28+ nights (the larger applies)")
    visitor_tax_rule_id: uuid.UUID | None = Field(None, description="the visitor-tax rule charged here")
    # direct booking from the public website
    direct_booking_mode: Literal[DIRECT_BOOKING_MODES] = Field(
        None, description="request (default): a website booking is an inquiry until confirmed; "
                          "instant: it is a pending booking that holds the dates at once")
    # website content (spec 85)
    short_description: str | None = Field(None, max_length=300, description="teaser on the website's list")
    description: str | None = Field(None, max_length=10000, description="plain text; blank lines separate paragraphs")
    area_sqm: int | None = Field(None, ge=1, le=10000, description="living area in m²")
    bathrooms: int | None = Field(None, ge=0, le=50)
    beds: int | None = Field(None, ge=0, le=200)
    house_rules: str | None = Field(None, max_length=5000)
    cancellation_policy: str | None = Field(None, max_length=5000)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6,
                                     description="with longitude: the map link on the website")
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    checkin_instructions: str | None = Field(None, max_length=5000,
                                             description="private: for confirmed guests, never on the website")


class PropertyIn(PropertyPatch):
    name: str = Field(min_length=1, max_length=200)


class PropertyContentOut(BaseModel):
    """A property's website texts and facts (the public API shows exactly these)."""
    model_config = ConfigDict(from_attributes=True)
    short_description: str | None
    description: str | None
    area_sqm: int | None
    bathrooms: int | None
    beds: int | None
    house_rules: str | None
    cancellation_policy: str | None
    latitude: DecimalOut | None
    longitude: DecimalOut | None


class PropertyOut(PropertyContentOut):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    slug: str
    internal_name: str | None
    address_line: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    max_guests: int
    bedrooms: int
    is_active: bool
    min_stay_nights: int
    max_advance_days: int
    check_in_time: LocalTime
    check_out_time: LocalTime
    base_nightly_rate: DecimalOut
    currency: str
    timezone: str
    weekly_discount_percent: DecimalOut
    monthly_discount_percent: DecimalOut
    visitor_tax_rule_id: uuid.UUID | None
    checkin_instructions: str | None = Field(description="private: never on the website")
    ical_token: str = Field(description="secret part of the property's iCal export URL")
    direct_booking_mode: Literal[DIRECT_BOOKING_MODES]
    created_at: datetime
    updated_at: datetime


class PropertyPage(PageOut[PropertyOut]):
    pass


class PropertyListQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="search in name, internal name and city")
    is_active: bool | None = None


# --- bookings -----------------------------------------------------------------------------

class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property_id: uuid.UUID
    check_in: SaneDate
    check_out: SaneDate = Field(description="departure day (free again); must be after check_in")
    status: BookingStatus = Field("confirmed", description="inquiry, pending or confirmed")
    guest_id: uuid.UUID | None = None
    guest: GuestIn | None = Field(None, description="inline guest instead of guest_id")
    adults: int = Field(1, ge=0, le=50)
    children: int = Field(0, ge=0, le=50)
    children_ages: list[ChildAge] | None = Field(
        None, max_length=50, description="one age per child; unknown ages pay the adult visitor tax")
    extras: list[ExtraRequestIn] = Field(default_factory=list, max_length=50,
                                         description="extra services offered at the property")
    total_price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2,
                                        description="default: the pricing engine's total (its lines are stored); "
                                                    "given: one manual line")
    notes: str | None = Field(None, max_length=5000)


class BookingPatch(BaseModel):
    """Partial update; see the transition table for `status`."""
    model_config = ConfigDict(extra="forbid")
    status: BookingStatus = None
    check_in: SaneDate = None
    check_out: SaneDate = None
    guest_id: uuid.UUID | None = None
    guest: GuestIn | None = None
    adults: int = Field(None, ge=0, le=50)
    children: int = Field(None, ge=0, le=50)
    children_ages: list[ChildAge] | None = Field(None, max_length=50)
    extras: list[ExtraRequestIn] = Field(None, max_length=50, description="replaces the booked extras; re-priced")
    total_price: Decimal = Field(None, ge=0, max_digits=12, decimal_places=2,
                                 description="a price set by hand (one manual line)")
    notes: str | None = Field(None, max_length=5000)
    cancellation_reason: str | None = Field(None, max_length=500)


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    property_id: uuid.UUID
    guest_id: uuid.UUID | None
    check_in: date
    check_out: date
    status: str
    source: str
    external_ref: str | None
    adults: int
    children: int
    children_ages: list[int] | None
    total_price: DecimalOut
    currency: str
    notes: str | None
    cancelled_at: datetime | None
    cancelled_by: uuid.UUID | None
    cancellation_reason: str | None
    created_at: datetime
    updated_at: datetime

    @computed_field
    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


class BookingDetailOut(BookingOut):
    """One booking with its price lines; on create also the engine's price for comparison."""
    price_lines: list[LineOut]
    quoted_total: DecimalOut | None = Field(None, description="the pricing engine's total for this request")


class BookingPage(PageOut[BookingOut]):
    pass


class BookingListQuery(PageQuery):
    property_id: uuid.UUID | None = None
    status: BookingStatus | None = None
    guest_id: uuid.UUID | None = None
    from_date: SaneDate | None = Field(None, description="stays departing after this day")
    to_date: SaneDate | None = Field(None, description="stays arriving before this day")


# --- availability and blocks --------------------------------------------------------------

class AvailabilityQuery(BaseModel):
    property_id: uuid.UUID
    from_date: SaneDate
    to_date: SaneDate = Field(description="end of the window (exclusive)")

    @field_validator("to_date")
    @classmethod
    def after_from_date(cls, value: date, info: ValidationInfo) -> date:
        if "from_date" in info.data and value <= info.data["from_date"]:
            raise ValueError("to_date must be after from_date")
        return value


class RangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: Literal[RANGE_KINDS]
    state: Literal["booked", "blocked", "held"]
    start_date: date
    end_date: date = Field(description="first free day")
    booking_id: uuid.UUID | None
    block_id: uuid.UUID | None
    reason: str | None
    connection_id: uuid.UUID | None = Field(description="channel holds: the connection")
    external_uid: str | None = Field(description="channel holds: the feed event's uid")


class AvailabilityOut(BaseModel):
    """PostgreSQL shapes this answer; its ranges are documented as RangeOut but checked as plain JSON
    objects, so answering builds no model per range."""
    property_id: uuid.UUID
    from_date: date
    to_date: date
    ranges: Annotated[list[dict[str, Any]],
                      WithJsonSchema({"type": "array", "items": RangeOut.model_json_schema()})]


class BlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property_id: uuid.UUID
    start_date: SaneDate
    end_date: SaneDate = Field(description="first free day; must be after start_date")
    reason: str = Field("", max_length=500)


class BlockOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    property_id: uuid.UUID
    start_date: date
    end_date: date
    reason: str
    created_by: uuid.UUID | None
    created_at: datetime


class BlockPage(PageOut[BlockOut]):
    pass


class BlockListQuery(PageQuery):
    property_id: uuid.UUID | None = None
    reason: str | None = Field(None, max_length=500, description="exact reason, e.g. smoke-test")
