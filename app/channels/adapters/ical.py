"""Reading a channel's iCal feed (the protocol most vacation-rental channels offer).

Each VEVENT becomes a Reservation keyed by its UID. "Not available" windows
that channels export for blocked days are marked as blocks, not bookings.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

from icalendar import Calendar

from app.channels.adapters.base import ChannelBadResponse, Reservation
from app.channels.adapters.wire import Wire, describe

# Summaries channels use for closed days rather than guest stays
# (Airbnb "Not available", Booking.com "CLOSED - Not available", Vrbo "Blocked").
BLOCK_SUMMARY = re.compile(r"not available|blocked|closed|unavailable", re.IGNORECASE)


def as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def event_reservation(event) -> Reservation | None:
    """One VEVENT as a Reservation; None when its dates are unusable."""
    try:
        start = as_date(event.start)
        end = as_date(event.end) if event.get("DTEND") or event.get("DURATION") else start + timedelta(days=1)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    if not isinstance(start, date) or not isinstance(end, date) or end <= start:
        return None
    summary = str(event.get("SUMMARY") or "")
    uid = str(event.get("UID") or "")
    if not uid:  # a feed without UIDs still needs a stable key per event
        uid = hashlib.sha1(f"{start}|{end}|{summary}".encode()).hexdigest()
    return Reservation(uid, start, end, summary, bool(BLOCK_SUMMARY.search(summary)))


def parse_feed(body: bytes) -> tuple[list[Reservation], int]:
    """Reservations of a feed and the number of events skipped as unreadable."""
    try:
        calendar = Calendar.from_ical(body)
    except ValueError:
        raise ChannelBadResponse("iCal feed is malformed (unreadable calendar data)") from None
    reservations, skipped = [], 0
    for event in calendar.walk("VEVENT"):
        reservation = event_reservation(event)
        if reservation is None:
            skipped += 1
        else:
            reservations.append(reservation)
    return reservations, skipped


def fetch_feed(wire: Wire, url: str) -> tuple[list[Reservation], int]:
    """Reservations of the feed at a user-set URL: sent without any channel credentials."""
    response = wire.send("GET", url, authenticated=False, headers={"Accept": "text/calendar"})
    if b"BEGIN:VCALENDAR" not in response.content[:2048]:
        raise ChannelBadResponse(f"iCal feed is malformed (no VCALENDAR): {describe(response)}",
                                 http_status=response.status_code)
    return parse_feed(response.content)


def feed_test_details(wire: Wire, url: str) -> dict:
    """What a connection test reports for a feed it could read."""
    reservations, skipped = fetch_feed(wire, url)
    return {"source": "ical", "events": len(reservations), "skipped_events": skipped}
