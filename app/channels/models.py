"""Channel connections, sync logs (grouped into batches by batch_id) and the rates last pushed."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Computed, ForeignKey, Index, Numeric, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db import created_at, updated_at, uuid_pk
from app.extensions import db

PLATFORMS = ("airbnb", "booking_com", "expedia", "fewo_direkt", "google")
CONNECTION_STATUSES = ("active", "inactive", "paused", "disabled", "error")
OPERATION_TYPES = ("availability_update", "pricing_update", "bookings_sync", "bookings_import",
                   "full_sync", "calendar_sync", "listing_update")
DIRECTIONS = ("outbound", "inbound")
SYNC_STATUSES = ("triggered", "queued", "running", "success", "failed", "cancelled")
ACTIVE_SYNC_STATUSES = ("triggered", "queued", "running")


class ChannelConnection(db.Model):
    __tablename__ = "channel_connections"
    __table_args__ = (
        CheckConstraint(f"platform_type IN {PLATFORMS}", name="platform_type"),
        CheckConstraint(f"status IN {CONNECTION_STATUSES}", name="status"),
        Index("uq_channel_connections_property_platform", "agency_id", "property_id", "platform_type",
              unique=True, postgresql_where=text("deleted_at IS NULL")),
        Index("ix_channel_connections_agency", "agency_id", "created_at"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    platform_type: Mapped[str]
    platform_listing_id: Mapped[str | None]
    status: Mapped[str] = mapped_column(server_default="active", default="active")
    platform_metadata: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"), default=dict)
    access_token_encrypted: Mapped[str | None]
    refresh_token_encrypted: Mapped[str | None]
    ical_import_url_encrypted: Mapped[str | None]
    last_sync_at: Mapped[datetime | None]
    last_error: Mapped[str | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
    deleted_at: Mapped[datetime | None]


class ChannelSyncLog(db.Model):
    __tablename__ = "channel_sync_logs"
    __table_args__ = (
        CheckConstraint(f"operation_type IN {OPERATION_TYPES}", name="operation_type"),
        CheckConstraint(f"direction IN {DIRECTIONS}", name="direction"),
        CheckConstraint(f"status IN {SYNC_STATUSES}", name="status"),
        Index("ix_channel_sync_logs_connection_created", "connection_id", text("created_at DESC")),
        Index("ix_channel_sync_logs_task_id", "task_id"),
        Index("ix_channel_sync_logs_tenant_created", "tenant_id", text("created_at DESC")),
        Index("ix_channel_sync_logs_status_created", "status", text("created_at DESC")),
        # The logs panel's status filter: one connection's logs of one status, newest first.
        Index("ix_channel_sync_logs_connection_status_created", "connection_id", "status", text("created_at DESC")),
        Index("ix_channel_sync_logs_batch_id", "batch_id"),
        Index("ix_channel_sync_logs_connection_batch", "connection_id", "batch_id"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel_connections.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID | None]
    batch_id: Mapped[uuid.UUID | None]
    operation_type: Mapped[str]
    direction: Mapped[str] = mapped_column(server_default="outbound", default="outbound")
    status: Mapped[str] = mapped_column(server_default="triggered", default="triggered")
    details: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"), default=dict)
    error: Mapped[str | None]
    task_id: Mapped[str | None]
    retry_count: Mapped[int] = mapped_column(server_default="0", default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class SyncBatch(db.Model):
    """Summary of one batch's logs: status buckets (spec 30 "Batch aggregation") and the timestamps the
    batch list ranks by. Written only by the triggers on `channel_sync_logs` (migration e4fa7c3d0504), in
    the transaction that writes the logs; read by the batch list and the batch cards."""
    __tablename__ = "sync_batches"
    __table_args__ = (
        Index("ix_sync_batches_connection_updated", "connection_id", text("updated_at_max DESC"),
              text("created_at_min DESC")),
    )
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel_connections.id", ondelete="CASCADE"), primary_key=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    triggered: Mapped[int] = mapped_column(server_default="0")
    running: Mapped[int] = mapped_column(server_default="0")
    success: Mapped[int] = mapped_column(server_default="0")
    failed: Mapped[int] = mapped_column(server_default="0")
    other: Mapped[int] = mapped_column(server_default="0")
    total: Mapped[int] = mapped_column(Computed("triggered + running + success + failed + other", persisted=True))
    created_at_min: Mapped[datetime]
    updated_at_max: Mapped[datetime]


class ChannelRate(db.Model):
    """What the last successful pricing push sent to a connection for a date (the next push sends only changes)."""
    __tablename__ = "channel_rates"
    connection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("channel_connections.id", ondelete="CASCADE"), primary_key=True)
    date: Mapped[date] = mapped_column(primary_key=True)
    nightly_rate: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    min_stay: Mapped[int]
    pushed_at: Mapped[datetime] = created_at()


CONFLICT_STATUSES = ("open", "accepted", "resolved_on_channel", "ignored", "cleared")
COLLIDED_KINDS = ("booking", "block", "channel_hold")


class ChannelConflict(db.Model):
    """An overbooking conflict: a channel event an import could not hold because the dates were taken.

    Recorded by the iCal import next to the log's `details.conflicts`; one row per
    (connection, event uid, dates). `open` until an operator resolves it (accepted: the local
    booking was cancelled and the channel's stay held; resolved_on_channel; ignored, with a note)
    or a later import no longer meets it (cleared).
    """
    __tablename__ = "channel_conflicts"
    __table_args__ = (
        CheckConstraint(f"status IN {CONFLICT_STATUSES}", name="status"),
        CheckConstraint(f"collided_kind IN {COLLIDED_KINDS}", name="collided_kind"),
        CheckConstraint("end_date > start_date", name="dates_ordered"),
        Index("uq_channel_conflicts_event", "connection_id", "external_uid", "start_date", "end_date", unique=True),
        Index("ix_channel_conflicts_agency_status", "agency_id", "status", "start_date"),
    )
    id: Mapped[uuid.UUID] = uuid_pk()
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    connection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("channel_connections.id", ondelete="CASCADE"))
    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    sync_log_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("channel_sync_logs.id", ondelete="SET NULL"))
    external_uid: Mapped[str]
    start_date: Mapped[date]
    end_date: Mapped[date]
    summary: Mapped[str] = mapped_column(server_default="", default="")
    reason: Mapped[str] = mapped_column(server_default="", default="")
    collided_kind: Mapped[str | None]
    collided_source_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(server_default="open", default="open")
    resolution_note: Mapped[str | None]
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime] = created_at()  # declared first: the next line shadows the helper
    created_at: Mapped[datetime] = created_at()
