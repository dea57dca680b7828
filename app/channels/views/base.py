"""The `channels` page blueprint and what its route modules share (the package's `__init__` describes them)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request, url_for
from sqlalchemy.exc import OperationalError

from app.channels.views.presenters import TEMPLATE_HELPERS
from app.core.errors import DomainError, is_database_timeout
from app.web.auth import protect_pages
from app.web.error_pages import database_unavailable, render_error
from app.web.htmx import STOP_POLLING, is_htmx, render_page_or_partial

ROLES = ("admin", "manager")
bp = protect_pages(Blueprint("channels", __name__), *ROLES)
NO_STORE = {"Cache-Control": "no-store"}
# Error fragments that must replace their panel although the status is 4xx/5xx (static/js/app.js).
SWAP_ERROR = {"X-Swap-Error": "true", **NO_STORE}


@bp.context_processor
def helpers() -> dict:
    principal = g.get("principal")  # set by the page guard; never query again while rendering an error page
    is_admin = principal is not None and principal.role == "admin"
    runbook = (is_admin and current_app.config["ENABLE_OPS_CONSOLE"] and "ops.runbook" in current_app.view_functions)
    return {**TEMPLATE_HELPERS, "is_admin": is_admin, "runbook_url": url_for("ops.runbook") if runbook else None}


def poll_response(page: str, partial: str, polling: bool, **context):
    """Page or partial; a terminal partial (nothing left to watch) is answered with 286."""
    body, status = render_page_or_partial(page, partial, **context)
    if is_htmx() and not polling:
        status = STOP_POLLING
    return body, status, NO_STORE


def panel_error(status: int, message: str):
    """A polled panel that fails shows its error state in place (same id) instead of stale content.

    On 503 the error state keeps polling the same URL, so the panel heals by itself.
    """
    retry = status == 503
    body = render_template("channels/partials/_panel_error.html", target_id=request.headers["HX-Target"],
                           message=message, retry_url=request.full_path if retry else None,
                           retry_seconds=current_app.config["CHANNELS_LOGS_POLL_SECONDS"])
    return body, status, SWAP_ERROR


def is_panel_request() -> bool:
    return is_htmx() and request.method == "GET" and bool(request.headers.get("HX-Target"))


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    if is_panel_request() and exc.status_code != 403:
        return panel_error(exc.status_code, exc.detail if isinstance(exc.detail, str) else "Invalid request")
    return render_error(exc.status_code, exc.payload())


@bp.errorhandler(OperationalError)
def panel_database_unavailable(exc: OperationalError):
    """A polled panel shows the outage in place and heals by itself; anything else renders like every page."""
    if not is_database_timeout(exc):
        # The session user cannot be loaded now: render as anonymous instead of failing again in a template.
        g.principal = None
        g._login_user = current_app.login_manager.anonymous_user()
        if is_panel_request():
            return panel_error(503, "Service temporarily unavailable. Try again shortly.")
    return database_unavailable(exc)
