"""Request and response models of the channel manager API (spec 20), and the row -> JSON mapping."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, RootModel

from app.channels.models import CONNECTION_STATUSES, DIRECTIONS, OPERATION_TYPES, SYNC_STATUSES
from app.core.pagination import MAX_OFFSET
from app.web.api import Detail
from app.web.limits import FreeJson, SaneDate

ConnectionStatus = Literal[CONNECTION_STATUSES]  # type: ignore[valid-type]
SyncType = Literal["full", "availability", "pricing", "bookings"]


class ErrorOut(BaseModel):
    error: str
    message: str


class BatchNotFoundOut(RootModel[ErrorOut | Detail]):
    """404 of a batch: `{"detail": "Connection not found"}` for an unknown connection,
    `{"error": "batch_not_found", "message": ...}` for an unknown batch of a known one."""


# --- connections ---

class ConnectionsQuery(BaseModel):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    platform_type: str | None = Field(None, max_length=50)
    status: str | None = Field(None, max_length=50)
    q: str | None = Field(None, max_length=200)


class CreateQuery(BaseModel):
    skip_connection_test: bool = False


class ConnectionIn(BaseModel):
    property_id: uuid.UUID
    platform_type: str = Field(max_length=50)
    platform_listing_id: str | None = Field(None, max_length=255)
    access_token: str | None = Field(None, max_length=8192)
    refresh_token: str | None = Field(None, max_length=8192)
    platform_metadata: FreeJson = Field(default_factory=dict)
    ical_import_url: str | None = Field(None, max_length=2048)
    status: ConnectionStatus = "active"


class ConnectionPatch(BaseModel):
    """Partial update: only the fields sent change; `"property_id": null` unmaps."""
    property_id: uuid.UUID | None = None
    platform_listing_id: str | None = Field(None, max_length=255)
    platform_metadata: FreeJson | None = None
    status: ConnectionStatus | None = None
    access_token: str | None = Field(None, max_length=8192)
    refresh_token: str | None = Field(None, max_length=8192)
    ical_import_url: str | None = Field(None, max_length=2048)


class Freshness(BaseModel):
    last_success_at: datetime | None
    age_seconds: int | None


class ConnectionOut(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    property_id: uuid.UUID | None
    property_name: str | None
    platform_type: str
    platform_listing_id: str | None
    status: str
    platform_metadata: dict
    has_ical_import: bool
    last_sync_at: datetime | None
    last_success_at: datetime | None
    stale: bool
    created_at: datetime
    updated_at: datetime | None


class ConnectionDetailOut(ConnectionOut):
    freshness: dict[str, Freshness]


class ConnectionList(RootModel[list[ConnectionOut]]):
    pass


class TestOut(BaseModel):
    connection_id: uuid.UUID
    platform_type: str
    healthy: bool
    message: str
    details: dict


class IcalExportOut(BaseModel):
    property_id: uuid.UUID
    url: str


# --- sync ---

class SyncIn(BaseModel):
    sync_type: SyncType
    start_date: SaneDate | None = None
    end_date: SaneDate | None = None
    confirm_feed_shrink: bool = Field(False, description="Accept an iCal feed that shrank by more than half")


class SyncOut(BaseModel):
    status: str = "triggered"
    message: str
    task_ids: list[str]
    batch_id: uuid.UUID
    coalesced: bool = Field(False, description="The same sync was still waiting: its batch is returned")


class PropertySyncIn(BaseModel):
    sync_type: str = Field(max_length=50)
    platform: str = Field(max_length=50)
    property_id: uuid.UUID
    connection_id: uuid.UUID | None = None
    manual_trigger: bool = True
    start_date: SaneDate | None = None
    end_date: SaneDate | None = None


class PropertySyncOut(BaseModel):
    status: str = "triggered"
    message: str
    task_id: str
    sync_log_id: uuid.UUID
    batch_id: uuid.UUID
    platform: str
    retry_count: int = 0
    coalesced: bool = Field(False, description="The same sync was still waiting: its batch is returned")


# --- logs and batches ---

class LogsQuery(BaseModel):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0)
    batch_id: uuid.UUID | None = None
    status: Literal[SYNC_STATUSES + ("active",)] | None = None  # type: ignore[valid-type]
    operation_type: Literal[OPERATION_TYPES] | None = None  # type: ignore[valid-type]
    direction: Literal[DIRECTIONS] | None = None  # type: ignore[valid-type]
    q: str | None = Field(None, max_length=200)


class LogOut(BaseModel):
    id: uuid.UUID
    connection_id: uuid.UUID
    batch_id: uuid.UUID | None
    operation_type: str
    direction: str
    status: str
    details: dict
    error: str | None
    task_id: str | None
    retry_count: int
    started_at: datetime | None
    finished_at: datetime | None
    duration_ms: int | None
    created_at: datetime
    updated_at: datetime | None


class LogsOut(BaseModel):
    connection_id: uuid.UUID
    logs: list[LogOut]
    limit: int
    offset: int
    batch_id: uuid.UUID | None
    total: int


class PurgeIn(BaseModel):
    retention_days: int = Field(ge=1, le=3650)
    confirm_phrase: str = Field(max_length=50)
    dry_run: bool = False


class PurgeOut(BaseModel):
    """`deleted_count` after a purge, `would_delete` for a dry run."""
    connection_id: uuid.UUID
    retention_days: int
    cutoff: datetime
    deleted_count: int | None = None
    would_delete: int | None = None


class BatchesQuery(BaseModel):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)
    status: str = Field("any", max_length=20)


class StatusCounts(BaseModel):
    triggered: int
    running: int
    success: int
    failed: int
    other: int


class BatchOperation(BaseModel):
    log_id: uuid.UUID
    operation_type: str
    status: str
    error: str | None
    updated_at: datetime | None


class BatchOut(BaseModel):
    batch_id: uuid.UUID
    connection_id: uuid.UUID
    batch_status: str
    status_counts: StatusCounts
    created_at_min: datetime
    updated_at_max: datetime
    operations: list[BatchOperation]


class BatchesOut(BaseModel):
    items: list[BatchOut]
    limit: int
    offset: int


# --- rows -> models ---

def connection_fields(view) -> dict:
    c = view.connection
    return dict(id=c.id, tenant_id=c.agency_id, property_id=c.property_id, property_name=view.property_name,
                platform_type=c.platform_type, platform_listing_id=c.platform_listing_id, status=c.status,
                platform_metadata=c.platform_metadata, has_ical_import=bool(c.ical_import_url_encrypted),
                last_sync_at=view.last_sync_at, last_success_at=view.last_success_at, stale=view.stale,
                created_at=c.created_at, updated_at=c.updated_at)


def connection_detail_out(view) -> ConnectionDetailOut:
    return ConnectionDetailOut(**connection_fields(view), freshness=view.freshness)


def duration_ms(started: datetime | None, finished: datetime | None) -> int | None:
    return round((finished - started).total_seconds() * 1000) if started and finished else None


def log_out(sync_log) -> LogOut:
    return LogOut(id=sync_log.id, connection_id=sync_log.connection_id, batch_id=sync_log.batch_id,
                  operation_type=sync_log.operation_type, direction=sync_log.direction, status=sync_log.status,
                  details=sync_log.details or {}, error=sync_log.error, task_id=sync_log.task_id,
                  retry_count=sync_log.retry_count, started_at=sync_log.started_at,
                  finished_at=sync_log.finished_at, duration_ms=duration_ms(sync_log.started_at, sync_log.finished_at),
                  created_at=sync_log.created_at, updated_at=sync_log.updated_at)


def batch_out(summary) -> BatchOut:
    return BatchOut(batch_id=summary.batch_id, connection_id=summary.connection_id,
                    batch_status=summary.batch_status, status_counts=StatusCounts(**summary.status_counts),
                    created_at_min=summary.created_at_min, updated_at_max=summary.updated_at_max,
                    operations=[BatchOperation(**op) for op in summary.operations])
