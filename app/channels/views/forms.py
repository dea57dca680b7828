"""Form input parsing, saving, and how domain errors become inline messages, banners and toasts."""
from __future__ import annotations

from datetime import date

from app.channels.errors import ConnectionExists, ConnectionNotFound, PropertyNotFound
from app.core.errors import DomainError
from app.extensions import db
from app.web.forms import for_people

# Which form field a domain error belongs to (else it is shown for the whole form).
ERROR_FIELDS = {PropertyNotFound: "property_id", ConnectionExists: "platform_type",
                ConnectionNotFound: "connection_id"}


def error_text(exc: DomainError) -> str:
    if isinstance(exc.detail, list):
        return "; ".join(item.get("msg", "Invalid value") for item in exc.detail)
    return str(exc.detail)


def field_errors(exc: DomainError) -> dict[str, str]:
    """field -> message; ValidationFailed names its fields, other errors map by type (else "form")."""
    if isinstance(exc.detail, list):
        return {str(item["loc"][-1]): for_people(item.get("msg", "Invalid value"))
                for item in exc.detail if item.get("loc")}
    return {ERROR_FIELDS.get(type(exc), "form"): str(exc.detail)}


def saved(write):
    """(result, {}) after `write()` and the commit; a domain error rolls back: (None, field errors)."""
    try:
        result = write()
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return None, field_errors(exc)
    return result, {}


def start_failure(exc: DomainError) -> str:
    """The trigger banner of a sync that did not start (runbook "Trigger Sync")."""
    return f"Could not start the sync (HTTP {exc.status_code}): {error_text(exc)}"


def parse_date(raw: str | None, name: str, errors: dict) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Use the format YYYY-MM-DD"
        return None


def toast(message: str, level: str = "success", **events) -> dict:
    """HX-Trigger value: a toast plus further client events (`sync_started=...` -> "sync-started")."""
    return {"toast": {"message": message, "level": level},
            **{name.replace("_", "-"): value for name, value in events.items()}}
