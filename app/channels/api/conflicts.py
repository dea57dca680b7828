"""Overbooking conflicts (admin, manager): list them and resolve one, as the back office does."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.channels.api.base import bp
from app.channels.service import conflicts as service
from app.channels.service.conflicts import ConflictView
from app.core.pagination import MAX_OFFSET
from app.db import commit_with_retry
from app.web.api import ApiResponse, Detail, ValidationErrorBody, spec
from app.web.auth import current_agency_id, current_principal, require_role

TAGS = ["conflicts"]
ROLES = ("admin", "manager")


class ConflictsQuery(BaseModel):
    status: Literal["open", "resolved", "all"] = "open"
    connection_id: uuid.UUID | None = None
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ConflictOut(BaseModel):
    id: uuid.UUID
    property_id: uuid.UUID
    property_name: str
    connection_id: uuid.UUID
    platform_type: str
    external_uid: str
    start_date: date
    end_date: date
    summary: str
    reason: str
    collided_with: str = Field(description="What the event collided with, e.g. \"Booking: Anna Schmidt (...)\"")
    collided_kind: str | None
    collided_booking_id: uuid.UUID | None
    status: str
    resolution_note: str | None
    resolved_by: str | None = Field(description="E-mail of the user who decided; null while open or when cleared")
    resolved_at: datetime | None
    created_at: datetime
    last_seen_at: datetime


class ConflictsOut(BaseModel):
    items: list[ConflictOut]
    total: int
    limit: int
    offset: int


class ResolveIn(BaseModel):
    resolution: Literal["accept", "resolved_on_channel", "ignore"]
    note: str | None = Field(None, max_length=service.NOTE_MAX_LENGTH, description="required to ignore")


def conflict_out(view: ConflictView) -> ConflictOut:
    c = view.conflict
    return ConflictOut(
        id=c.id, property_id=c.property_id, property_name=view.property_name, connection_id=c.connection_id,
        platform_type=view.platform, external_uid=c.external_uid, start_date=c.start_date, end_date=c.end_date,
        summary=c.summary, reason=c.reason, collided_with=view.collided_label, collided_kind=c.collided_kind,
        collided_booking_id=view.collided_booking_id, status=c.status, resolution_note=c.resolution_note,
        resolved_by=view.resolved_by_email, resolved_at=c.resolved_at, created_at=c.created_at,
        last_seen_at=c.last_seen_at)


@bp.get("/channel-conflicts/")
@require_role(*ROLES)
@spec.validate(query=ConflictsQuery, resp=ApiResponse(HTTP_200=ConflictsOut, HTTP_403=Detail), tags=TAGS)
def list_conflicts(query: ConflictsQuery):
    """Overbooking conflicts of the agency: open ones soonest first, decided ones newest decision first."""
    rows, total = service.list_conflicts(current_agency_id(), query.status, query.connection_id, query.limit,
                                         query.offset)
    return ConflictsOut(items=[conflict_out(row) for row in rows], total=total, limit=query.limit,
                        offset=query.offset)


@bp.post("/channel-conflicts/<uuid:conflict_id>/resolve")
@require_role(*ROLES)
@spec.validate(json=ResolveIn, resp=ApiResponse(HTTP_200=ConflictOut, HTTP_403=Detail, HTTP_404=Detail,
                                                HTTP_409=Detail, HTTP_422=ValidationErrorBody), tags=TAGS)
def resolve_conflict(conflict_id: uuid.UUID, json: ResolveIn):
    """Resolve an open conflict: `accept` (cancel the local booking, hold the channel's dates),
    `resolved_on_channel`, or `ignore` (note required). A decided conflict answers 409."""
    agency_id, actor_id = current_agency_id(), current_principal().user.id
    commit_with_retry(lambda: service.resolve_conflict(agency_id, conflict_id, json.resolution, actor_id, json.note))
    return conflict_out(service.get_conflict(agency_id, conflict_id))
