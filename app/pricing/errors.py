"""Pricing's domain errors and the one place that turns the season constraint into a 409."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.inventory.errors import EXCLUSION_VIOLATION, sqlstate
from app.web.errors import Conflict


class SeasonOverlap(Conflict):
    """409: another season of the property already covers some of these nights."""

    def __init__(self):
        super().__init__("Another season of this property already covers some of these nights",
                         error="season_overlap")


@contextmanager
def guarded_season_write() -> Iterator[None]:
    """Flush in a savepoint; `rate_seasons_no_overlap` (23P01) becomes SeasonOverlap."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        if sqlstate(exc) == EXCLUSION_VIOLATION:
            raise SeasonOverlap() from exc
        raise
