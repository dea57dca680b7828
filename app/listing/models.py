"""Property photos (files under MEDIA_ROOT) and the agency's amenities ticked per property."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, uuid_pk
from app.extensions import db

AMENITY_CATEGORIES = ("basics", "kitchen", "bathroom", "outdoor", "family", "leisure")
PHOTO_SIZES = (1600, 400)  # longest side in pixels of the stored versions: gallery and thumbnail


class PropertyPhoto(db.Model):
    __tablename__ = "property_photos"
    __table_args__ = (Index("ix_property_photos_property_position", "property_id", "position"),)
    id: Mapped[uuid.UUID] = uuid_pk()
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    # Stem under MEDIA_ROOT ("photos/<agency>/<property>/<photo id>"); the versions add "-1600.jpg", "-400.jpg".
    file: Mapped[str] = mapped_column(String(200))
    caption: Mapped[str] = mapped_column(String(200), server_default="", default="")
    position: Mapped[int] = mapped_column(server_default="0", default=0)
    created_at: Mapped[datetime] = created_at()

    def version(self, size: int) -> str:
        """The path under MEDIA_ROOT of the version whose longest side is at most `size` pixels."""
        return f"{self.file}-{size}.jpg"

    @property
    def large(self) -> str:
        return self.version(PHOTO_SIZES[0])

    @property
    def thumbnail(self) -> str:
        return self.version(PHOTO_SIZES[1])


property_amenities = Table(
    "property_amenities", db.metadata,
    Column("property_id", ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
    Column("amenity_id", ForeignKey("amenities.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Amenity(db.Model):
    __tablename__ = "amenities"
    __table_args__ = (UniqueConstraint("agency_id", "name"),)
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    icon: Mapped[str] = mapped_column(String(60))  # a file stem of the vendored icon set
    category: Mapped[str] = mapped_column(String(20), server_default="basics", default="basics")
    position: Mapped[int] = mapped_column(server_default="0", default=0)
    created_at: Mapped[datetime] = created_at()
