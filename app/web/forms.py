"""Form and query-string input of the pages, validated by the JSON API's pydantic models.

The pages accept exactly what the API accepts (one set of rules); errors of both
pydantic and the service become `{field: message}` for the inline messages.
"""
from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ValidationError

from app.web.errors import Conflict, DomainError, ValidationFailed

T = typing.TypeVar("T", bound=BaseModel)
FORM_ERROR = "form"  # key of a message that belongs to no single field
STAY_ERROR = "stay"  # key of a message about the dates as a whole (an overlap)


def nullable(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


def form_values(model: type[BaseModel], data: Mapping[str, str], names: Iterable[str]) -> dict:
    """The given fields of a submitted form: blanks become None where the model allows it, else stay unset."""
    values = {}
    for name in names:
        raw = (data.get(name) or "").strip()
        if raw:
            values[name] = raw
        elif nullable(model, name):
            values[name] = None
    return values


def message(model: type[BaseModel], error: dict) -> str:
    """pydantic's message, or for a pattern mismatch the field's description instead of the regex."""
    if error["type"] == "string_pattern_mismatch":
        field = model.model_fields.get(str(error["loc"][0]))
        return f"Invalid format (expected {field.description})" if field and field.description else "Invalid format"
    return error["msg"].removeprefix("Value error, ")


def validated(model: type[T], values: Mapping) -> T:
    """The model built from `values`; pydantic errors raise ValidationFailed with field locations."""
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        raise ValidationFailed([{"loc": ["form", *map(str, error["loc"])], "msg": message(model, error),
                                 "type": error["type"]} for error in exc.errors()]) from None


def field_errors(exc: DomainError) -> dict[str, str]:
    """Inline messages by field name (`guest_email` for the guest's email); an overlap goes to the dates."""
    if isinstance(exc, Conflict) and exc.extra.get("conflict_type"):
        return {STAY_ERROR: str(exc.detail)}
    if not isinstance(exc.detail, list):
        return {FORM_ERROR: str(exc.detail)}
    errors: dict[str, str] = {}
    for item in exc.detail:
        name = "_".join(str(part) for part in item.get("loc", [])[1:]) or FORM_ERROR
        errors.setdefault(name, item.get("msg", "Invalid value"))
    return errors


def form_status(exc: DomainError) -> int:
    """409 for conflicts, 422 for other input problems: both are swapped into the form by htmx
    (see base.html). Service trouble keeps its 5xx, which htmx reports in a toast instead."""
    if isinstance(exc, Conflict):
        return 409
    return exc.status_code if exc.status_code >= 500 else 422
