"""Bodies and query strings of the public JSON API (`/api/public/v1`) and of the website pages API."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask import url_for
from pydantic import (
    AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, TypeAdapter, model_validator,
)

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


# --- website pages ------------------------------------------------------------------------

MAX_BLOCKS = 50
MAX_PARAGRAPHS = 50
MAX_CHOSEN_PROPERTIES = 100
# A photo is a file this system serves under /media/ (never an outside URL): letters, digits, dots,
# dashes, underscores and slashes, no "..".
MEDIA_PATH = re.compile(r"^/media/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def local_media_path(value: str) -> str:
    if not MEDIA_PATH.match(value) or ".." in value:
        raise ValueError("Give a photo of this website as a /media/... path (no outside addresses)")
    return value


MediaPath = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), AfterValidator(local_media_path)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class BlockBase(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HeroBlock(BlockBase):
    type: Literal["hero"]
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    photo: MediaPath | None = Field(None, description="a local /media/... path")


class TextBlock(BlockBase):
    type: Literal["text"]
    heading: ShortText = ""
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=MAX_PARAGRAPHS)


class PropertyListBlock(BlockBase):
    type: Literal["property_list"]
    heading: ShortText = ""
    filter: Literal["all", "chosen"] = "all"
    property_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_CHOSEN_PROPERTIES,
                                          description="with filter=chosen: the agency's properties to show")

    @model_validator(mode="after")
    def chosen_needs_properties(self):
        if self.filter == "chosen" and not self.property_ids:
            raise ValueError("Choose at least one property (or show all)")
        if self.filter == "all":
            self.property_ids = []
        return self


class ImageBlock(BlockBase):
    type: Literal["image"]
    photo: MediaPath = Field(description="a local /media/... path")
    alt: ShortText = ""
    caption: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class ContactBlock(BlockBase):
    type: Literal["contact"]
    heading: ShortText = ""
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50, pattern=r"^[0-9+()/ .-]*$")] = ""


Block = Annotated[HeroBlock | TextBlock | PropertyListBlock | ImageBlock | ContactBlock, Field(discriminator="type")]
BLOCK_TYPES = ("hero", "text", "property_list", "image", "contact")
block_adapter: TypeAdapter[Block] = TypeAdapter(Block)
PageSlug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=SLUG)]
PageTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SeoDescription = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
NavPosition = Annotated[int, Field(ge=0, le=1000, description="order in the site's navigation; null: not listed")]


class PageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: PageSlug = Field(description="lower-case words and dashes; `home` is the start page")
    title: PageTitle
    blocks: list[Block] = Field(default_factory=list, max_length=MAX_BLOCKS)
    seo_description: SeoDescription = ""
    is_published: bool = False
    nav_position: NavPosition | None = None


class PagePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: PageSlug | None = None
    title: PageTitle | None = None
    blocks: list[Block] | None = Field(None, max_length=MAX_BLOCKS)
    seo_description: SeoDescription | None = None
    is_published: bool | None = None
    nav_position: NavPosition | None = None

    @model_validator(mode="after")
    def required_stay_set(self):
        for name in ("slug", "title", "blocks", "seo_description", "is_published"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} must not be null")
        return self


class PageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    slug: str
    title: str
    blocks: list[Any] = Field(description="the stored blocks (see the request body's block types)")
    seo_description: str
    is_published: bool
    nav_position: int | None
    updated_at: datetime


class PageList(BaseModel):
    items: list[PageOut]
