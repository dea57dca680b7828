"""The public iCal export feed and its token; feed parsing of what channels send."""
from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from app.channels.adapters.ical import parse_feed


def test_export_parses_and_matches_active_ranges(client, make_user, make_property, make_range):
    user = make_user()
    prop = make_property(user.agency, name="Haus am See")
    today = date.today()
    booking = make_range(prop, today + timedelta(days=3), today + timedelta(days=6))
    block = make_range(prop, today + timedelta(days=10), today + timedelta(days=12), kind="block")
    make_range(prop, today + timedelta(days=20), today + timedelta(days=25), state="released")
    make_range(prop, today - timedelta(days=90), today - timedelta(days=80))  # long past: not exported
    other = make_property(make_user().agency)
    make_range(other, today + timedelta(days=3), today + timedelta(days=6))
    response = client.get(f"/ical/{prop.ical_token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar.get("X-WR-CALNAME")) == "Haus am See"
    events = sorted((e.start, e.end, str(e.get("SUMMARY")), str(e.get("UID"))) for e in calendar.events)
    assert events == [
        (booking.start_date, booking.end_date, "Reserved", f"booking-{booking.source_id}@fewo-pms"),
        (block.start_date, block.end_date, "Not available", f"block-{block.source_id}@fewo-pms")]
    assert client.head(f"/ical/{prop.ical_token}.ics").status_code == 200


def test_unknown_token_is_404_and_rotation_replaces_the_url(client, make_user, make_property, bearer):
    user = make_user(role="manager")
    prop = make_property(user.agency)
    assert client.get("/ical/not-a-token.ics").status_code == 404
    export = f"/api/v1/properties/{prop.id}/ical-export"
    url = client.get(export, headers=bearer(user)).get_json()["url"]
    assert url == f"http://localhost/ical/{prop.ical_token}.ics"
    assert client.post(f"/api/v1/properties/{prop.id}/ical-token", headers=bearer(user)).status_code == 200
    new_url = client.get(export, headers=bearer(user)).get_json()["url"]
    assert new_url != url
    assert client.get(url.removeprefix("http://localhost")).status_code == 404
    assert client.get(new_url.removeprefix("http://localhost")).status_code == 200
    stranger = make_user()
    assert client.get(export, headers=bearer(stranger)).status_code == 404


def test_feed_parsing_marks_blocks_and_skips_unusable_events():
    feed = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//channel//EN\r
BEGIN:VEVENT\r
UID:res-1@airbnb\r
DTSTART;VALUE=DATE:20310301\r
DTEND;VALUE=DATE:20310304\r
SUMMARY:Reserved\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:block-9@airbnb\r
DTSTART;VALUE=DATE:20310310\r
DTEND;VALUE=DATE:20310312\r
SUMMARY:Airbnb (Not available)\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:broken\r
DTSTART;VALUE=DATE:20310320\r
DTEND;VALUE=DATE:20310318\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20310401T150000Z\r
DTEND:20310403T100000Z\r
SUMMARY:CLOSED - Not available\r
END:VEVENT\r
END:VCALENDAR\r
"""
    reservations, skipped = parse_feed(feed)
    assert skipped == 1
    assert [(r.external_uid, r.start, r.end, r.is_block) for r in reservations[:2]] == [
        ("res-1@airbnb", date(2031, 3, 1), date(2031, 3, 4), False),
        ("block-9@airbnb", date(2031, 3, 10), date(2031, 3, 12), True)]
    no_uid = reservations[2]
    assert (no_uid.start, no_uid.end, no_uid.is_block) == (date(2031, 4, 1), date(2031, 4, 3), True)
    assert parse_feed(feed)[0][2].external_uid == no_uid.external_uid  # derived UIDs are stable
