"""Inventory's domain errors and the one place that translates database errors into them.

Every inventory write that can collide runs inside `guarded_write()`: a
savepoint whose flush turns SQLSTATE 23P01 (an exclusion constraint: the
database's final guard against double bookings) into `BookingConflict`, so
the HTML views, the JSON API and the channel import all see the same 409.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, sqlstate
from app.extensions import db

EXCLUSION_VIOLATION = "23P01"
UNIQUE_VIOLATION = "23505"
OVERLAP_DETAIL = "Property is already booked for these dates"


class BookingConflict(Conflict):
    """409: the dates overlap an active booking, block or channel hold of the property."""
    conflict_type = "inventory_overlap"

    def __init__(self, detail: str = OVERLAP_DETAIL):
        super().__init__(detail, conflict_type=self.conflict_type)


class DuplicateExternalRef(Conflict):
    """409: a booking with this (source, external_ref) already exists in the agency."""

    def __init__(self):
        super().__init__("A booking with this external reference already exists")


class SlugTaken(Conflict):
    """409: another property of the agency took this web address first (a race the pre-check cannot see)."""

    def __init__(self):
        super().__init__("Another property already uses this slug; save again to get a free one")


# Unique constraints whose violation is the caller's conflict, not a server error.
UNIQUE_CONFLICTS = {"uq_bookings_external_ref": DuplicateExternalRef, "uq_properties_agency_id_slug": SlugTaken}


@contextmanager
def guarded_write(overlap: Callable[[], Conflict] = BookingConflict, savepoint: bool = True) -> Iterator[None]:
    """Flush the writes made in the block and translate constraint errors.

    An exclusion violation raises `overlap()` (the inventory's BookingConflict unless another
    domain's constraint is guarded). With a savepoint only the savepoint is rolled back on a conflict,
    so a caller (e.g. an iCal import recording an overbooking) can go on with its transaction; without
    one (a round trip less each way) the whole transaction must be rolled back, as `commit_with_retry` does.
    """
    try:
        with db.session.begin_nested() if savepoint else nullcontext():
            yield
            db.session.flush()
    except IntegrityError as exc:
        if sqlstate(exc) == EXCLUSION_VIOLATION:
            raise overlap() from exc
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if sqlstate(exc) == UNIQUE_VIOLATION and constraint in UNIQUE_CONFLICTS:
            raise UNIQUE_CONFLICTS[constraint]() from exc
        raise
