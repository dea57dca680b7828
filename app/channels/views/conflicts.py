"""Overbooking conflicts: the list (open first), and the resolve actions through in-page confirm dialogs."""
from __future__ import annotations

import uuid

from flask import redirect, render_template, request, url_for

from app.channels.service import conflicts as service
from app.channels.views.base import bp
from app.channels.views.forms import form_errors
from app.channels.views.panels import offset_arg, parse_uuid, pick
from app.core.errors import DomainError, NotFound
from app.db import commit_with_retry
from app.inventory.views.base import AVAILABILITY_CHANGED, close_modal
from app.web.auth import current_agency_id, current_principal
from app.web.forms import form_status
from app.web.htmx import is_htmx, render_page_or_partial, toast

PAGE_SIZE = 50
# resolution -> (dialog title, button, question, toast)
ACTIONS = {
    "accept": ("Accept the channel's booking", "Cancel local booking and accept",
               "The local booking is cancelled and its dates are held for the channel's reservation.",
               "Channel booking accepted; the local booking is cancelled"),
    "resolved_on_channel": ("Mark resolved on the channel", "Mark resolved",
                            "You cancelled or moved the stay on the channel; nothing changes here.",
                            "Conflict marked resolved on the channel"),
    "ignore": ("Ignore this conflict", "Ignore", "Both stays remain as they are. Say why for your team.",
               "Conflict ignored"),
}


def list_context(args) -> dict:
    status = pick(args, "status", service.STATUS_FILTERS) or "open"
    connection_id = parse_uuid(args.get("connection_id"))
    offset = offset_arg(args)
    rows, total = service.list_conflicts(current_agency_id(), status, connection_id, PAGE_SIZE, offset)
    return {"rows": rows, "total": total, "shown": status, "connection_id": connection_id,
            "page": {"limit": PAGE_SIZE, "offset": offset, "total": total}}


@bp.get("/conflicts")
def conflicts():
    return render_page_or_partial("channels/conflicts.html", "channels/partials/_conflict_table.html",
                                  **list_context(request.args))


def chosen_action(resolution: str) -> tuple:
    if resolution not in ACTIONS:
        raise NotFound(f"Unknown resolution {resolution[:40]!r}")
    return ACTIONS[resolution]


@bp.get("/conflicts/<uuid:conflict_id>/resolve/<resolution>")
def conflict_resolve_confirm(conflict_id: uuid.UUID, resolution: str):
    return render_template("channels/partials/_conflict_resolve_dialog.html", resolution=resolution,
                           action=chosen_action(resolution), errors={}, note="",
                           row=service.get_conflict(current_agency_id(), conflict_id))


@bp.post("/conflicts/<uuid:conflict_id>/resolve/<resolution>")
def resolve_conflict(conflict_id: uuid.UUID, resolution: str):
    agency_id, actor_id, action = current_agency_id(), current_principal().user.id, chosen_action(resolution)
    note = request.form.get("note", "")
    try:
        commit_with_retry(lambda: service.resolve_conflict(agency_id, conflict_id, resolution, actor_id, note))
    except DomainError as exc:
        return render_template("channels/partials/_conflict_resolve_dialog.html", resolution=resolution,
                               action=action, errors=form_errors(exc), note=note,
                               row=service.get_conflict(agency_id, conflict_id)), form_status(exc)
    if not is_htmx():
        return redirect(url_for("channels.conflicts"), 303)
    row = render_template("channels/partials/_conflict_row.html", row=service.get_conflict(agency_id, conflict_id),
                          oob=True)
    return close_modal(row, trigger={**toast(action[3]), "conflicts-changed": True, AVAILABILITY_CHANGED: True})
