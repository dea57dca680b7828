"""Sync History panel and Batch Details (with Live badge, Refresh and Auto refresh)."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, render_template, request

from app.channels import service
from app.channels.views.base import bp, poll_response
from app.channels.views.panels import checked, detail_context, history_panel, parse_uuid
from app.channels.views.presenters import batch_is_active
from app.web.auth import current_agency_id
from app.web.htmx import is_htmx, render_page_or_partial


@bp.get("/connections/<uuid:connection_id>/sync-batches")
def sync_history(connection_id):
    if not is_htmx():
        return render_template("channels/connection_detail.html", **detail_context(connection_id, request.args))
    return render_template("channels/partials/_sync_history.html", history=history_panel(connection_id,
                                                                                          request.args))


def batch_context(connection_id, batch_id) -> dict:
    """The batch, whether Batch Details keeps polling, and where its back arrow leads."""
    batch = service.get_sync_batch(current_agency_id(), connection_id, batch_id)
    auto = checked(request.args, "auto")
    live = batch_is_active(batch.status_counts)
    return {"batch": batch, "connection_id": connection_id, "auto": auto, "live": live,
            "interval": current_app.config["CHANNELS_BATCH_POLL_SECONDS"] if auto and live else None,
            "from_log": parse_uuid(request.args.get("from_log")),
            "refreshed_at": datetime.now(timezone.utc)}


@bp.get("/connections/<uuid:connection_id>/sync-batches/<uuid:batch_id>")
def batch_detail(connection_id, batch_id):
    return render_page_or_partial("channels/batch_detail.html", "channels/partials/_batch_dialog.html",
                                  **batch_context(connection_id, batch_id))


@bp.get("/connections/<uuid:connection_id>/sync-batches/<uuid:batch_id>/status")
def batch_status(connection_id, batch_id):
    """Body of Batch Details; polls itself while an operation is active and Auto refresh is on."""
    context = batch_context(connection_id, batch_id)
    return poll_response("channels/batch_detail.html", "channels/partials/_batch_body.html",
                         context["interval"] is not None, **context)
