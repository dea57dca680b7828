"""Loading the data of one list or panel so that a failure becomes that panel's error state.

A page made of several panels (the dashboard) keeps the others when one query
fails; a list answers its own status (422 bad filter, 503 database trouble)
so htmx keeps the old rows and app.js shows the friendly message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import DB_BUSY, FRIENDLY_MESSAGES, DomainError, is_database_timeout
from app.extensions import db
from app.web.forms import for_people, form_values, validated

log = logging.getLogger("app.web")
T = TypeVar("T")
Q = TypeVar("Q", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[T]):
    value: T | None = None
    error: str | None = None
    status: int = 200


def field_message(item: dict) -> str:
    """"from_date: Use a date like 2026-05-01": a filter's message names the filter."""
    name = "_".join(str(part) for part in item.get("loc", [])[1:])
    return f"{for_people(name.replace('_', ' ')) + ': ' if name else ''}{item.get('msg', 'Invalid value')}"


def detail_text(exc: DomainError) -> str:
    """A domain error's detail as one line (field errors joined)."""
    if isinstance(exc.detail, list):
        return "; ".join(field_message(item) if isinstance(item, dict) else str(item) for item in exc.detail)
    return str(exc.detail)


def load(what: str, fetch: Callable[[], T]) -> Loaded[T]:
    """Run `fetch()`; a domain error or a database error becomes the error text of `what`."""
    try:
        return Loaded(fetch())
    except DomainError as exc:
        return Loaded(error=f"Could not load {what}: {detail_text(exc)}", status=exc.status_code)
    except SQLAlchemyError as exc:
        db.session.rollback()  # the failed statement aborted the transaction; later panels need a clean one
        log.warning("Loading %s failed: %s", what, str(getattr(exc, "orig", exc)).splitlines()[0][:200])
        hint = DB_BUSY["message"] if is_database_timeout(exc) else FRIENDLY_MESSAGES[503]
        return Loaded(error=f"Could not load {what}. {hint}", status=503)


def load_list(what: str, query_model: type[Q], args: Mapping[str, str], fetch: Callable[[Q], T],
              limit: int) -> Loaded[T]:
    """One page of a list: the query string validated by the API's query model (blank filters
    are unset, page size `limit` unless given), then `fetch(query)`; bad input is the 422 error state."""
    return load(what, lambda: fetch(validated(query_model, {
        "limit": limit, **form_values(query_model, args, (name for name in query_model.model_fields if name in args))})))
