"""Connections table, New Connection, connection detail, property mapping, connection test, Trigger Sync."""
from __future__ import annotations

import json

from flask import redirect, render_template, request, url_for

from app.channels import service
from app.channels.platforms import PLATFORM_DEFINITIONS
from app.channels.service.conflicts import open_conflict_counts
from app.channels.views.base import SWAP_ERROR, bp
from app.channels.views.forms import field_errors, saved, start_failure, toast
from app.channels.views.panels import detail_context, parse_uuid
from app.core.errors import DomainError
from app.extensions import db
from app.web.auth import current_agency_id
from app.web.htmx import go_to, hx_response, is_htmx, render_page_or_partial
from app.web.limits import MAX_JSON_DEPTH

TEXT_FIELDS = ("platform_listing_id", "access_token", "refresh_token", "ical_import_url")


@bp.get("/connections")
def connections():
    q = request.args.get("q", "").strip()[:200]
    rows = service.list_connections(current_agency_id(), q=q)
    return render_page_or_partial("channels/connections.html", "channels/partials/_connection_table.html",
                                  connections=rows, q=q, conflict_counts=open_conflict_counts(current_agency_id()))


def form_context(values=None, errors=None) -> dict:
    return {"properties": service.property_choices(current_agency_id()), "values": values or {},
            "errors": errors or {}}


@bp.get("/connections/new")
def connection_new():
    return render_page_or_partial("channels/connection_new.html", "channels/partials/_connection_new_dialog.html",
                                  **form_context())


def parse_metadata(form, values: dict, errors: dict) -> None:
    """The metadata field must hold a JSON object (empty means {})."""
    try:
        values["platform_metadata"] = json.loads(form.get("platform_metadata", "").strip() or "{}")
    except RecursionError:
        errors["platform_metadata"] = f"JSON is nested deeper than {MAX_JSON_DEPTH} levels"
        return
    except ValueError as exc:
        errors["platform_metadata"] = f"Invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        return
    if not isinstance(values["platform_metadata"], dict):
        errors["platform_metadata"] = "Metadata must be a JSON object, e.g. {\"mock_mode\": true}"


def parse_connection_form(form) -> tuple[dict, dict]:
    """(service arguments, field errors); property and platform must be chosen, metadata a JSON object."""
    errors, values = {}, {name: form.get(name, "").strip() or None for name in TEXT_FIELDS}
    values["property_id"] = parse_uuid(form.get("property_id"))
    if values["property_id"] is None:
        errors["property_id"] = "Select a property"
    values["platform_type"] = form.get("platform_type", "")
    if values["platform_type"] not in PLATFORM_DEFINITIONS:
        errors["platform_type"] = "Select a platform"
    parse_metadata(form, values, errors)
    return values, errors


@bp.post("/connections")
def create_connection():
    values, errors = parse_connection_form(request.form)
    if not errors:
        connection, errors = saved(lambda: service.create_connection(
            current_agency_id(), values.pop("property_id"), values.pop("platform_type"),
            skip_connection_test=request.form.get("skip_connection_test") == "1", **values))
    if errors:
        return render_template("channels/partials/_connection_form.html",
                               **form_context(request.form, errors)), 422
    if not is_htmx() or request.form.get("opened_in") != "dialog":  # a page of its own: to the new connection
        return go_to(url_for("channels.connection_detail", connection_id=connection.id))
    message = f"Connection created: {PLATFORM_DEFINITIONS[connection.platform_type].label}"
    return hx_response("", trigger=toast(message, connections_changed=True),
                       headers={"HX-Retarget": "#connection-new-dialog", "HX-Reswap": "delete"})


@bp.get("/connections/<uuid:connection_id>")
def connection_detail(connection_id):
    return render_page_or_partial("channels/connection_detail.html",
                                  "channels/partials/_connection_detail_dialog.html",
                                  **detail_context(connection_id, request.args))


@bp.post("/connections/<uuid:connection_id>/property")
def assign_property(connection_id):
    agency_id, error = current_agency_id(), "Select a property"
    property_id = parse_uuid(request.form.get("property_id"))
    if property_id is not None:
        try:
            service.update_connection(agency_id, connection_id, {"property_id": property_id})
            db.session.commit()
            error = None
        except DomainError as exc:
            db.session.rollback()
            error = next(iter(field_errors(exc).values()))
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_property_mapping.html", error=error,
                           view=service.get_connection(agency_id, connection_id),
                           properties=service.property_choices(agency_id))
    if error:
        return hx_response(body, status=422, trigger=toast(f"Failed to assign property: {error}", "error"))
    return hx_response(body, trigger=toast("Property assigned successfully", connections_changed=True))


@bp.post("/connections/<uuid:connection_id>/test")
def test_connection(connection_id):
    """Run the adapter's test: inline badges + toast for table rows, the full result in the detail panel."""
    connection, result = service.test_connection(current_agency_id(), connection_id)
    if request.args.get("view") == "panel":
        return render_template("channels/partials/_connection_test_panel.html", connection=connection,
                               result=result)
    if result.healthy:
        suffix = " (Mock Mode - see runbook for production setup)" if result.details.get("mock_mode") else ""
        message = toast(f"Connection test passed: {result.message}{suffix}")
    else:
        message = toast(f"Connection test failed: {result.message}", "error")
    body = render_template("channels/partials/_connection_test_inline.html", connection=connection, result=result)
    return hx_response(body, trigger=message)


@bp.post("/connections/<uuid:connection_id>/sync")
def trigger_sync(connection_id):
    """Start a sync of the chosen type; the banner names the batch and its tasks, the logs refresh at once."""
    sync_type = request.form.get("sync_type", "")
    try:
        result = service.trigger_sync(current_agency_id(), connection_id, sync_type)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        body = render_template("channels/partials/_trigger_result.html", connection_id=connection_id,
                               error=start_failure(exc))
        return body, exc.status_code, SWAP_ERROR
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_trigger_result.html", connection_id=connection_id,
                           result=result, sync_type=sync_type)
    return hx_response(body, trigger={"sync-started": {"batch_id": str(result.batch_id)}})

