"""Bodies and query strings of the public JSON API (`/api/public/v1`)."""
from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.guests.schemas import DecimalOut
from app.pricing.schemas import ChildAge
from app.public.forms import MAX_GUESTS, GuestContact
from app.web.limits import SaneDate

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_AVAILABILITY_DAYS = 400


class PropertySearch(BaseModel):
    arrival: SaneDate | None = Field(None, description="with departure: only properties free for the stay")
    departure: SaneDate | None = None
    guests: int | None = Field(None, ge=1, le=MAX_GUESTS)

    @model_validator(mode="after")
    def whole_stay(self):
        if (self.arrival is None) != (self.departure is None):
            raise ValueError("Give arrival and departure together")
        if self.arrival and self.departure <= self.arrival:
            raise ValueError("departure must be after arrival")
        return self


class PublicPropertyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    slug: str
    name: str
    city: str | None
    country: str | None
    max_guests: int
    bedrooms: int
    min_stay_nights: int
    check_in_time: time
    check_out_time: time
    currency: str


class ListedPropertyOut(PublicPropertyOut):
    from_price: DecimalOut = Field(description="the lowest nightly rate of the base rate and coming seasons")


class PublicPropertyList(BaseModel):
    items: list[ListedPropertyOut]


class AvailabilityQuery(BaseModel):
    property: str = Field(max_length=100, pattern=SLUG, description="the property's slug")
    from_date: SaneDate
    to_date: SaneDate

    @model_validator(mode="after")
    def bounded_window(self):
        if self.to_date <= self.from_date:
            raise ValueError("to_date must be after from_date")
        if (self.to_date - self.from_date).days > MAX_AVAILABILITY_DAYS:
            raise ValueError(f"At most {MAX_AVAILABILITY_DAYS} days at once")
        return self


class OccupiedOut(BaseModel):
    start: date = Field(description="first occupied night")
    end: date = Field(description="the day after the last occupied night (free for arrival)")


class AvailabilityOut(BaseModel):
    property: str
    from_date: date
    to_date: date
    occupied: list[OccupiedOut]


class PublicQuoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    property: str = Field(max_length=100, pattern=SLUG, description="the property's slug")
    check_in: SaneDate
    check_out: SaneDate
    adults: int = Field(1, ge=1, le=MAX_GUESTS)
    children_ages: list[ChildAge] = Field(default_factory=list, max_length=20)
    extras: list[uuid.UUID] = Field(default_factory=list, max_length=20, description="optional extras' ids")


class BookingRequestIn(PublicQuoteIn, GuestContact):
    """A booking request: the stay as for a quote, and who asks."""
    model_config = ConfigDict(extra="forbid")
    language: Literal["de", "en"] | None = Field(None, description="the guest's language; default from "
                                                                   "Accept-Language, else German")


class BookingRequestOut(BaseModel):
    status: Literal["inquiry", "pending"] = Field(
        description="inquiry: the agency confirms first, nothing is held; pending: the dates are held until "
                    "the agency confirms (declined automatically after DIRECT_BOOKING_PENDING_HOURS)")
    check_in: date
    check_out: date


def listed_out(item) -> ListedPropertyOut:
    return ListedPropertyOut.model_validate({**PublicPropertyOut.model_validate(item.prop).model_dump(),
                                             "from_price": Decimal(item.from_price)})
