"""The single place that renders errors for API and pages.

API paths (`/api/...`) always answer JSON in the documented shapes; pages get
an HTML error page (or a banner fragment for htmx). Unexpected errors are
logged with their traceback and answered without internals.
"""
from __future__ import annotations

import logging

from flask import Flask, g, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, ProgrammingError
from werkzeug.exceptions import HTTPException, SecurityError

from app.core.errors import (DB_BUSY, DB_BUSY_RETRY_AFTER_SECONDS, DB_UNAVAILABLE, FRIENDLY_MESSAGES, STATUS_TITLES,
                             DomainError, InvalidId, is_database_timeout, is_schema_missing, schema_out_of_date)
from app.extensions import login_manager
from app.web.auth import current_principal, login_redirect

log = logging.getLogger(__name__)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def database_busy(exc: DBAPIError):
    """503 with Retry-After for a lock or statement timeout (JSON, page or banner)."""
    log.warning("Database timeout on %s %s: %s", request.method, request.path, str(exc.orig).splitlines()[0])
    response = make_response(render_error(503, DB_BUSY, title="Database busy"))
    response.headers["Retry-After"] = str(DB_BUSY_RETRY_AFTER_SECONDS)
    return response


def render_error(status: int, payload: dict, title: str | None = None):
    if is_api_request():
        return payload, status
    message = payload.get("message") or payload.get("detail")
    if isinstance(message, list):  # field errors: their messages, for people
        message = "; ".join(str(item.get("msg")) for item in message if isinstance(item, dict) and item.get("msg"))
    if not isinstance(message, str) or not message:
        message = FRIENDLY_MESSAGES.get(status, "Unexpected error occurred")
    template = "errors/_banner.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(template, status=status, title=title or STATUS_TITLES.get(status, "Error"),
                           message=message), status


def database_unavailable(exc: OperationalError):
    """503 "Database unavailable" (or "Database busy" for a timeout) as JSON, page or banner."""
    if is_database_timeout(exc):
        return database_busy(exc)
    log.warning("Database unavailable: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
    if "_login_user" not in g:
        # the session's user could not be loaded: render the outage page for an anonymous
        # visitor instead of querying the unavailable database again from the template
        g._login_user = login_manager.anonymous_user()
    return render_error(503, DB_UNAVAILABLE, title="Database unavailable")


def wait_words(exc: RateLimitExceeded) -> str:
    """How long a limit's window lasts, in words ("a minute", "15 minutes", "an hour")."""
    minutes = max(1, round(exc.limit.limit.get_expiry() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        return render_error(exc.status_code, exc.payload())

    @app.errorhandler(InvalidId)
    def invalid_id(exc: InvalidId):
        if not is_api_request():  # a page that cannot exist: the API explains, pages say "not found"
            return render_error(404, {"detail": "Not found."}, title="Not found")
        return render_error(422, {"detail": [{"loc": ["path"], "msg": exc.description,
                                              "type": "uuid_parsing"}]})

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if not is_api_request() and request.blueprint != "auth" and current_principal() is None:
            return login_redirect()  # the session expired (its CSRF token went with it)
        return render_error(400, {"detail": f"CSRF check failed: {exc.description}"})

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc: RateLimitExceeded):
        return render_error(429, {"detail": f"Too many attempts. Please wait {wait_words(exc)} and try again."})

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):
        # Refused before routing (TRUSTED_HOSTS): no URL can be built, so no page template either.
        return "Bad Request: unknown host", 400, {"Content-Type": "text/plain; charset=utf-8",
                                                   "Cache-Control": "no-store"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404:
            detail = "Not Found" if is_api_request() else "There is no page at this address."
        else:
            detail = exc.description
        return render_error(exc.code or 500, {"detail": detail}, title=exc.name)

    app.register_error_handler(OperationalError, database_unavailable)

    @app.errorhandler(DataError)
    def invalid_data(exc: DataError):
        # The database refused a value the validation let through (e.g. a NUL byte in text): bad input.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "invalid value"
        return render_error(422, {"detail": [{"loc": ["body"], "msg": f"Invalid value: {reason}",
                                              "type": "value_error"}]})

    @app.errorhandler(ProgrammingError)
    def programming_error(exc: ProgrammingError):
        if is_schema_missing(exc):
            err = schema_out_of_date(str(exc.orig).splitlines()[0])
            return render_error(503, err.payload(), title="Database schema out of date")
        return unexpected_error(exc)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500, {"detail": "Internal server error"}, title="Unexpected error")
