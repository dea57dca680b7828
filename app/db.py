"""Database foundations every domain uses: column helpers, the clock, the unit of work outside a request,
work deferred until a commit and periodic steps under an advisory lock."""
from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

log = logging.getLogger("app.db")
AFTER_COMMIT_KEY = "fewo.after_commit"


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, server_default=text("gen_random_uuid()"), default=uuid.uuid4)


def created_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now(), default=func.now())


def updated_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now(), default=func.now(), onupdate=func.now())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


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


def after_commit(callback) -> None:
    """Run `callback()` once the session's outermost transaction has committed; dropped when it does not.

    For side effects another process acts on (an RQ job reading the rows just written): they
    must not happen before the rows are visible. An exception raised by the callback propagates
    from `commit()`, with the transaction already committed.
    """
    db.session.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a released savepoint is no commit
        for callback in session.info.pop(AFTER_COMMIT_KEY, []):
            callback()


@event.listens_for(Session, "after_transaction_end")
def _forget_after_commit(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back or closed without a commit
        session.info.pop(AFTER_COMMIT_KEY, None)


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
