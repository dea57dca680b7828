"""How the channel pages read their forms (through the API's pydantic models, `app.web.forms.validated`),
save through the one unit of work and word what failed: inline messages and the trigger banner."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Mapping

from app.channels.errors import ConnectionExists, ConnectionNotFound, PropertyNotFound
from app.channels.platforms import PLATFORM_DEFINITIONS
from app.channels.schemas import ConnectionIn, ConnectionPatch
from app.core.errors import DomainError
from app.db import commit_with_retry
from app.web.forms import field_errors, form_error, form_values, validated
from app.web.limits import MAX_JSON_DEPTH

# Which form field a domain error without field locations belongs to (else the whole form).
ERROR_FIELDS = {PropertyNotFound: "property_id", ConnectionExists: "platform_type",
                ConnectionNotFound: "connection_id"}
TEXT_FIELDS = ("platform_listing_id", "ical_import_url")
TOKEN_FIELDS = ("access_token", "refresh_token")
NOT_AN_OBJECT = 'Metadata must be a JSON object, e.g. {"mock_mode": true}'
Check = Callable[[Mapping], list[dict]]


def form_errors(exc: DomainError) -> dict[str, str]:
    return field_errors(exc, ERROR_FIELDS)


def saved(work):
    """(result, {}) after the unit of work commits; a domain error rolls back: (None, field messages)."""
    try:
        return commit_with_retry(work), {}
    except DomainError as exc:
        return None, form_errors(exc)


def start_failure(exc: DomainError) -> str:
    """The trigger banner of a sync that did not start (runbook "Trigger Sync")."""
    if isinstance(exc.detail, list):
        text = "; ".join(item.get("msg", "Invalid value") for item in exc.detail)
    else:
        text = str(exc.detail)
    return f"Could not start the sync (HTTP {exc.status_code}): {text}"


def is_uuid(raw) -> bool:
    try:
        uuid.UUID(str(raw or "").strip())
    except ValueError:
        return False
    return True


def one_of(name: str, allowed: Collection[str], message: str) -> Check:
    """A select that must hold one of the offered values."""
    return lambda values: [] if values.get(name) in allowed else [form_error(name, message)]


def uuid_field(name: str, message: str, *, optional: bool = False) -> Check:
    def check(values: Mapping) -> list[dict]:
        raw = values.get(name)
        return [] if (optional and not raw) or is_uuid(raw) else [form_error(name, message)]
    return check


def metadata(form: Mapping) -> tuple[dict, Check]:
    """The metadata field as a JSON object (empty means {}), and the check that reports why it is not one."""
    try:
        value = json.loads((form.get("platform_metadata") or "").strip() or "{}")
    except RecursionError:
        return {}, lambda _: [form_error("platform_metadata", f"JSON is nested deeper than {MAX_JSON_DEPTH} levels")]
    except ValueError as exc:
        problem = f"Invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        return {}, lambda _: [form_error("platform_metadata", problem)]
    if not isinstance(value, dict):
        return {}, lambda _: [form_error("platform_metadata", NOT_AN_OBJECT)]
    return value, lambda _: []


def connection_in(form: Mapping) -> ConnectionIn:
    """New Connection: property and platform chosen, metadata a JSON object; raises ValidationFailed."""
    value, metadata_check = metadata(form)
    values = {**form_values(ConnectionIn, form, ("property_id", "platform_type", *TEXT_FIELDS, *TOKEN_FIELDS)),
              "platform_metadata": value}
    return validated(ConnectionIn, values, uuid_field("property_id", "Select a property"),
                     one_of("platform_type", PLATFORM_DEFINITIONS, "Select a platform"), metadata_check)


def connection_patch(form: Mapping, statuses: Collection[str]) -> ConnectionPatch:
    """Edit connection: every field is sent; empty token fields keep the stored token."""
    value, metadata_check = metadata(form)
    tokens = tuple(name for name in TOKEN_FIELDS if (form.get(name) or "").strip())
    values = {**form_values(ConnectionPatch, form, (*TEXT_FIELDS, *tokens)),
              "status": form.get("status", ""), "platform_metadata": value}
    return validated(ConnectionPatch, values, one_of("status", statuses, "Choose a status"), metadata_check)
