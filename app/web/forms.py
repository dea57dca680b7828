"""Form and query-string input of the pages, validated by the JSON API's pydantic models.

The pages accept exactly what the API accepts (one set of rules); errors of both
pydantic and the service become `{field: message}` for the inline messages.
"""
from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ValidationError

from app.core.errors import Conflict, DomainError, ValidationFailed

T = typing.TypeVar("T", bound=BaseModel)
FORM_ERROR = "form"  # key of a message that belongs to no single field
STAY_ERROR = "stay"  # key of a message about the dates as a whole (an overlap)
# Field names inside service messages ("check_out must be after check_in"), as people say them.
FIELD_WORDS = {"check_in": "check-in", "check_out": "check-out", "start_date": "start date", "end_date": "end date",
               "from_date": "from date", "to_date": "to date", "min_stay_nights": "minimum stay",
               "max_advance_days": "booking window"}
# pydantic error types -> what the form says instead (ctx values fill the braces).
MESSAGES = {"missing": "Required", "greater_than_equal": "At least {ge}", "less_than_equal": "At most {le}",
            "greater_than": "More than {gt}", "less_than": "Less than {lt}", "string_too_short": "Required",
            "string_too_long": "At most {max_length} characters", "int_parsing": "Enter a whole number",
            "decimal_parsing": "Enter a number", "decimal_max_places": "At most {decimal_places} decimal places",
            "decimal_max_digits": "Too many digits", "date_parsing": "Use a date like 2026-05-01",
            "date_from_datetime_parsing": "Use a date like 2026-05-01", "time_parsing": "Use a time like 15:00",
            "uuid_parsing": "Choose one of the options"}


def for_people(text: str) -> str:
    """A service message with field names in words and a capital first letter."""
    for name, words in FIELD_WORDS.items():
        text = text.replace(name, words)
    return text[:1].upper() + text[1:]


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
    """What the form says about a pydantic error ("At least 1"); a pattern mismatch names the expected format."""
    if error["type"] == "string_pattern_mismatch":
        field = model.model_fields.get(str(error["loc"][0]))
        return f"Invalid format (expected {field.description})" if field and field.description else "Invalid format"
    if error["type"] in MESSAGES:
        return MESSAGES[error["type"]].format(**error.get("ctx", {}))
    return for_people(error["msg"].removeprefix("Value error, ").removeprefix("value is not a valid email address: "))


def form_error(name: str, msg: str) -> dict:
    """One field error of a page form, as `validated` reports them."""
    return {"loc": ["form", name], "msg": msg, "type": "value_error"}


def validated(model: type[T], values: Mapping, *checks: typing.Callable[[Mapping], list[dict]]) -> T:
    """The model built from `values`; pydantic errors raise ValidationFailed with field locations.

    `checks` see the raw values and add their errors (`form_error`) in the same pass, so a form
    reports everything wrong at once, also what the service would only check later. A check's
    words replace pydantic's for the same field ("Select a property" rather than "Required").
    """
    errors = [error for check in checks for error in check(values)]
    checked = {tuple(error["loc"]) for error in errors}
    try:
        model_instance = model.model_validate(dict(values))
    except ValidationError as exc:
        found = [{"loc": ["form", *map(str, error["loc"])], "msg": message(model, error), "type": error["type"]}
                 for error in exc.errors()]
        errors = [error for error in found if tuple(error["loc"][:2]) not in checked] + errors
    if errors:
        raise ValidationFailed(errors)
    return model_instance


def field_errors(exc: DomainError, fields: Mapping[type, str] | None = None) -> dict[str, str]:
    """Inline messages by field name (`guest_email` for the guest's email); an overlap goes to the dates.

    `fields` names the field an error without locations belongs to, by its type (else the whole form).
    """
    if isinstance(exc, Conflict) and exc.extra.get("conflict_type"):
        return {STAY_ERROR: str(exc.detail)}
    if not isinstance(exc.detail, list):
        return {(fields or {}).get(type(exc), FORM_ERROR): for_people(str(exc.detail))}
    errors: dict[str, str] = {}
    for item in exc.detail:
        name = "_".join(str(part) for part in item.get("loc", [])[1:]) or FORM_ERROR
        errors.setdefault(name, for_people(item.get("msg", "Invalid value")))
    return errors


def form_status(exc: DomainError) -> int:
    """409 for conflicts, 422 for other input problems: both are swapped into the form by htmx
    (see base.html). Service trouble keeps its 5xx, which htmx reports in a toast instead."""
    if isinstance(exc, Conflict):
        return 409
    return exc.status_code if exc.status_code >= 500 else 422
