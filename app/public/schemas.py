"""Bodies and query strings of the public JSON API (`/api/public/v1`) and of the website pages API."""
from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, TypeAdapter, model_validator

from app.guests.schemas import DecimalOut
from app.pricing.schemas import ChildAge
from app.public.forms import MAX_GUESTS
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


def listed_out(item) -> ListedPropertyOut:
    return ListedPropertyOut.model_validate({**PublicPropertyOut.model_validate(item.prop).model_dump(),
                                             "from_price": Decimal(item.from_price)})


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
