"""Size and depth limits for JSON: whole request bodies and every free-form JSON field.

Depth is measured without recursion, so a body nested thousands of levels deep is
refused with a 422 instead of exhausting the interpreter's stack somewhere later
(while saving, serialising or listing the row).
"""
from __future__ import annotations

import json
from typing import Annotated

from flask import request
from pydantic import AfterValidator

from app.web.errors import ValidationFailed

MAX_JSON_DEPTH = 20
MAX_FIELD_BYTES = 16 * 1024


def json_depth(value) -> int:
    """Nesting depth of a parsed JSON value: a scalar is 0, `{}` and `[]` are 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break  # already too deep; no need to walk the rest
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


def too_deep_body() -> ValidationFailed:
    return ValidationFailed([{"loc": ["body"], "msg": f"JSON is nested deeper than {MAX_JSON_DEPTH} levels",
                              "type": "json_too_deep"}])


def limit_json_body():
    """before_request: a JSON body nested too deep is a 422 on every endpoint, before any view runs."""
    if not request.is_json or not request.content_length:
        return
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise too_deep_body() from None
    if json_depth(body) > MAX_JSON_DEPTH:
        raise too_deep_body()
