"""Bookings sync from a channel's iCal feed (served by the simulator) into channel holds."""
from __future__ import annotations

from datetime import date

import pytest
import requests
from sqlalchemy import select

from tests.factories import day, hx

CONNECTIONS = "/api/v1/channel-connections/"


def event(uid: str, start: date, end: date, summary: str = "Reserved") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;VALUE=DATE:{start:%Y%m%d}\r\n"
            f"DTEND;VALUE=DATE:{end:%Y%m%d}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n")


@pytest.fixture
def feed(simulator):
    """Publish a feed on the simulator: feed(("uid", start, end[, summary]), ...) -> its URL."""
    url = f"{simulator.url}/feeds/airbnb-listing.ics"

    def publish(*events) -> str:
        body = "".join(event(*e) for e in events)
        requests.put(f"{simulator.url}/_sim/feeds/airbnb-listing", timeout=5,
                     data=f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sim//EN\r\n{body}END:VCALENDAR\r\n")
        return url
    return publish


@pytest.fixture
def ical_setup(setup, feed):
    """A connection whose bookings come from the simulator's iCal feed."""
    return setup(ical_import_url=feed())


@pytest.fixture
def import_feed(client, run_worker):
    """Run a bookings sync and return its log."""
    def run(headers, connection, **extra) -> dict:
        response = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers,
                               json={"sync_type": "bookings", **extra})
        assert response.status_code == 200, response.get_data(as_text=True)
        run_worker()
        return client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["logs"][0]
    return run


@pytest.fixture
def holds(app):
    """The connection's active holds as {uid: (start, end)}."""
    from app.extensions import db
    from app.inventory.models import InventoryRange

    def read(connection) -> dict:
        with app.app_context():
            rows = db.session.scalars(select(InventoryRange).where(
                InventoryRange.connection_id == connection.id, InventoryRange.state == "active"))
            return {row.external_uid: (row.start_date, row.end_date) for row in rows}
    return read


def test_import_is_idempotent_moves_and_releases(ical_setup, feed, import_feed, holds, client):
    _, headers, prop, connection = ical_setup
    feed(("r1", day(5), day(8)), ("r2", day(20), day(23)), ("b1", day(30), day(31), "Airbnb (Not available)"))
    first = import_feed(headers, connection)
    assert first["status"] == "success", first["error"]
    assert first["details"]["imported"] == 3 and first["details"]["blocks"] == 1
    assert first["details"]["source"] == "ical" and first["details"]["conflicts"] == []
    expected = {"r1": (day(5), day(8)), "r2": (day(20), day(23)), "b1": (day(30), day(31))}
    assert holds(connection) == expected
    again = import_feed(headers, connection)
    assert again["status"] == "success" and again["details"]["released"] == 0
    assert holds(connection) == expected  # nothing changed
    feed(("r1", day(6), day(9)), ("r2", day(20), day(23)))  # r1 moved, b1 left the feed
    moved = import_feed(headers, connection)
    assert moved["status"] == "success" and moved["details"]["released"] == 1
    assert holds(connection) == {"r1": (day(6), day(9)), "r2": (day(20), day(23))}
    exported = client.get(f"/ical/{prop.ical_token}.ics").get_data(as_text=True)
    assert exported.count("BEGIN:VEVENT") == 2  # the holds are occupied dates of the export feed


def test_overlap_is_recorded_as_overbooking_conflict(ical_setup, feed, import_feed, holds, make_range):
    _, headers, prop, connection = ical_setup
    make_range(prop, day(10), day(14))  # a direct booking
    feed(("clash", day(12), day(15)), ("fine", day(20), day(22)))
    log = import_feed(headers, connection)
    assert log["status"] == "failed" and log["retry_count"] == 0
    assert log["error"].startswith("Overbooking conflict: channel event clash")
    assert log["details"]["error_type"] == "overbooking_conflict"
    [conflict] = log["details"]["conflicts"]
    assert conflict["uid"] == "clash" and conflict["start_date"] == day(12).isoformat()
    assert holds(connection) == {"fine": (day(20), day(22))}  # the import went on with the others


def test_suspicious_shrink_releases_nothing_until_confirmed(ical_setup, feed, import_feed, holds):
    _, headers, _, connection = ical_setup
    feed(("a", day(3), day(5)), ("b", day(7), day(9)), ("c", day(11), day(13)))
    assert import_feed(headers, connection)["status"] == "success"
    feed()  # the channel's export broke and came back empty
    refused = import_feed(headers, connection)
    assert refused["status"] == "failed" and refused["error"].startswith("Suspicious iCal feed")
    assert refused["retry_count"] == 0 and len(holds(connection)) == 3
    assert refused["details"]["error_type"] == "feed_shrank"
    assert refused["details"]["feed_shrink"] == {"upcoming_events": 0, "held_events": 3}
    confirmed = import_feed(headers, connection, confirm_feed_shrink=True)
    assert confirmed["status"] == "success" and confirmed["details"]["released"] == 3
    assert holds(connection) == {}


def test_malformed_feed_fails_after_retries(setup, import_feed, simulator, holds):
    requests.put(f"{simulator.url}/_sim/feeds/broken", data=b"<html>Bad gateway</html>", timeout=5)
    _, headers, _, connection = setup(ical_import_url=f"{simulator.url}/feeds/broken.ics")
    log = import_feed(headers, connection)
    assert log["status"] == "failed" and log["retry_count"] == 3
    assert log["error"].startswith("Malformed channel response after 3 retries: iCal feed is malformed")
    assert holds(connection) == {}


def test_reservations_from_the_channel_api_become_holds(setup, import_feed, simulator, holds):
    _, headers, _, connection = setup()
    requests.put(f"{simulator.url}/_sim/reservations/airbnb/{connection.platform_listing_id}", timeout=5,
                 json=[{"id": "HMX-1", "check_in": day(4).isoformat(), "check_out": day(6).isoformat()}])
    log = import_feed(headers, connection)
    assert log["status"] == "success" and log["details"]["source"] == "api" and log["details"]["imported"] == 1
    assert holds(connection) == {"HMX-1": (day(4), day(6))}


def test_mock_mode_still_reads_a_real_ical_feed(setup, feed, import_feed, holds, mock_mode, client,
                                                sim_requests):
    """Mock mode covers platform APIs only: a connection's iCal import URL is fetched and imported."""
    url = feed(("demo-1", day(4), day(7)))
    _, headers, _, connection = setup(ical_import_url=url)
    test = client.post(f"{CONNECTIONS}{connection.id}/test", headers=headers).get_json()
    assert test["healthy"] is True and test["details"]["source"] == "ical" and test["details"]["events"] == 1
    assert test["details"]["api_simulated"] is True and test["details"]["mock_mode"] is False
    log = import_feed(headers, connection)
    assert log["status"] == "success", log["error"]
    assert log["details"]["source"] == "ical" and log["details"]["imported"] == 1
    assert holds(connection) == {"demo-1": (day(4), day(7))}
    assert not sim_requests("/airbnb/")  # the platform API itself stayed simulated


def test_mock_mode_without_a_feed_simulates_bookings(setup, import_feed, holds, mock_mode, client):
    _, headers, _, connection = setup()
    log = import_feed(headers, connection)
    assert log["status"] == "success" and log["details"]["mock_mode"] is True
    assert holds(connection) == {}


def test_import_anyway_in_the_back_office_explains_confirms_and_releases(ical_setup, feed, import_feed, holds,
                                                                         run_worker, app, login):
    user, headers, _, connection = ical_setup
    feed(("a", day(3), day(5)), ("b", day(7), day(9)), ("c", day(11), day(13)))
    assert import_feed(headers, connection)["status"] == "success"
    feed(("a", day(3), day(5)))
    refused = import_feed(headers, connection)
    assert refused["status"] == "failed" and len(holds(connection)) == 3
    browser = login(app.test_client(), user)
    log_id = refused["id"]
    log_url = f"/connections/{connection.id}/sync-logs/{log_id}"
    detail = " ".join(browser.get(log_url, headers=hx()).get_data(as_text=True).split())
    assert "iCal feed shrank." in detail and "It lists 1 upcoming event, but 3 upcoming stays are held from it." in detail
    assert f'{log_url}/import-anyway' in detail and "Import anyway…" in detail
    confirm = browser.get(f"{log_url}/import-anyway", headers=hx()).get_data(as_text=True)
    assert f'<dialog id="import-anyway-dialog-{log_id}"' in confirm and "up to 2 stays" in confirm
    started = browser.post(f"{log_url}/import-anyway", headers=hx())
    body = started.get_data(as_text=True)
    assert started.status_code == 200 and "Retry started as batch" in body
    assert f'id="import-anyway-dialog-{log_id}" hx-swap-oob="delete"' in body
    assert len(holds(connection)) == 3  # nothing released before the worker runs
    run_worker()
    logs = browser.get(f"/api/v1/channel-connections/{connection.id}/sync-logs").get_json()["logs"]
    assert logs[0]["status"] == "success" and logs[0]["details"]["confirm_feed_shrink"] is True
    assert logs[0]["details"]["retry_of"] == log_id and logs[0]["details"]["released"] == 2
    assert holds(connection) == {"a": (day(3), day(5))}


@pytest.fixture
def conflict_rows(app):
    """The connection's conflict records as {uid: (status, collided_kind, collided_source_id)}."""
    from app.channels.models import ChannelConflict
    from app.extensions import db

    def read(connection) -> dict:
        with app.app_context():
            rows = db.session.scalars(select(ChannelConflict).where(ChannelConflict.connection_id == connection.id))
            return {row.external_uid: (row.status, row.collided_kind, row.collided_source_id) for row in rows}
    return read


def test_conflicts_are_recorded_cleared_and_reopened(ical_setup, feed, import_feed, make_range, conflict_rows, app):
    from app.extensions import db
    from app.inventory.models import InventoryRange

    _, headers, prop, connection = ical_setup
    booking = make_range(prop, day(10), day(14))
    feed(("clash", day(12), day(15)), ("fine", day(20), day(22)))
    log = import_feed(headers, connection)
    assert log["details"]["conflicts"][0]["uid"] == "clash"  # the log keeps its record as before
    assert conflict_rows(connection) == {"clash": ("open", "booking", booking.source_id)}
    import_feed(headers, connection)
    assert conflict_rows(connection) == {"clash": ("open", "booking", booking.source_id)}  # one row per event

    with app.app_context():  # someone freed the dates: the next import holds the event and clears the conflict
        db.session.get(InventoryRange, booking.id).state = "released"
        db.session.commit()
    assert import_feed(headers, connection)["status"] == "success"
    assert conflict_rows(connection)["clash"][0] == "cleared"

    feed(("fine", day(20), day(22)))  # the event left the feed and came back onto taken dates: open again
    import_feed(headers, connection)
    other = make_range(prop, day(12), day(13), kind="block")
    feed(("clash", day(12), day(15)), ("fine", day(20), day(22)))
    import_feed(headers, connection)
    assert conflict_rows(connection)["clash"] == ("open", "block", other.source_id)
