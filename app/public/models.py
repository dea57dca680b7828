"""Host names of the agencies' public websites."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, updated_at, uuid_pk
from app.extensions import db


class AgencyDomain(db.Model):
    __tablename__ = "agency_domains"
    __table_args__ = (
        CheckConstraint("host = lower(host)", name="host_lower_case"),
        Index("uq_agency_domains_primary", "agency_id", unique=True, postgresql_where=text("is_primary")),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(253), unique=True)
    is_primary: Mapped[bool] = mapped_column(server_default="false", default=False)
    created_at: Mapped[datetime] = created_at()


class WebsitePage(db.Model):
    """A content page of the agency's website; `blocks` is always a JSON list of typed blocks
    (`app.public.schemas.Block`), `home` is the start page."""
    __tablename__ = "website_pages"
    __table_args__ = (
        CheckConstraint("jsonb_typeof(blocks) = 'array'", name="blocks_is_list"),
        UniqueConstraint("agency_id", "slug"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    blocks: Mapped[list] = mapped_column(JSONB, server_default=text("'[]'::jsonb"), default=list)
    seo_description: Mapped[str] = mapped_column(String(300), server_default="", default="")
    is_published: Mapped[bool] = mapped_column(server_default="false", default=False)
    nav_position: Mapped[int | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
