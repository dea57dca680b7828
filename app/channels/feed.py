"""Public iCal export: `GET /ical/<token>.ics`, a property's occupied dates for channels to subscribe to.

No login: the unguessable, rotatable token in the URL is the credential.
"""
from __future__ import annotations

from flask import Blueprint, current_app

from app.channels import service

bp = Blueprint("ical_feed", __name__)


@bp.route("/ical/<token>.ics", methods=["GET", "HEAD"])
def property_calendar(token: str):
    body = service.export_calendar(token)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response.headers["Cache-Control"] = "no-cache, max-age=0"
    return response
