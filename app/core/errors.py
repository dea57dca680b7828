"""The errors services raise (each with its HTTP status and payload), and how database errors are classified.

Rendering them for API and pages happens once, in `app.web.error_pages`.
"""
from __future__ import annotations

import uuid

from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import UnprocessableEntity
from werkzeug.routing import BaseConverter

DB_UNAVAILABLE = {"error": "service_unavailable", "message": "Database is temporarily unavailable."}
# lock_not_available (lock_timeout) and query_canceled (statement_timeout): the request gave up
# waiting instead of hanging (spec 50); the same request usually succeeds a moment later.
TIMEOUT_SQLSTATES = frozenset({"55P03", "57014"})
# deadlock_detected, serialization_failure: the whole unit of work may simply be retried
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
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


class DeadlockDetected(DomainError):
    """503 after the retries of a deadlocked or serialization-failed write are used up (spec 20)."""
    status_code = 503

    def __init__(self):
        super().__init__("Database deadlock detected. Please retry your request.")


def sqlstate(exc: Exception) -> str | None:
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


def is_retryable(exc: DBAPIError) -> bool:
    return sqlstate(exc) in RETRYABLE_SQLSTATES


def is_schema_missing(exc: DBAPIError) -> bool:
    return sqlstate(exc) in ("42P01", "42703")


def schema_out_of_date(what: str) -> ServiceUnavailable:
    return ServiceUnavailable(
        "schema_out_of_date",
        f"Database schema not installed or out of date: {what}. Run: flask db upgrade")


def is_database_timeout(exc: Exception) -> bool:
    return sqlstate(exc) in TIMEOUT_SQLSTATES
