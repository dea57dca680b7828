"""Layout details: favicon, times named with their zone, the dashboard heading."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import g


def test_pages_link_a_favicon_that_is_served(logged_in):
    client = logged_in("staff")
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="(/static/favicon.svg\?v=[0-9a-f]{16})" type="image/svg\+xml">', html)
    icon = client.get(href.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.get_data()
    icon.close()


def test_times_are_shown_in_the_agency_zone_with_its_name(app):
    from app.web.pages import format_datetime

    with app.test_request_context():
        g.agency_tz = ZoneInfo("Europe/Berlin")
        assert format_datetime(datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)) == "2026-01-15 13:00 CET"
        assert format_datetime(datetime(2026, 7, 15, 12, 0, 5, tzinfo=timezone.utc), "%H:%M:%S") == "14:00:05 CEST"
        assert format_datetime(None) == "—"


def test_dashboard_heading_is_only_the_page_name(logged_in):
    html = logged_in("manager").get("/").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html and 'id="dashboard-date"' in html
