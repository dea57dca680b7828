"""Guest pages (blueprint `guests`): list with search, detail with metrics and booking timeline."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from flask import Blueprint, request

from app.guests import service
from app.guests.schemas import GuestListQuery
from app.web.auth import current_agency_id, protect_pages
from app.web.htmx import render_page_or_partial
from app.web.panels import load, load_list

bp = protect_pages(Blueprint("guests", __name__))
PAGE_SIZE = 25


@bp.app_template_filter("arrival_day")
def arrival_day(value: datetime | None) -> str:
    """first/last_booking_at hold arrival days as 00:00 UTC: show that day, not a time shifted to local."""
    return value.astimezone(timezone.utc).date().isoformat() if value else "—"


@bp.get("/guests")
def guests():
    agency_id, args = current_agency_id(), request.args.to_dict()
    loaded = load_list("guests", GuestListQuery, args, lambda query: service.list_guests(
        agency_id, q=query.q, recent_first=query.sort == "recent", limit=query.limit, offset=query.offset),
        PAGE_SIZE)
    return render_page_or_partial("guests/guests.html", "guests/partials/_guest_table.html", status=loaded.status,
                                  page=loaded.value, error=loaded.error, q=args.get("q", ""),
                                  sort=args.get("sort", "name"))


@bp.get("/guests/<uuid:guest_id>")
def guest_detail(guest_id: uuid.UUID):
    agency_id = current_agency_id()
    guest = service.get_guest(agency_id, guest_id)
    timeline = load("the booking timeline", lambda: service.guest_timeline(agency_id, guest.id))
    return render_page_or_partial("guests/guest_detail.html", "guests/partials/_guest_timeline.html",
                                  guest=guest, timeline=timeline)
