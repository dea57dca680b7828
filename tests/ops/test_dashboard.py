"""Dashboard: today's arrivals and departures, occupancy of the next 30 days, failed sync
operations of the last 24 h and stale connections; each panel with its empty and error state."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from tests.factories import day, hx
from tests.faults import table_locked
from tests.inventory.test_views import is_fragment, text


def connection(app, prop, *, last_sync_hours_ago: float | None = None, status: str = "active",
               platform: str = "airbnb"):
    from app.channels.models import ChannelConnection
    from app.extensions import db

    last_sync = datetime.now(timezone.utc) - timedelta(hours=last_sync_hours_ago) if last_sync_hours_ago else None
    with app.app_context():
        row = ChannelConnection(agency_id=prop.agency_id, property_id=prop.id, platform_type=platform,
                                status=status, last_sync_at=last_sync)
        db.session.add(row)
        db.session.commit()
        return row.id


def sync_log(app, prop, connection_id, status: str, hours_ago: float, error: str | None = None):
    from app.channels.models import ChannelSyncLog
    from app.extensions import db

    at = datetime.now(timezone.utc) - timedelta(hours=hours_ago)
    with app.app_context():
        row = ChannelSyncLog(tenant_id=prop.agency_id, connection_id=connection_id, property_id=prop.id,
                             operation_type="availability_update", status=status, error=error, created_at=at,
                             updated_at=at, finished_at=at)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_arrivals_departures_and_occupancy(app, logged_in, make_property, make_booking):
    from app.extensions import db
    from app.inventory import service

    client = logged_in("staff")
    haus = make_property(client.user.agency, name="Haus")
    make_property(client.user.agency, name="Loft")
    arriving = make_booking(haus, day(0), day(3), guest=service.GuestDetails("Anna", "Schmidt"))
    leaving = make_booking(haus, day(-2), day(0), guest=service.GuestDetails("Jonas", "Weber"), source="airbnb",
                           external_ref="HM-1")  # imported: past arrivals are allowed
    with app.app_context():
        service.create_block(haus.agency_id, haus.id, service.Stay(day(10), day(12)), "Owner stay")
        db.session.commit()
    body = text(client.get("/"))
    arrivals = body.split('id="dashboard-arrivals"')[1].split("</section>")[0]
    departures = body.split('id="dashboard-departures"')[1].split("</section>")[0]
    assert f"dashboard-arrivals-{arriving.id}" in arrivals and "Anna Schmidt" in arrivals and str(day(3)) in arrivals
    assert f"dashboard-departures-{leaving.id}" in departures and "Jonas Weber" in departures
    # 3 nights sold of 60 - 2 blocked = 58 bookable nights
    assert re.search(r'id="occupancy-total">5 %</p>', body) and "3 of 58 bookable nights sold" in body
    assert "2 nights blocked" in body and f'id="occupancy-{haus.id}"' in body
    assert 'id="dashboard-failed-syncs"' not in body  # connections are for admins and managers


def test_empty_dashboard(logged_in):
    client = logged_in("admin")
    body = text(client.get("/"))
    for message in ("No arrivals today.", "No departures today.", "No properties yet.",
                    "No failed sync operations in the last 24 hours.",
                    "Every active connection synced within the last 24 hours."):
        assert message in body
    refresh = client.get("/", headers=hx())
    assert is_fragment(refresh, '<div id="dashboard-panels"') and 'id="dashboard-refresh"' not in text(refresh)
    assert 'hx-get="/" hx-target="#dashboard-panels"' in text(client.get("/"))


def test_failed_operations_and_stale_connections_link_to_their_connection(app, logged_in, make_property):
    client = logged_in("manager")
    haus, loft = make_property(client.user.agency, name="Haus"), make_property(client.user.agency, name="Loft")
    fresh = connection(app, haus, last_sync_hours_ago=1)
    sync_log(app, haus, fresh, "success", hours_ago=1)
    failed = sync_log(app, haus, fresh, "failed", hours_ago=2, error="HTTP 503 from channel")
    sync_log(app, haus, fresh, "failed", hours_ago=30, error="too old to show")
    never = connection(app, loft, platform="booking_com")
    stale = connection(app, loft, platform="expedia", last_sync_hours_ago=40)
    sync_log(app, loft, stale, "success", hours_ago=40)
    connection(app, haus, platform="google", status="paused")  # paused connections are not expected to sync
    body = text(client.get("/"))
    failures = body.split('id="dashboard-failed-syncs"')[1].split("</section>")[0]
    assert f'id="failed-sync-{failed}"' in failures and "HTTP 503 from channel" in failures
    assert f'href="/connections/{fresh}"' in failures and "too old to show" not in failures
    stale_panel = body.split('id="dashboard-stale-connections"')[1].split("</section>")[0]
    assert f'href="/connections/{never}"' in stale_panel and f'href="/connections/{stale}"' in stale_panel
    assert stale_panel.index(str(never)) < stale_panel.index(str(stale)) and "Never" in stale_panel
    assert "Loft · Booking.com" in stale_panel and "Haus · Airbnb" in failures
    assert str(fresh) not in stale_panel and "Google" not in stale_panel


def test_a_failing_panel_shows_its_error_and_the_rest_still_renders(impatient_client, make_property,
                                                                     make_booking, database_url):
    client = impatient_client("admin")
    prop = make_property(client.user.agency)
    make_booking(prop, day(0), day(2))
    with table_locked(database_url, "channel_sync_logs"):
        response = client.get("/")
    body = text(response)
    assert response.status_code == 200
    assert "Could not load failed sync operations. The database is busy" in body  # a lock timeout: retry hint
    assert 'id="dashboard-arrivals-' in body and 'id="occupancy-total"' in body
