"""Channel connections: listing with freshness, create/update/soft delete, connection test.

Credentials are encrypted before they reach the row and are only decrypted
into a `ConnectionSnapshot` for adapters; nothing here returns them.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.channels import crypto, outbound
from app.channels.adapters import adapter_for
from app.channels.adapters.base import ConnectionSnapshot, TestResult
from app.channels.errors import (ConnectionExists, ConnectionNotFound, ConnectionTestFailed, PropertyNotFound,
                                 UnsupportedPlatform, UrlRefused)
from app.channels.models import (ACTIVE_SYNC_STATUSES, CONNECTION_STATUSES, PLATFORMS, ChannelConnection,
                                 ChannelSyncLog)
from app.core.errors import NotFound, ValidationFailed
from app.core.pagination import Page, count
from app.core.tenancy import get_owned, scoped
from app.db import utcnow
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import InventoryRange, Property
from app.web.limits import check_free_json

log = logging.getLogger(__name__)

SYNC_OPERATIONS = ("availability_update", "pricing_update", "bookings_sync")
# Column -> how a write stores it (tokens and the feed URL are encrypted).
ENCRYPTED_FIELDS = {"access_token": "access_token_encrypted", "refresh_token": "refresh_token_encrypted",
                    "ical_import_url": "ical_import_url_encrypted"}
PLAIN_FIELDS = ("platform_listing_id", "platform_metadata", "status")



@dataclass(frozen=True)
class ConnectionView:
    """A connection with what readers need besides the row itself."""
    connection: ChannelConnection
    property_name: str | None
    last_success_at: datetime | None
    freshness: dict = field(default_factory=dict)

    @property
    def last_sync_at(self) -> datetime | None:
        # The column is best effort; fall back to the newest successful log.
        return self.connection.last_sync_at or self.last_success_at

    @property
    def stale(self) -> bool:
        hours = current_app.config["CHANNELS_STALE_CONNECTION_HOURS"]
        return self.last_success_at is None or self.last_success_at < utcnow() - timedelta(hours=hours)


def last_success_subquery():
    """Finish time of the connection's newest successful log (walks the (connection, created_at) index)."""
    return (select(func.coalesce(ChannelSyncLog.finished_at, ChannelSyncLog.updated_at))
            .where(ChannelSyncLog.connection_id == ChannelConnection.id, ChannelSyncLog.status == "success")
            .order_by(ChannelSyncLog.created_at.desc()).limit(1).correlate(ChannelConnection)
            .scalar_subquery())


def connection_query(agency_id: uuid.UUID):
    return (scoped(ChannelConnection, agency_id)
            .add_columns(Property.name, last_success_subquery())
            .outerjoin(Property, Property.id == ChannelConnection.property_id))


def filtered_connections(agency_id: uuid.UUID, platform_type: str | None, status: str | None, q: str | None):
    """The agency's connections, newest first; `q` searches id, platform, status, listing and property."""
    query = connection_query(agency_id)
    if platform_type:
        query = query.where(ChannelConnection.platform_type == platform_type)
    if status:
        query = query.where(ChannelConnection.status == status)
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        query = query.where(or_(cast(ChannelConnection.id, String).ilike(pattern),
                                ChannelConnection.platform_type.ilike(pattern),
                                ChannelConnection.status.ilike(pattern),
                                ChannelConnection.platform_listing_id.ilike(pattern),
                                Property.name.ilike(pattern)))
    return query.order_by(ChannelConnection.created_at.desc(), ChannelConnection.id)


def list_connections(agency_id: uuid.UUID, *, limit: int = 100, offset: int = 0, platform_type: str | None = None,
                     status: str | None = None, q: str | None = None) -> list[ConnectionView]:
    """One page of the agency's connections (see `filtered_connections`)."""
    query = filtered_connections(agency_id, platform_type, status, q).limit(limit).offset(offset)
    return [ConnectionView(row[0], row[1], row[2]) for row in db.session.execute(query)]


def connection_page(agency_id: uuid.UUID, *, limit: int, offset: int = 0, platform_type: str | None = None,
                    status: str | None = None, q: str | None = None) -> Page[ConnectionView]:
    """`list_connections` with the number of all matching connections, for a paged table."""
    rows = list_connections(agency_id, limit=limit, offset=offset, platform_type=platform_type, status=status, q=q)
    total = count(filtered_connections(agency_id, platform_type, status, q))
    return Page(items=rows, total=total, limit=limit, offset=offset)


def get_connection(agency_id: uuid.UUID, connection_id: uuid.UUID) -> ConnectionView:
    """One connection with per-operation freshness. Raises ConnectionNotFound."""
    row = db.session.execute(connection_query(agency_id).where(ChannelConnection.id == connection_id)).first()
    if row is None:
        raise ConnectionNotFound()
    return ConnectionView(row[0], row[1], row[2], operation_freshness(connection_id))


def operation_freshness(connection_id: uuid.UUID) -> dict:
    """Per operation: when it last succeeded and how long ago (seconds), None when never."""
    now = utcnow()
    freshness = {}
    for operation in SYNC_OPERATIONS:
        finished = db.session.scalar(
            select(func.coalesce(ChannelSyncLog.finished_at, ChannelSyncLog.updated_at))
            .where(ChannelSyncLog.connection_id == connection_id, ChannelSyncLog.operation_type == operation,
                   ChannelSyncLog.status == "success")
            .order_by(ChannelSyncLog.created_at.desc()).limit(1))
        freshness[operation] = {"last_success_at": finished,
                                "age_seconds": round((now - finished).total_seconds()) if finished else None}
    return freshness


def owned_connection(agency_id: uuid.UUID, connection_id: uuid.UUID, for_update: bool = False) -> ChannelConnection:
    return get_owned(ChannelConnection, agency_id, connection_id, "Connection not found", for_update=for_update)


def owned_property(agency_id: uuid.UUID, property_id: uuid.UUID, message: str = "Property not found") -> Property:
    """The agency's property; another agency's or a deleted one is PropertyNotFound (404, `message`)."""
    try:
        return inventory.get_property(agency_id, property_id)
    except NotFound:
        raise PropertyNotFound(message) from None


def snapshot(connection: ChannelConnection) -> ConnectionSnapshot:
    """The connection for adapters, credentials decrypted."""
    return ConnectionSnapshot(
        id=connection.id, agency_id=connection.agency_id, property_id=connection.property_id,
        platform_type=connection.platform_type, platform_listing_id=connection.platform_listing_id,
        status=connection.status, platform_metadata=dict(connection.platform_metadata or {}),
        access_token=crypto.decrypt(connection.access_token_encrypted),
        refresh_token=crypto.decrypt(connection.refresh_token_encrypted),
        ical_import_url=crypto.decrypt(connection.ical_import_url_encrypted))


def validate_fields(values: dict) -> None:
    """Everything a write could still refuse, checked before anything is written."""
    if "status" in values and values["status"] not in CONNECTION_STATUSES:
        raise ValidationFailed.field("status", f"Must be one of: {', '.join(CONNECTION_STATUSES)}")
    url = values.get("ical_import_url")
    if url:
        try:
            outbound.validate_url(url)
        except outbound.UrlNotAllowed as exc:
            raise UrlRefused("ical_import_url", str(exc)) from None
    metadata = values.get("platform_metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise ValidationFailed.field("platform_metadata", "Must be a JSON object")
        check_free_json("platform_metadata", metadata)


def apply_fields(connection: ChannelConnection, values: dict) -> None:
    for name in PLAIN_FIELDS:
        if name in values:
            setattr(connection, name, values[name] if name != "platform_metadata" else (values[name] or {}))
    for name, column in ENCRYPTED_FIELDS.items():
        if name in values:
            setattr(connection, column, crypto.encrypt(values[name]))


def flush_unique(connection: ChannelConnection) -> None:
    """Flush; the partial unique index (agency, property, platform) becomes ConnectionExists."""
    try:
        with db.session.begin_nested():
            db.session.add(connection)
            db.session.flush()
    except IntegrityError as exc:
        if "uq_channel_connections_property_platform" in str(exc.orig):
            raise ConnectionExists() from None
        raise


def ensure_unique(agency_id: uuid.UUID, property_id, platform_type: str, exclude: uuid.UUID | None = None) -> None:
    if property_id is None:
        return
    query = scoped(ChannelConnection, agency_id).where(
        and_(ChannelConnection.property_id == property_id, ChannelConnection.platform_type == platform_type))
    if exclude:
        query = query.where(ChannelConnection.id != exclude)
    if db.session.scalar(query) is not None:
        raise ConnectionExists()


def create_connection(agency_id: uuid.UUID, property_id: uuid.UUID, platform_type: str, *,
                      skip_connection_test: bool = False, **values) -> ChannelConnection:
    """Create a connection for one of the agency's properties, testing it first unless skipped.

    Raises UnsupportedPlatform, PropertyNotFound, ConnectionExists, ConnectionTestFailed (nothing written).
    """
    if platform_type not in PLATFORMS:
        raise UnsupportedPlatform(platform_type)
    validate_fields(values)
    prop = owned_property(agency_id, property_id)
    ensure_unique(prop.agency_id, prop.id, platform_type)
    connection = ChannelConnection(agency_id=prop.agency_id, property_id=prop.id, platform_type=platform_type,
                                   status="active", platform_metadata={})
    apply_fields(connection, values)
    if not skip_connection_test:
        result = adapter_for(snapshot(connection)).test_connection()
        if not result.healthy:
            if result.details.get("error_code") == "INTEGRATION_DISABLED":
                raise UnsupportedPlatform(platform_type)
            raise ConnectionTestFailed(result.message)
    else:
        log.warning("Creating %s connection for property %s without a connection test", platform_type, prop.id)
    flush_unique(connection)
    return connection


def update_connection(agency_id: uuid.UUID, connection_id: uuid.UUID, values: dict) -> ChannelConnection:
    """Partial update; `property_id` maps (or with None unmaps) the connection. Raises 404/409/422."""
    connection = owned_connection(agency_id, connection_id, for_update=True)
    validate_fields(values)
    if "property_id" in values:
        property_id = values["property_id"]
        if property_id is not None:
            owned_property(agency_id, property_id)
        ensure_unique(agency_id, property_id, connection.platform_type, exclude=connection.id)
        connection.property_id = property_id
    apply_fields(connection, values)
    connection.updated_at = utcnow()
    flush_unique(connection)
    return connection


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting a connection leaves behind (the confirm dialog names it)."""
    log_count: int
    active_log_count: int
    held_ranges: int
    retention_days: int


def deletion_impact(agency_id: uuid.UUID, connection_id: uuid.UUID) -> DeletionImpact:
    """Counts of its sync logs (all, still active) and of dates its feed holds. Raises ConnectionNotFound."""
    owned_connection(agency_id, connection_id)
    logs = db.session.execute(
        select(func.count(), func.count().filter(ChannelSyncLog.status.in_(ACTIVE_SYNC_STATUSES)))
        .where(ChannelSyncLog.connection_id == connection_id)).one()
    held = db.session.scalar(select(func.count()).select_from(InventoryRange).where(
        InventoryRange.connection_id == connection_id, InventoryRange.state == "active"))
    return DeletionImpact(logs[0], logs[1], held, current_app.config["CHANNELS_SYNC_LOG_RETENTION_DAYS"])


def ical_import_url(agency_id: uuid.UUID, connection_id: uuid.UUID) -> str | None:
    """The decrypted feed URL, for the agency's own edit form (tokens are never read back)."""
    return crypto.decrypt(owned_connection(agency_id, connection_id).ical_import_url_encrypted)


def delete_connection(agency_id: uuid.UUID, connection_id: uuid.UUID) -> None:
    """Soft delete: the row stays (with its logs) but every read skips it."""
    connection = owned_connection(agency_id, connection_id, for_update=True)
    connection.deleted_at = utcnow()
    db.session.flush()


def test_connection(agency_id: uuid.UUID, connection_id: uuid.UUID) -> tuple[ChannelConnection, TestResult]:
    """Run the adapter's connection test (mock, API or iCal feed); writes nothing."""
    connection = owned_connection(agency_id, connection_id)
    return connection, adapter_for(snapshot(connection)).test_connection()


def stale_clauses(last_success) -> tuple:
    """An active connection never synced successfully or not within CHANNELS_STALE_CONNECTION_HOURS."""
    cutoff = utcnow() - timedelta(hours=current_app.config["CHANNELS_STALE_CONNECTION_HOURS"])
    return (ChannelConnection.deleted_at.is_(None), ChannelConnection.status == "active",
            or_(last_success.is_(None), last_success < cutoff))


def stale_connections(agency_id: uuid.UUID | None = None) -> list[ConnectionView]:
    """The stale connections (see `stale_clauses`) with their property names."""
    last_success = last_success_subquery()
    query = (select(ChannelConnection, Property.name, last_success)
             .outerjoin(Property, Property.id == ChannelConnection.property_id)
             .where(*stale_clauses(last_success)))
    if agency_id is not None:
        query = query.where(ChannelConnection.agency_id == agency_id)
    return [ConnectionView(row[0], row[1], row[2]) for row in db.session.execute(query)]


def stale_connection_summary(connection=None, limit: int = 20) -> dict:
    """Every agency's stale connections for readiness details: how many, and the `limit` that
    went longest without a success. One statement: one index probe per active connection on
    (connection_id, status, created_at), so it stays cheap enough for a readiness probe.
    `connection`: run on this database connection (readiness's, with its short timeout)."""
    last_success = last_success_subquery().label("last_success_at")
    query = (select(ChannelConnection.id, ChannelConnection.agency_id, ChannelConnection.platform_type,
                    last_success, func.count().over().label("total"))
             .where(*stale_clauses(last_success))
             .order_by(last_success.asc().nulls_first(), ChannelConnection.id).limit(limit))
    rows = (connection or db.session).execute(query).all()
    return {"count": rows[0].total if rows else 0,
            "threshold_hours": current_app.config["CHANNELS_STALE_CONNECTION_HOURS"],
            "connections": [{"id": str(row.id), "agency_id": str(row.agency_id), "platform_type": row.platform_type,
                             "last_success_at": row.last_success_at.isoformat() if row.last_success_at else None}
                            for row in rows]}


def seed_connection(agency_id: uuid.UUID, property_id: uuid.UUID | None, platform_type: str, *, status: str,
                    platform_listing_id: str | None, platform_metadata: dict) -> tuple[ChannelConnection, bool]:
    """Idempotent upsert for `flask seed-connection`: update (and revive) the agency's connection for this
    property and platform, else create it. Returns (connection, created)."""
    if platform_type not in PLATFORMS:
        raise UnsupportedPlatform(platform_type)
    validate_fields({"status": status, "platform_metadata": platform_metadata})
    if property_id is not None:
        owned_property(agency_id, property_id)
    connection = db.session.scalar(
        select(ChannelConnection)
        .where(ChannelConnection.agency_id == agency_id, ChannelConnection.platform_type == platform_type,
               ChannelConnection.property_id.is_not_distinct_from(property_id))
        .order_by(ChannelConnection.deleted_at.desc().nulls_first(), ChannelConnection.created_at.desc())
        .limit(1).with_for_update())
    created = connection is None
    if created:
        connection = ChannelConnection(agency_id=agency_id, property_id=property_id, platform_type=platform_type)
    connection.deleted_at = None
    apply_fields(connection, {"status": status, "platform_listing_id": platform_listing_id,
                              "platform_metadata": platform_metadata})
    connection.updated_at = utcnow()
    flush_unique(connection)
    return connection, created


def reencrypt_credentials() -> int:
    """Re-encrypt every stored credential with the newest ENCRYPTION_KEY (after adding a key)."""
    count = 0
    for connection in db.session.scalars(select(ChannelConnection)):
        for column in ENCRYPTED_FIELDS.values():
            value = getattr(connection, column)
            if value:
                setattr(connection, column, crypto.reencrypt(value))
                count += 1
    db.session.flush()
    return count
