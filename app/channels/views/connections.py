"""Connections table, New Connection, connection detail, property mapping, connection test, Trigger Sync."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from app.channels import service
from app.channels.platforms import PLATFORM_DEFINITIONS
from app.channels.schemas import ConnectionPatch, ConnectionsQuery
from app.channels.service.conflicts import open_conflict_counts
from app.channels.views.base import SWAP_ERROR, bp
from app.channels.views.forms import connection_in, saved, start_failure, uuid_field
from app.channels.views.panels import detail_context
from app.core.errors import DomainError
from app.db import commit_with_retry
from app.web.auth import current_agency_id
from app.web.forms import form_values, validated
from app.web.htmx import go_to, hx_response, is_htmx, render_page_or_partial, toast
from app.web.panels import load_list

CONNECTIONS_CHANGED = {"connections-changed": True}
PAGE_SIZE = 25


@bp.get("/connections")
def connections():
    """The connections table, one page at a time; paging keeps the search and filters."""
    agency_id, args = current_agency_id(), request.args.to_dict()
    loaded = load_list("connections", ConnectionsQuery, args, lambda query: service.connection_page(
        agency_id, limit=query.limit, offset=query.offset, platform_type=query.platform_type, status=query.status,
        q=query.q), PAGE_SIZE)
    filters = {name: args[name] for name in ("q", "platform_type", "status") if args.get(name)}
    return render_page_or_partial("channels/connections.html", "channels/partials/_connection_table.html",
                                  status=loaded.status, page=loaded.value, error=loaded.error, q=args.get("q", ""),
                                  filters=filters, conflict_counts=open_conflict_counts(agency_id))


def form_context(values=None, errors=None) -> dict:
    return {"properties": service.property_choices(current_agency_id()), "values": values or {},
            "errors": errors or {}}


@bp.get("/connections/new")
def connection_new():
    return render_page_or_partial("channels/connection_new.html", "channels/partials/_connection_new_dialog.html",
                                  **form_context())


@bp.post("/connections")
def create_connection():
    agency_id, skip_test = current_agency_id(), request.form.get("skip_connection_test") == "1"

    def create():
        data = connection_in(request.form)
        return service.create_connection(agency_id, data.property_id, data.platform_type,
                                         skip_connection_test=skip_test,
                                         **data.model_dump(exclude={"property_id", "platform_type"}))

    connection, errors = saved(create)
    if errors:
        return render_template("channels/partials/_connection_form.html",
                               **form_context(request.form, errors)), 422
    if not is_htmx() or request.form.get("opened_in") != "dialog":  # a page of its own: to the new connection
        return go_to(url_for("channels.connection_detail", connection_id=connection.id))
    message = f"Connection created: {PLATFORM_DEFINITIONS[connection.platform_type].label}"
    return hx_response("", trigger={**toast(message), **CONNECTIONS_CHANGED},
                       headers={"HX-Retarget": "#connection-new-dialog", "HX-Reswap": "delete"})


@bp.get("/connections/<uuid:connection_id>")
def connection_detail(connection_id):
    return render_page_or_partial("channels/connection_detail.html",
                                  "channels/partials/_connection_detail_dialog.html",
                                  **detail_context(connection_id, request.args))


@bp.post("/connections/<uuid:connection_id>/property")
def assign_property(connection_id):
    agency_id = current_agency_id()

    def assign():
        values = form_values(ConnectionPatch, request.form, ("property_id",))
        data = validated(ConnectionPatch, values, uuid_field("property_id", "Select a property"))
        service.update_connection(agency_id, connection_id, data.model_dump(exclude_unset=True))

    _, errors = saved(assign)
    error = next(iter(errors.values()), None)
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_property_mapping.html", error=error,
                           view=service.get_connection(agency_id, connection_id),
                           properties=service.property_choices(agency_id))
    if error:
        return hx_response(body, status=422, trigger=toast(f"Failed to assign property: {error}", "error"))
    return hx_response(body, trigger={**toast("Property assigned successfully"), **CONNECTIONS_CHANGED})


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
        result = commit_with_retry(lambda: service.trigger_sync(current_agency_id(), connection_id, sync_type))
    except DomainError as exc:
        body = render_template("channels/partials/_trigger_result.html", connection_id=connection_id,
                               error=start_failure(exc))
        return body, exc.status_code, SWAP_ERROR
    if not is_htmx():
        return redirect(url_for("channels.connection_detail", connection_id=connection_id), 303)
    body = render_template("channels/partials/_trigger_result.html", connection_id=connection_id,
                           result=result, sync_type=sync_type)
    return hx_response(body, trigger={"sync-started": {"batch_id": str(result.batch_id)}})
