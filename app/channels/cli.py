"""Channel manager commands: `seed-connection`, `sync-sweep-stale`, `cancel-sync-log`, `purge-logs`,
`rotate-channel-credentials`. Each calls the services, commits once and prints one summary."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.models import Agency
from app.channels.models import CONNECTION_STATUSES, PLATFORMS, ChannelConnection
from app.channels.service import connections, logs
from app.core.errors import DomainError
from app.db import utcnow
from app.extensions import db
from app.inventory.models import Property


def uuid_option(value: str | None, name: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise click.BadParameter(f"Invalid UUID format: {value!r}", param_hint=name) from None


def json_object(value: str) -> dict:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise click.BadParameter(f"Invalid JSON: {exc}", param_hint="--metadata") from None
    if not isinstance(parsed, dict):
        raise click.BadParameter("Must be a JSON object, e.g. '{\"listing_id\": \"123\"}'", param_hint="--metadata")
    return parsed


def resolve_agency(agency_id: uuid.UUID | None, property_id: uuid.UUID | None) -> uuid.UUID:
    """The property's agency, else the given one, else the first agency."""
    if property_id is not None:
        prop = db.session.get(Property, property_id)
        if prop is None or prop.deleted_at is not None:
            raise click.BadParameter(f"No property with id {property_id}", param_hint="--property-id")
        return prop.agency_id
    if agency_id is not None:
        if db.session.get(Agency, agency_id) is None:
            raise click.BadParameter(f"No agency with id {agency_id}", param_hint="--agency-id")
        return agency_id
    first = db.session.scalar(select(Agency.id).order_by(Agency.created_at).limit(1))
    if first is None:
        raise click.ClickException("No agencies found. Create one first (flask create-user) or pass --agency-id.")
    return first


def purge_connection_logs(connection_id: uuid.UUID, yes: bool) -> int:
    found = logs.reset_connection_logs(connection_id, dry_run=True)
    if found and not yes:
        click.confirm(f"Found {found} sync logs for connection {connection_id}. Delete all of them?", abort=True)
    return logs.reset_connection_logs(connection_id) if found else 0


@click.command("seed-connection")
@click.option("--property-id", help="Property UUID (its agency is used); omit for an unmapped connection.")
@click.option("--agency-id", help="Agency UUID when no property is given (default: the first agency).")
@click.option("--platform", default="airbnb", show_default=True, help=f"One of: {', '.join(PLATFORMS)}")
@click.option("--status", default="active", show_default=True, help=f"One of: {', '.join(CONNECTION_STATUSES)}")
@click.option("--listing-id", default=None, help="Platform listing id (default: <platform>_listing_789).")
@click.option("--metadata", default="{}", show_default=True, help="Platform metadata as a JSON object.")
@click.option("--print-cid", is_flag=True, help="Print only the connection id (for scripts).")
@click.option("--reset-logs", is_flag=True, help="Delete this connection's sync logs (asks unless --yes).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def seed_connection_command(property_id, agency_id, platform, status, listing_id, metadata, print_cid,
                            reset_logs, yes) -> None:
    """Create or update (idempotently) one channel connection for testing and demos."""
    if platform not in PLATFORMS:
        raise click.BadParameter(f"Invalid platform {platform!r}. Allowed: {', '.join(PLATFORMS)}",
                                 param_hint="--platform")
    if status not in CONNECTION_STATUSES:
        raise click.BadParameter(f"Invalid status {status!r} (case-sensitive). Allowed: "
                                 f"{', '.join(CONNECTION_STATUSES)}", param_hint="--status")
    property_uuid = uuid_option(property_id, "--property-id")
    agency_uuid = resolve_agency(uuid_option(agency_id, "--agency-id"), property_uuid)
    try:
        connection, created = connections.seed_connection(
            agency_uuid, property_uuid, platform, status=status, platform_metadata=json_object(metadata),
            platform_listing_id=listing_id or f"{platform}_listing_789")
    except DomainError as exc:
        raise click.ClickException(f"Failed to seed connection: {exc.detail}") from None
    purged = purge_connection_logs(connection.id, yes) if reset_logs else None
    db.session.commit()
    if print_cid:
        click.echo(str(connection.id))
        return
    click.echo(f"✅ CHANNEL CONNECTION SEEDED ({'created' if created else 'updated'})\n"
               f"Connection ID:   {connection.id}\nAgency ID:       {agency_uuid}\n"
               f"Property ID:     {connection.property_id or '-'}\nPlatform Type:   {platform}\n"
               f"Status:          {status}\nListing ID:      {connection.platform_listing_id}")
    if purged is not None:
        click.echo(f"✓ Purged {purged} sync logs")


@click.command("sync-sweep-stale")
@click.option("--minutes", type=click.IntRange(1, 100000), default=None,
              help="Age without update (default: CHANNELS_SYNC_LOG_STALE_MINUTES).")
@with_appcontext
def sync_sweep_stale_command(minutes: int | None) -> None:
    """Mark sync logs stuck in triggered/queued/running as failed."""
    minutes = minutes or current_app.config["CHANNELS_SYNC_LOG_STALE_MINUTES"]
    count = logs.sweep_stale_sync_logs(minutes=minutes)
    db.session.commit()
    click.echo(f"Marked {count} stale sync log(s) as failed (no update for {minutes} minutes)")


@click.command("cancel-sync-log")
@click.argument("log_id")
@with_appcontext
def cancel_sync_log_command(log_id: str) -> None:
    """Cancel a sync log that has not finished (triggered, queued or running), of any agency."""
    try:
        sync_log = logs.cancel_sync_log(uuid_option(log_id, "LOG_ID"), cancelled_by="cli")
    except DomainError as exc:
        raise click.ClickException(str(exc.detail)) from None
    db.session.commit()
    click.echo(f"Sync log {sync_log.id} ({sync_log.operation_type}) is cancelled")


@click.command("purge-logs")
@click.option("--days", type=click.IntRange(1, 3650), default=None,
              help="Delete logs older than this (default: CHANNELS_SYNC_LOG_RETENTION_DAYS).")
@click.option("--connection", "connection_id", default=None, help="Only this connection's logs (UUID).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def purge_logs_command(days: int | None, connection_id: str | None, dry_run: bool) -> None:
    """Delete old sync logs (in batches); never touches bookings, inventory or connections."""
    days = days or current_app.config["CHANNELS_SYNC_LOG_RETENTION_DAYS"]
    if days <= 0:
        raise click.BadParameter("retention is disabled (CHANNELS_SYNC_LOG_RETENTION_DAYS=0); pass --days", param_hint="--days")
    connection_uuid = uuid_option(connection_id, "--connection")
    if connection_uuid is not None:
        connection = db.session.get(ChannelConnection, connection_uuid)
        if connection is None:
            raise click.BadParameter(f"No connection with id {connection_uuid}", param_hint="--connection")
        count = logs.purge_sync_logs(connection.agency_id, connection.id, days, dry_run).count
        db.session.commit()
    elif dry_run:
        count = logs.count_expired(utcnow() - timedelta(days=days))
    else:
        count = logs.purge_logs_older_than(days)
    scope = f" of connection {connection_uuid}" if connection_uuid else ""
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {count} sync log(s){scope} older than {days} days")


@click.command("rotate-channel-credentials")
@with_appcontext
def rotate_channel_credentials_command() -> None:
    """Re-encrypt stored channel credentials with the newest key in ENCRYPTION_KEY."""
    count = connections.reencrypt_credentials()
    db.session.commit()
    click.echo(f"Re-encrypted {count} credential(s) with the newest key")
