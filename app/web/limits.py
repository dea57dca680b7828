"""Input limits: JSON depth and size (request bodies, free-form JSON fields) and the window of
accepted dates.

Depth is measured without recursion, so a body nested thousands of levels deep is
refused with a 422 instead of exhausting the interpreter's stack somewhere later
(while saving, serialising or listing the row). Dates outside EARLIEST_DATE..LATEST_DATE
(year 1, year 9999) are typing mistakes or probes, and day arithmetic on them overflows.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from flask import current_app, request
from pydantic import AfterValidator

from app.core.errors import DomainError, ValidationFailed

MAX_JSON_DEPTH = 20  # a free-form JSON field
MAX_BODY_DEPTH = MAX_JSON_DEPTH + 10  # a whole body: such a field sits a few levels down
MAX_FIELD_BYTES = 16 * 1024
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def within_date_window(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"Date must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}")
    return value


# Use for every date a request carries (bodies and query strings).
SaneDate = Annotated[date, AfterValidator(within_date_window)]


def json_depth(value, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0, `{}` and `[]` are 1); the walk stops
    once it is deeper than `limit`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > limit:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def bounded_json(value: dict) -> dict:
    """A free-form JSON field: at most MAX_JSON_DEPTH levels and MAX_FIELD_BYTES serialised."""
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels")
    if len(json.dumps(value, separators=(",", ":")).encode()) > MAX_FIELD_BYTES:
        raise ValueError(f"JSON is larger than {MAX_FIELD_BYTES // 1024} KB")
    return value


# Use for every free-form JSON field of a request model.
FreeJson = Annotated[dict, AfterValidator(bounded_json)]


def check_free_json(name: str, value: dict) -> None:
    """Service-side check of a free-form JSON field (forms and CLI go through it too)."""
    try:
        bounded_json(value)
    except ValueError as exc:
        raise ValidationFailed.field(name, str(exc)) from None


class UnsupportedBody(DomainError):
    status_code = 415

    def __init__(self):
        super().__init__("Send the body as JSON (Content-Type: application/json)")


def too_deep_body() -> ValidationFailed:
    return ValidationFailed([{"loc": ["body"], "msg": f"JSON is nested deeper than {MAX_BODY_DEPTH} levels",
                              "type": "json_too_deep"}])


UPLOAD_LIMIT_ATTRIBUTE = "upload_limit_setting"
# Room for the multipart envelope and the small fields around an uploaded file.
UPLOAD_ENVELOPE_BYTES = 64 * 1024


def accepts_upload(limit_setting: str):
    """Mark a view that takes a multipart file upload of up to `config[limit_setting]` bytes: the body
    limit is raised for it alone (MAX_CONTENT_LENGTH stays for every other endpoint) and an API upload
    is not refused for not being JSON."""
    def mark(view):
        setattr(view, UPLOAD_LIMIT_ATTRIBUTE, limit_setting)
        return view
    return mark


def upload_limit_setting() -> str | None:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, UPLOAD_LIMIT_ATTRIBUTE, None)


def raise_limit_for_uploads(endpoint, values) -> None:
    """URL-value preprocessor: runs before every before_request (CSRF reads the form, and with it the body)."""
    setting = upload_limit_setting()
    if setting is not None:
        request.max_content_length = current_app.config[setting] + UPLOAD_ENVELOPE_BYTES


def limit_json_body():
    """before_request: a JSON body nested too deep is a 422 on every endpoint, and an API write
    with a body that is not JSON a 415, before any view runs."""
    if not request.content_length:
        return
    if not request.is_json:
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH") and \
                upload_limit_setting() is None:
            raise UnsupportedBody()
        return
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise too_deep_body() from None
    if json_depth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
        raise too_deep_body()
