"""Transactions outside a request: one unit of work, and periodic steps under an advisory lock."""
from __future__ import annotations

import logging
from contextlib import contextmanager

from sqlalchemy import func, select

from app.extensions import db

log = logging.getLogger("app.db")


@contextmanager
def unit_of_work():
    """One short transaction on the session: commit on success, roll back on error, always close."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def try_periodic_lock(key: str) -> bool:
    """Transaction-scoped advisory lock on `key`; False when another run holds it."""
    return bool(db.session.scalar(select(func.pg_try_advisory_xact_lock(func.hashtext(key)))))


def run_locked(key: str, step, *args) -> int | None:
    """Run `step` in one committed transaction under the periodic lock; None when locked out."""
    with unit_of_work():
        if not try_periodic_lock(key):
            log.info("%s: another run holds the lock, skipping", key)
            return None
        return step(*args)
