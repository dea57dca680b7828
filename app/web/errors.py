"""Domain errors and the single place that renders errors for API and pages.

API paths (`/api/...`) always answer JSON in the documented shapes; pages get
an HTML error page (or a banner fragment for htmx). Unexpected errors are
logged with their traceback and answered without internals.
"""
from __future__ import annotations

import logging
import uuid

from flask import Flask, g, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, ProgrammingError
from werkzeug.exceptions import HTTPException, SecurityError, UnprocessableEntity
from werkzeug.routing import BaseConverter

log = logging.getLogger(__name__)

DB_UNAVAILABLE = {"error": "service_unavailable", "message": "Database is temporarily unavailable."}
# lock_not_available (lock_timeout) and query_canceled (statement_timeout): the request gave up
# waiting instead of hanging (spec 50); the same request usually succeeds a moment later.
TIMEOUT_SQLSTATES = frozenset({"55P03", "57014"})
DB_BUSY_RETRY_AFTER_SECONDS = 2
DB_BUSY = {"error": "database_busy",
           "message": "The database is busy (lock or statement timeout); nothing was changed. "
                      f"Please retry in {DB_BUSY_RETRY_AFTER_SECONDS} seconds.",
           "retry_after": DB_BUSY_RETRY_AFTER_SECONDS}
FRIENDLY_MESSAGES = {
    401: "Session expired. Please reload and log in again.",
    403: "Not authorized to perform this action.",
    404: "Not found.",
    503: "Service temporarily unavailable. Try again shortly.",
}
# Headings of error pages when the caller gives none.
STATUS_TITLES = {400: "Bad request", 401: "Session expired", 403: "Not authorized", 404: "Not found",
                 409: "Conflict", 422: "Invalid request", 429: "Too many requests", 500: "Unexpected error",
                 503: "Service unavailable"}


class DomainError(Exception):
    """Base of every business-rule error; subclasses set the HTTP status."""
    status_code = 400

    def __init__(self, detail: str | list = "", **extra):
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def payload(self) -> dict:
        return {"detail": self.detail, **self.extra}


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403

    def __init__(self, detail: str = "Not authorized to perform this action"):
        super().__init__(detail)


class Conflict(DomainError):
    status_code = 409


class BadRequest(DomainError):
    status_code = 400


class ValidationFailed(DomainError):
    """422 with field-level messages: `ValidationFailed.field("check_out", "...")`."""
    status_code = 422

    @classmethod
    def field(cls, name: str, msg: str, type_: str = "value_error", loc_prefix: str = "body"):
        return cls([{"loc": [loc_prefix, name], "msg": msg, "type": type_}])


class ServiceUnavailable(DomainError):
    """503 with `{"error": code, "message": ...}` (spec 20, service errors)."""
    status_code = 503

    def __init__(self, error: str, message: str):
        super().__init__(message)
        self.error = error

    def payload(self) -> dict:
        return {"error": self.error, "message": self.detail}


class InvalidId(UnprocessableEntity):
    def __init__(self, value: str):
        super().__init__(f"Input should be a valid UUID, got {value[:64]!r}")


class LenientUuidConverter(BaseConverter):
    """Matches any path segment so a malformed id answers 422 in the API (pages: 404), not a routing 404."""
    regex = r"[^/]+"

    def to_python(self, value: str) -> uuid.UUID:
        try:
            return uuid.UUID(value)
        except ValueError:
            raise InvalidId(value) from None

    def to_url(self, value) -> str:
        return str(value)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def is_schema_missing(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("42P01", "42703")


def schema_out_of_date(what: str) -> ServiceUnavailable:
    return ServiceUnavailable(
        "schema_out_of_date",
        f"Database schema not installed or out of date: {what}. Run: flask db upgrade")


def is_database_timeout(exc: Exception) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in TIMEOUT_SQLSTATES


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
        from app.web.auth import current_principal, login_redirect

        if not is_api_request() and request.blueprint != "auth" and current_principal() is None:
            return login_redirect()  # the session expired (its CSRF token went with it)
        return render_error(400, {"detail": f"CSRF check failed: {exc.description}"})

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc: RateLimitExceeded):
        return render_error(429, {"detail": "Too many attempts. Please wait a minute and try again."})

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

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        if is_database_timeout(exc):
            return database_busy(exc)
        log.warning("Database unavailable: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        if "_login_user" not in g:
            # the session's user could not be loaded: render the outage page for an anonymous
            # visitor instead of querying the unavailable database again from the template
            from app.extensions import login_manager
            g._login_user = login_manager.anonymous_user()
        return render_error(503, DB_UNAVAILABLE, title="Database unavailable")

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
