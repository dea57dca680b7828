"""The Channel Sync page: trigger form with nothing preselected, Auto-detect, the chosen connection's logs.

The chosen connection is remembered per user in a cookie (value `<user id>:<connection id>`,
ignored for any other user), so the logs show again on the next visit.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app, make_response, render_template, request

from app.channels import service
from app.channels.errors import ConnectionNotFound
from app.channels.models import PLATFORMS
from app.channels.schemas import PropertySyncIn
from app.channels.views.base import NO_STORE, bp, poll_response
from app.channels.views.forms import form_errors, one_of, start_failure, uuid_field
from app.channels.views.panels import parse_uuid
from app.channels.views.presenters import is_active
from app.core.errors import DomainError, ValidationFailed
from app.db import commit_with_retry, utcnow
from app.web.auth import current_agency_id, current_principal
from app.web.forms import form_values, validated
from app.web.htmx import hx_response, render_page_or_partial, toast

COOKIE = "fewo_channel_sync"
COOKIE_DAYS = 180
PAGE_SYNC_TYPES = ("availability", "pricing", "bookings", "full")
FIELDS = ("sync_type", "platform", "property_id", "connection_id", "start_date", "end_date")
PAGE, FORM = "channels/channel_sync.html", "channels/partials/_channel_sync_form.html"
NO_CONNECTION = "Enter Connection ID or use Auto-detect button above"


def remembered_connection() -> uuid.UUID | None:
    user_id, _, connection_id = request.cookies.get(COOKIE, "").partition(":")
    return parse_uuid(connection_id) if user_id == str(current_principal().user.id) else None


def remember(response, connection_id: uuid.UUID | None):
    if connection_id is None:
        response.delete_cookie(COOKIE, path="/channel-sync")
    else:
        response.set_cookie(COOKIE, f"{current_principal().user.id}:{connection_id}", path="/channel-sync",
                            max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def logs_context(connection_id: uuid.UUID | None, message: str | None = None) -> dict:
    """The chosen connection's newest logs; they poll only while one of them is still active."""
    if connection_id is None:
        return {"connection_id": None, "logs": [], "polling": False, "message": message or NO_CONNECTION}
    page = service.list_sync_logs(current_agency_id(), connection_id, limit=50)
    return {"connection_id": connection_id, "logs": page.logs, "total": page.total, "message": None,
            "polling": any(is_active(log.status) for log in page.logs),
            "interval": current_app.config["CHANNELS_SYNC_PAGE_POLL_SECONDS"]}


def form_context(values: dict, errors: dict | None = None, **extra) -> dict:
    today = utcnow().date()
    defaults = {"start_date": today.isoformat(),
                "end_date": (today + timedelta(days=current_app.config["CHANNELS_SYNC_WINDOW_DAYS"])).isoformat()}
    return {"values": {**defaults, **{k: v for k, v in values.items() if v}}, "errors": errors or {},
            "properties": service.property_choices(current_agency_id()), "sync_types": PAGE_SYNC_TYPES, **extra}


@bp.get("/channel-sync")
def channel_sync():
    connection_id = remembered_connection()
    try:
        logs = logs_context(connection_id)
    except ConnectionNotFound:
        connection_id, logs = None, logs_context(None)
    values = {"connection_id": str(connection_id) if connection_id else ""}
    body = render_template(PAGE, sync_logs=logs,
                           **form_context(values, source="auto-detected" if connection_id else None))
    return remember(make_response(body), connection_id)


@bp.get("/channel-sync/logs")
def channel_sync_logs():
    raw = request.args.get("connection_id", "").strip()
    connection_id = parse_uuid(raw)
    logs = logs_context(connection_id, "Connection ID must be a valid UUID" if raw and not connection_id else None)
    body, status, headers = poll_response(PAGE, "channels/partials/_channel_sync_logs.html",
                                          logs["polling"], sync_logs=logs,
                                          **form_context({"connection_id": raw}, source="manual"))
    return remember(make_response(body, status, headers), connection_id) if connection_id else (body, status, headers)


def detected(values: dict, chosen: uuid.UUID | None) -> tuple[list, str | None]:
    """Connections matching the form's platform and property (or the chosen one); an error text if none."""
    try:
        return service.detect_connections(current_agency_id(), values.get("platform"),
                                          parse_uuid(values.get("property_id")), chosen), None
    except ValidationFailed as exc:
        return [], form_errors(exc)["connection_id"]


@bp.get("/channel-sync/detect")
def detect_connection():
    """Auto-detect: one match fills the field (and loads its logs), several are offered, none is explained."""
    values = {name: request.args.get(name, "") for name in FIELDS}
    if request.args.get("clear"):
        body = render_template("channels/partials/_connection_field.html", values={}, errors={},
                               sync_logs=logs_context(None), field_logs=True)
        return remember(hx_response(body, trigger=toast("Connection ID cleared. Use Auto-detect or enter manually.",
                                                        "info"), headers=NO_STORE), None)
    matches, error = detected(values, parse_uuid(request.args.get("choose")))
    if error or len(matches) > 1:
        body = render_template("channels/partials/_connection_field.html", values=values, matches=matches,
                               errors={"connection_id": error} if error else {})
        return body, 422 if error else 200, NO_STORE
    connection_id = matches[0].id
    body = render_template("channels/partials/_connection_field.html", values={**values, "connection_id": connection_id},
                           errors={}, source="auto-detected", sync_logs=logs_context(connection_id),
                           field_logs=True)
    return remember(make_response(body, 200, NO_STORE), connection_id)


TRIGGER_CHECKS = (one_of("sync_type", PAGE_SYNC_TYPES, "Select a sync type"),
                  one_of("platform", PLATFORMS, "Select a platform"), uuid_field("property_id", "Select a property"),
                  uuid_field("connection_id", "Connection ID must be a valid UUID", optional=True))


def trigger_form(form) -> PropertySyncIn:
    """The trigger form, validated like the API's property sync (which also carries every page field)."""
    return validated(PropertySyncIn, form_values(PropertySyncIn, form, FIELDS), *TRIGGER_CHECKS)


def trigger_refused(values: dict, exc: DomainError, failure: str | None = None):
    return render_page_or_partial(PAGE, FORM, 422, failure=failure, sync_logs=logs_context(None),
                                  **form_context(values, form_errors(exc)))


@bp.post("/channel-sync")
def trigger_channel_sync():
    """Trigger; the banner links the new batch and its logs appear at the top of the list."""
    values = {name: request.form.get(name, "").strip() for name in FIELDS}
    try:
        data = trigger_form(request.form)
    except ValidationFailed as exc:
        return trigger_refused(values, exc)
    try:
        result = commit_with_retry(lambda: service.trigger_chosen_sync(
            current_agency_id(), data.sync_type, data.platform, data.property_id, connection_id=data.connection_id,
            start=data.start_date, end=data.end_date))
    except DomainError as exc:  # the sync could not start: the banner says why, the field too where one is named
        return trigger_refused(values, exc, start_failure(exc))
    connection_id = result.connection.id
    body, _ = render_page_or_partial(PAGE, FORM, result=result, oob_logs=True,
                                     sync_logs=logs_context(connection_id),
                                     **form_context({**values, "connection_id": str(connection_id)},
                                                    source="auto-detected"))
    return remember(hx_response(body, trigger={"sync-started": {"batch_id": str(result.batch_id)}}), connection_id)
