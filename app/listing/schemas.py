"""JSON shapes of photos and amenities (private API; the public API reuses the `Out` parts)."""
from __future__ import annotations

import uuid
from typing import Literal

from flask import url_for
from pydantic import BaseModel, ConfigDict, Field

from app.listing.models import AMENITY_CATEGORIES, PropertyPhoto

AmenityCategory = Literal[AMENITY_CATEGORIES]
MAX_AMENITIES = 200
MAX_CAPTION = 200


class AmenityPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=80)
    icon: str = Field(None, max_length=60, description="one of GET /api/v1/amenities/icons")
    category: AmenityCategory = None
    position: int = Field(None, ge=0, le=10000, description="order on the website (ascending)")


class AmenityIn(AmenityPatch):
    name: str = Field(min_length=1, max_length=80)
    icon: str = Field(max_length=60, description="one of GET /api/v1/amenities/icons")
    category: AmenityCategory = "basics"


class AmenityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    icon: str
    category: str
    position: int


class AmenityList(BaseModel):
    items: list[AmenityOut]

    @classmethod
    def of(cls, amenities) -> "AmenityList":
        return cls(items=[AmenityOut.model_validate(amenity) for amenity in amenities])


class IconList(BaseModel):
    items: list[str] = Field(description="the icon names an amenity may use (vendored lucide-static icons)")


class PropertyAmenitiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amenity_ids: list[uuid.UUID] = Field(max_length=MAX_AMENITIES, description="replaces the property's amenities")


class PhotoOut(BaseModel):
    id: uuid.UUID
    caption: str
    position: int
    url: str = Field(description="the 1600 px version")
    thumbnail_url: str = Field(description="the 400 px version")

    @classmethod
    def of(cls, photo: PropertyPhoto) -> "PhotoOut":
        return cls(id=photo.id, caption=photo.caption, position=photo.position,
                   url=url_for("media.file", filename=photo.large),
                   thumbnail_url=url_for("media.file", filename=photo.thumbnail))


class PhotoList(BaseModel):
    items: list[PhotoOut]

    @classmethod
    def of(cls, photos) -> "PhotoList":
        return cls(items=[PhotoOut.of(photo) for photo in photos])


class PhotoPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    caption: str = Field(max_length=MAX_CAPTION)


class PhotoOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    photo_ids: list[uuid.UUID] = Field(max_length=100, description="every photo of the property, in the new order")
