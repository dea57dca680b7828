"""Tenant scoping: every query of tenant-owned rows filters by the caller's agency.

A row of another agency is reported exactly like a missing one (404), so ids
do not leak.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import Select, select

from app.core.errors import NotFound
from app.extensions import db


def scoped(model, agency_id: uuid.UUID, agency_column: str = "agency_id") -> Select:
    """`SELECT model WHERE <agency column> = agency_id` (and not soft-deleted, when it can be)."""
    query = select(model).where(getattr(model, agency_column) == agency_id)
    if hasattr(model, "deleted_at"):
        query = query.where(model.deleted_at.is_(None))
    return query


def get_owned(model, agency_id: uuid.UUID, row_id: uuid.UUID, not_found: str,
              agency_column: str = "agency_id", for_update: bool = False):
    query = scoped(model, agency_id, agency_column).where(model.id == row_id)
    if for_update:
        query = query.with_for_update()
    row = db.session.scalar(query)
    if row is None:
        raise NotFound(not_found)
    return row


def update_owned(model, agency_id: uuid.UUID, row_id: uuid.UUID, not_found: str, changes: dict):
    """Set the given attributes on the agency's row (locked for update) and flush."""
    row = get_owned(model, agency_id, row_id, not_found, for_update=True)
    for name, value in changes.items():
        setattr(row, name, value)
    db.session.flush()
    return row


def soft_delete_owned(model, agency_id: uuid.UUID, row_id: uuid.UUID, not_found: str) -> None:
    """Mark the agency's row deleted: every scoped read skips it from now on."""
    update_owned(model, agency_id, row_id, not_found, {"deleted_at": datetime.now(timezone.utc)})
