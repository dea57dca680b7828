"""Domain errors of the channel manager, with the messages of the API contract (spec 20)."""
from __future__ import annotations

from app.core.errors import BadRequest, Conflict, DomainError, NotFound, ServiceUnavailable, ValidationFailed


class CodedError(DomainError):
    """A 4xx answered as `{"error": code, "message": ...}` (batch endpoints)."""

    def __init__(self, status_code: int, error: str, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.error = error

    def payload(self) -> dict:
        return {"error": self.error, "message": self.detail}


class ConnectionNotFound(NotFound):
    def __init__(self, detail: str = "Connection not found"):
        super().__init__(detail)


class ConnectionNotActive(Conflict):
    def __init__(self, status: str):
        super().__init__(f"Connection is {status}")


class ConnectionNotMapped(Conflict):
    def __init__(self):
        super().__init__("Connection is not mapped to a property. Assign a property first.")


class ConnectionExists(Conflict):
    def __init__(self):
        super().__init__("A connection for this property and platform already exists")


class PropertyNotFound(NotFound):
    def __init__(self, detail: str = "Property not found"):
        super().__init__(detail)


class SyncLogNotFound(NotFound):
    def __init__(self):
        super().__init__("Sync log not found")


class NotRetryable(Conflict):
    def __init__(self, status: str):
        super().__init__(f"Only failed operations can be retried (this one is {status})")


class NotCancellable(Conflict):
    def __init__(self, status: str):
        super().__init__(f"Only operations that have not finished can be cancelled (this one is {status})")


class UrlRefused(ValidationFailed):
    """422 `{"error": "url_not_allowed", "message": ..., "detail": [field error]}`: the outbound-URL
    guard refused a URL (private network, credentials in it, not http(s))."""

    def __init__(self, field: str, reason: str):
        super().__init__([{"loc": ["body", field], "msg": reason, "type": "url_not_allowed"}],
                         error="url_not_allowed", message=reason)


class UnsupportedPlatform(BadRequest):
    def __init__(self, platform_type: str):
        super().__init__(f"Platform {platform_type} not yet supported")


class ConnectionTestFailed(BadRequest):
    def __init__(self, reason: str):
        super().__init__(f"Connection test failed: {reason}")


class WrongConfirmPhrase(BadRequest):
    def __init__(self):
        super().__init__("Invalid confirm_phrase: type PURGE (case-sensitive) to confirm")


class QueueUnavailable(ServiceUnavailable):
    def __init__(self, reason: str):
        super().__init__("queue_unavailable",
                         f"Job queue (Redis) is unavailable, the sync was not started: {reason}. "
                         "Try again shortly.")


def batch_not_found(batch_id, connection_id) -> CodedError:
    return CodedError(404, "batch_not_found",
                      f"No sync operations found for batch_id={batch_id} and connection_id={connection_id}")


def invalid_batch_status(value: str) -> CodedError:
    return CodedError(400, "invalid_status",
                      f"Status must be one of: any, running, failed, success (got '{value}')")
