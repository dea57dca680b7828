"""Bodies and query strings of the public JSON API (`/api/public/v1`)."""
from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flask import url_for

from app.guests.schemas import DecimalOut
from app.inventory.schemas import PropertyContentOut
from app.listing.models import Amenity, PropertyPhoto
from app.pricing.schemas import ChildAge
from app.public.forms import MAX_AMENITY_FILTERS, MAX_GUESTS, GuestContact
from app.web.limits import SaneDate

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_AVAILABILITY_DAYS = 400


class PropertySearch(BaseModel):
    arrival: SaneDate | None = Field(None, description="with departure: only properties free for the stay")
    departure: SaneDate | None = None
    guests: int | None = Field(None, ge=1, le=MAX_GUESTS)
    amenity: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_AMENITY_FILTERS,
                                     description="repeatable: only properties with every one of these amenities")

    @model_validator(mode="after")
    def whole_stay(self):
        if (self.arrival is None) != (self.departure is None):
            raise ValueError("Give arrival and departure together")
        if self.arrival and self.departure <= self.arrival:
            raise ValueError("departure must be after arrival")
        return self


class PublicAmenityOut(BaseModel):
    id: uuid.UUID
    name: str
    category: str
    icon: str
    icon_url: str = Field(description="the icon's SVG (lucide-static)")

    @classmethod
    def of(cls, amenity: Amenity) -> "PublicAmenityOut":
        return cls(id=amenity.id, name=amenity.name, category=amenity.category, icon=amenity.icon,
                   icon_url=url_for("static", filename=f"vendor/lucide-static/icons/{amenity.icon}.svg",
                                    _external=True))


class PublicAmenityList(BaseModel):
    items: list[PublicAmenityOut]


class PublicPhotoOut(BaseModel):
    caption: str
    url: str = Field(description="at most 1600 px wide or high")
    thumbnail_url: str = Field(description="at most 400 px wide or high")

    @classmethod
    def of(cls, photo: PropertyPhoto) -> "PublicPhotoOut":
        return cls(caption=photo.caption, url=url_for("media.file", filename=photo.large, _external=True),
                   thumbnail_url=url_for("media.file", filename=photo.thumbnail, _external=True))


class PublicPropertyFacts(PropertyContentOut):
    """What the website shows of a property (never the internal name, the iCal token or the check-in instructions)."""
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


class PublicPropertyOut(PublicPropertyFacts):
    amenities: list[PublicAmenityOut]
    photos: list[PublicPhotoOut]


class ListedPropertyOut(PublicPropertyFacts):
    from_price: DecimalOut = Field(description="the lowest nightly rate of the base rate and coming seasons")
    photo: PublicPhotoOut | None = Field(description="the first photo")
    amenities: list[PublicAmenityOut]


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


def facts(prop) -> dict:
    return PublicPropertyFacts.model_validate(prop).model_dump()


def property_out(prop, amenities: list[Amenity], photos: list[PropertyPhoto]) -> PublicPropertyOut:
    return PublicPropertyOut(**facts(prop), amenities=[PublicAmenityOut.of(amenity) for amenity in amenities],
                             photos=[PublicPhotoOut.of(photo) for photo in photos])


def listed_out(item, amenities: list[Amenity]) -> ListedPropertyOut:
    return ListedPropertyOut(**facts(item.prop), from_price=Decimal(item.from_price),
                             photo=PublicPhotoOut.of(item.photo) if item.photo else None,
                             amenities=[PublicAmenityOut.of(amenity) for amenity in amenities])
