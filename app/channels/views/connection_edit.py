"""Edit a connection (listing id, write-only tokens, iCal URL, status, metadata) and delete it (admin)."""
from __future__ import annotations

from flask import flash, render_template, request, url_for

from app.channels import service
from app.channels.views.base import bp
from app.channels.views.forms import connection_patch, saved
from app.channels.views.presenters import pretty_json
from app.db import commit_with_retry
from app.web.auth import current_agency_id, require_role
from app.web.htmx import go_to, render_page_or_partial

EDIT_STATUSES = ("active", "paused", "inactive")


def edit_context(connection_id, values: dict | None = None, errors: dict | None = None) -> dict:
    agency_id = current_agency_id()
    view = service.get_connection(agency_id, connection_id)
    c = view.connection
    current = {"platform_listing_id": c.platform_listing_id, "status": c.status,
               "ical_import_url": service.ical_import_url(agency_id, connection_id),
               "platform_metadata": pretty_json(c.platform_metadata) if c.platform_metadata else ""}
    statuses = EDIT_STATUSES if c.status in EDIT_STATUSES else (c.status, *EDIT_STATUSES)
    return {"view": view, "values": values if values is not None else current, "errors": errors or {},
            "statuses": statuses}


def detail_url(connection_id) -> str:
    return url_for("channels.connection_detail", connection_id=connection_id)


@bp.get("/connections/<uuid:connection_id>/edit")
def connection_edit(connection_id):
    return render_template("channels/connection_edit.html", **edit_context(connection_id))


@bp.post("/connections/<uuid:connection_id>/edit")
def update_connection(connection_id):
    context = edit_context(connection_id)
    _, errors = saved(lambda: service.update_connection(
        current_agency_id(), connection_id,
        connection_patch(request.form, context["statuses"]).model_dump(exclude_unset=True)))
    if errors:
        return render_template("channels/partials/_connection_edit_form.html",
                               **{**context, "values": request.form, "errors": errors}), 422
    flash("Connection saved", "success")
    return go_to(detail_url(connection_id))


@bp.get("/connections/<uuid:connection_id>/delete")
@require_role("admin")
def connection_delete_confirm(connection_id):
    agency_id = current_agency_id()
    return render_page_or_partial("channels/connection_delete.html", "channels/partials/_connection_delete_dialog.html",
                                  view=service.get_connection(agency_id, connection_id),
                                  impact=service.deletion_impact(agency_id, connection_id))


@bp.post("/connections/<uuid:connection_id>/delete")
@require_role("admin")
def delete_connection(connection_id):
    commit_with_retry(lambda: service.delete_connection(current_agency_id(), connection_id))
    flash("Connection deleted", "success")
    return go_to(url_for("channels.connections"))
