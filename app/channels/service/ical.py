"""iCal: each property's secret export feed, and importing a channel's feed as channel holds.

Import rules (spec 30): idempotent by event UID; an event that left the feed
releases its hold; an event overlapping existing occupancy is recorded as an
overbooking conflict and the import goes on; a feed that comes back empty or
shrinks by more than half is suspicious and releases nothing until an
operator confirms (`confirm_feed_shrink`).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from flask import url_for
from icalendar import Calendar, Event
from sqlalchemy import select

from app.channels.adapters.base import ConnectionSnapshot, FeedShrank, Reservation
from app.channels.service.conflicts import clear_resolved, record_conflict
from app.core.errors import Conflict, NotFound
from app.db import utcnow
from app.extensions import db
from app.inventory import service as inventory
from app.inventory.models import InventoryRange, Property

EXPORT_PAST_DAYS = 30
EXPORT_FUTURE_DAYS = 3 * 365
SUMMARIES = {"booking": "Reserved", "channel_hold": "Reserved", "block": "Not available"}


def ical_url(prop: Property) -> str:
    """The property's public export URL (its token is rotated by the inventory service)."""
    return url_for("ical_feed.property_calendar", token=prop.ical_token, _external=True)


def export_uid(item) -> str:
    """By what occupies the dates, so a moved stay keeps its UID in subscribers' calendars."""
    source = item.booking_id or item.block_id or f"{item.connection_id}-{item.external_uid}"
    return f"{item.kind}-{source}@fewo-pms"


def export_calendar(token: str) -> bytes:
    """The property's occupied dates (active inventory ranges) as an RFC 5545 calendar. Raises NotFound."""
    prop = inventory.find_property_by_ical_token(token)
    if prop is None:
        raise NotFound("Calendar not found")
    today = utcnow().date()
    window = inventory.Stay(today - timedelta(days=EXPORT_PAST_DAYS), today + timedelta(days=EXPORT_FUTURE_DAYS))
    calendar = Calendar()
    calendar.add("prodid", "-//Fewo PMS//Channel Manager//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", prop.name)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for item in inventory.list_active_ranges(prop.agency_id, window, [prop.id]):
        event = Event()
        event.add("uid", export_uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start_date)
        event.add("dtend", item.end_date)
        event.add("summary", SUMMARIES.get(item.kind, "Reserved"))
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def held_uids(connection_id: uuid.UUID, *, future: bool) -> set[str]:
    """UIDs of the connection's active holds ending after today (future) or not."""
    today = utcnow().date()
    end_clause = InventoryRange.end_date > today if future else InventoryRange.end_date <= today
    return set(db.session.scalars(
        select(InventoryRange.external_uid).where(InventoryRange.connection_id == connection_id,
                                                  InventoryRange.kind == "channel_hold",
                                                  InventoryRange.state == "active", end_clause)))


def check_feed_size(future: list[Reservation], held: int, confirmed: bool) -> None:
    """Refuse a feed that suddenly lost (nearly) everything: a broken export, not mass cancellations."""
    if confirmed or held == 0 or len(future) * 2 >= held:
        return
    raise FeedShrank(len(future), held)


def upsert_holds(connection: ConnectionSnapshot, events: list[Reservation],
                 sync_log_id: uuid.UUID | None = None) -> tuple[int, list[dict]]:
    """Upsert one hold per event, each in its own savepoint; overlaps become conflicts (in the
    log's details and as conflict rows; open ones the feed no longer produces are cleared)."""
    imported, conflicts, still_open = 0, [], []
    for event in events:
        try:
            with db.session.begin_nested():
                inventory.upsert_channel_hold(connection.agency_id, connection.property_id, connection.id,
                                    event.external_uid, event.start, event.end)
            imported += 1
        except Conflict as exc:
            conflicts.append({"uid": event.external_uid, "start_date": event.start.isoformat(),
                              "end_date": event.end.isoformat(), "summary": event.summary[:120],
                              "reason": str(exc.detail)})
            still_open.append(record_conflict(connection, event, str(exc.detail), sync_log_id).id)
    clear_resolved(connection, still_open)
    return imported, conflicts


def release_vanished(connection: ConnectionSnapshot, held_future: set[str], feed_uids: set[str]) -> int:
    """Release the holds whose event left the feed; past holds are history and stay."""
    vanished = held_future - feed_uids
    if not vanished:
        return 0
    inventory.release_channel_holds(connection.agency_id, connection.id, feed_uids | held_uids(connection.id, future=False))
    return len(vanished)


def import_reservations(connection: ConnectionSnapshot, reservations: list[Reservation],
                        confirm_shrink: bool = False, sync_log_id: uuid.UUID | None = None) -> dict:
    """Make the connection's holds match the feed; returns counts and conflicts for the log."""
    today = utcnow().date()
    future = [r for r in reservations if r.end > today]
    held_future = held_uids(connection.id, future=True)
    check_feed_size(future, len(held_future), confirm_shrink)
    imported, conflicts = upsert_holds(connection, future, sync_log_id)
    released = release_vanished(connection, held_future, {r.external_uid for r in future})
    return {"events_in_feed": len(reservations), "upcoming_events": len(future),
            "blocks": sum(r.is_block for r in future), "imported": imported, "released": released,
            "conflicts": conflicts}


def conflict_error(details: dict) -> str | None:
    """The log's error text when an import found overbooking conflicts."""
    conflicts = details.get("conflicts") or []
    if not conflicts:
        return None
    first = conflicts[0]
    more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
    return (f"Overbooking conflict: channel event {first['uid']} ({first['start_date']} to "
            f"{first['end_date']}) overlaps existing occupancy{more}. The other events were imported.")

