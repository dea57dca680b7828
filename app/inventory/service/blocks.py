"""Availability blocks: manual closures of a property (owner stay, maintenance).

A block owns one active inventory range; deleting the block releases it in
the same transaction, so the dates are free at once.
"""
from __future__ import annotations

import uuid

from app.core.pagination import DEFAULT_LIMIT, Page, paginate
from app.core.tenancy import get_owned, scoped
from app.extensions import db
from app.inventory.errors import guarded_write
from app.inventory.models import AvailabilityBlock
from app.inventory.service.properties import get_property
from app.inventory.service.ranges import Stay, active_range_of, lock_property, occupy, release, require_ordered

BLOCK_NOT_FOUND = "Block not found"


def get_block(agency_id: uuid.UUID, block_id: uuid.UUID) -> AvailabilityBlock:
    """The agency's block. Raises NotFound "Block not found"."""
    return get_owned(AvailabilityBlock, agency_id, block_id, BLOCK_NOT_FOUND)


def list_blocks(agency_id: uuid.UUID, *, property_id: uuid.UUID | None = None, reason: str | None = None,
                limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page[AvailabilityBlock]:
    """One page of blocks by start date; `reason` matches exactly."""
    query = scoped(AvailabilityBlock, agency_id).order_by(AvailabilityBlock.start_date, AvailabilityBlock.id)
    if property_id is not None:
        query = query.where(AvailabilityBlock.property_id == property_id)
    if reason is not None:
        query = query.where(AvailabilityBlock.reason == reason)
    return paginate(query, limit, offset)


def create_block(agency_id: uuid.UUID, property_id: uuid.UUID, stay: Stay, reason: str = "",
                 created_by: uuid.UUID | None = None) -> AvailabilityBlock:
    """Block [start, end) of a property. Raises NotFound, ValidationFailed, BookingConflict."""
    require_ordered(stay, "start_date", "end_date")
    prop = get_property(agency_id, property_id)
    block = AvailabilityBlock(id=uuid.uuid4(), agency_id=agency_id, property_id=prop.id, start_date=stay.start,
                              end_date=stay.end, reason=reason, created_by=created_by)
    lock_property(prop.id)
    with guarded_write():
        db.session.add(block)
        occupy(agency_id, prop.id, "block", block.id, stay)
    return block


def delete_block(agency_id: uuid.UUID, block_id: uuid.UUID) -> None:
    """Delete the block and release its range: the dates are bookable at once. Raises NotFound."""
    block = get_block(agency_id, block_id)
    release(active_range_of("block", block.id))
    db.session.delete(block)
    db.session.flush()
