"""Back office: confirm or decline a website request in an in-page dialog (from the dashboard panel).

A confirm whose dates went meanwhile re-renders the dialog with the 409 reason;
success closes it and refreshes the panel out of band.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Blueprint, current_app, render_template

from app.core.errors import DomainError, NotFound
from app.db import commit_with_retry
from app.direct import service
from app.inventory.api.base import BOOKING_EDITORS
from app.inventory.views.base import close_modal
from app.web.auth import current_agency_id, current_principal, has_role, protect_pages, require_role
from app.web.forms import field_errors, form_status
from app.web.htmx import toast
from app.web.panels import load

bp = protect_pages(Blueprint("direct", __name__))


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    question: str
    done: str
    danger: bool = False


ANSWERS = {answer.name: answer for answer in (
    Answer("confirm", "Confirm", "Confirm this request? The dates become booked.", "Request confirmed"),
    Answer("decline", "Decline", "Decline this request? The guest is not e-mailed; held dates become free.",
           "Request declined", danger=True),
)}
SERVICE_CALLS = {"confirm": service.confirm_request, "decline": service.decline_request}


def answer_of(name: str) -> Answer:
    if name not in ANSWERS:
        raise NotFound(f"Unknown answer {name[:40]!r}")
    return ANSWERS[name]


def panel_context(agency_id: uuid.UUID) -> dict:
    """The dashboard panel's data; shown to the roles that may answer and only where the routes are mounted."""
    if "direct.answer_dialog" not in current_app.view_functions or not has_role(*BOOKING_EDITORS):
        return {"show_direct": False}
    return {"show_direct": True,
            "direct_requests": load("booking requests", lambda: service.list_open_requests(agency_id))}


def render_dialog(item: service.OpenRequest, answer: Answer, errors: dict):
    return render_template("direct/partials/_answer_dialog.html", item=item, answer=answer, errors=errors)


@bp.get("/direct-requests/<uuid:booking_id>/<name>")
@require_role(*BOOKING_EDITORS)
def answer_dialog(booking_id: uuid.UUID, name: str):
    return render_dialog(service.get_open_request(current_agency_id(), booking_id), answer_of(name), {})


@bp.post("/direct-requests/<uuid:booking_id>/<name>")
@require_role(*BOOKING_EDITORS)
def answer_request(booking_id: uuid.UUID, name: str):
    agency_id, answer = current_agency_id(), answer_of(name)
    actor_id = current_principal().user.id
    try:
        commit_with_retry(lambda: SERVICE_CALLS[name](agency_id, booking_id, actor_id))
    except DomainError as exc:
        item = service.get_open_request(agency_id, booking_id)
        return render_dialog(item, answer, field_errors(exc)), form_status(exc)
    panel = render_template("direct/partials/_requests_panel.html", oob=True, **panel_context(agency_id))
    return close_modal(panel, trigger=toast(answer.done))
