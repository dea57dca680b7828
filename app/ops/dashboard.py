"""The dashboard (the landing page after login): today's arrivals and departures, occupancy of
the next 30 days, and for admins and managers the channel manager's trouble spots (failed sync
operations of the last 24 h, connections never synced or stale, open overbooking conflicts).

Each panel loads on its own: one failing query shows that panel's error state, not an error page.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app

from app.channels import service as channels
from app.channels.service import conflicts
from app.direct import views as direct_requests
from app.inventory.service import Stay, overview
from app.ops import service
from app.web.auth import current_agency_id, protect_pages
from app.web.htmx import render_page_or_partial
from app.web.pages import agency_timezone, may_open
from app.web.panels import load

bp = protect_pages(Blueprint("dashboard", __name__))
OCCUPANCY_DAYS = 30
FAILED_WINDOW = timedelta(hours=24)


def channel_panels(agency_id: uuid.UUID, now: datetime) -> dict:
    """The sync panels link to connection pages: shown where those are mounted and the role may open them."""
    if not may_open("channels.connections"):
        return {"show_channels": False}
    return {"show_channels": True, "stale_hours": current_app.config["CHANNELS_STALE_CONNECTION_HOURS"],
            "failed": load("failed sync operations", lambda: service.failed_operations(agency_id, now - FAILED_WINDOW)),
            "conflicts": load("overbooking conflicts", lambda: conflicts.list_conflicts(agency_id, "open", limit=5)),
            "stale": load("connections", lambda: stale_first(channels.stale_connections(agency_id)))}


def stale_first(views: list[channels.ConnectionView]) -> list[channels.ConnectionView]:
    """Never synced first, then the longest without a successful sync."""
    return sorted(views, key=lambda view: (view.last_success_at is not None, view.last_success_at))


@bp.get("/")
def index():
    agency_id, now = current_agency_id(), datetime.now(timezone.utc)
    today = now.astimezone(agency_timezone()).date()
    window = Stay(today, today + timedelta(days=OCCUPANCY_DAYS))
    context = {"today": today, "window": window,
               "arrivals": load("arrivals", lambda: overview.arrivals(agency_id, today)),
               "departures": load("departures", lambda: overview.departures(agency_id, today)),
               "occupancy": load("occupancy", lambda: overview.occupancy(agency_id, window)),
               **channel_panels(agency_id, now), **direct_requests.panel_context(agency_id)}
    return render_page_or_partial("ops/dashboard.html", "ops/partials/_dashboard_panels.html", **context)
