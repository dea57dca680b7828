"""Host names of the agencies' public websites."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, uuid_pk
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
