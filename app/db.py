"""Database foundations every domain uses: column helpers, the clock, the one unit of work of views,
API handlers, jobs and CLI commands, work deferred until a commit and periodic steps under an advisory lock."""
from __future__ import annotations

import logging
import select as io_select
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TypeVar

from flask import current_app
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.errors import DeadlockDetected, is_retryable, sqlstate
from app.extensions import db

log = logging.getLogger("app.db")
T = TypeVar("T")
AFTER_COMMIT_KEY = "fewo.after_commit"


def uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(primary_key=True, server_default=text("gen_random_uuid()"), default=uuid.uuid4)


def created_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now(), default=func.now())


def updated_at() -> Mapped[datetime]:
    return mapped_column(server_default=func.now(), default=func.now(), onupdate=func.now())


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def closed_by_server(dbapi_connection) -> bool:
    """True when an idle pooled connection is gone: closed here, or its socket has something to read.

    An idle connection receives nothing unless PostgreSQL is ending it (shutdown, restart, terminated
    backend, idle timeout: it sends the reason, then closes), so a readable socket means dead. The check
    is a local poll of the socket, not a round trip like a pre-ping's `SELECT 1`.
    """
    if dbapi_connection.closed:
        return True
    try:
        readable, _, _ = io_select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def discard_closed_connections(engine: Engine) -> None:
    """On checkout the pool replaces a connection the server closed (DisconnectionError makes it
    invalidate that one and connect anew), so the first request after a database restart succeeds.
    A connection that dies in use fails its statement; SQLAlchemy then invalidates the pool's older
    connections, and the outage answers (503) follow from that error."""
    @event.listens_for(engine, "checkout")
    def replace_if_closed(dbapi_connection, _record, _proxy) -> None:
        if closed_by_server(dbapi_connection):
            raise DisconnectionError("Connection closed by the database server")


def commit_with_retry(work: Callable[[], T]) -> T:
    """The unit of work: run `work()` and commit once; any error rolls everything back.

    Services flush but never commit. When PostgreSQL reports a deadlock (40P01) or a serialization
    failure (40001) the whole unit runs again after INVENTORY_RETRY_BACKOFF_MS (100 ms, 200 ms), then
    raises DeadlockDetected (503, spec 20). `work` must be repeatable: it reads its inputs afresh.
    """
    backoff_ms = current_app.config["INVENTORY_RETRY_BACKOFF_MS"]
    attempt = 0
    while True:
        try:
            result = work()
            deferred = db.session.info.pop(AFTER_COMMIT_KEY, [])
            db.session.commit()
            break
        except DBAPIError as exc:
            db.session.rollback()
            if not is_retryable(exc):
                raise
            if attempt >= len(backoff_ms):
                log.error("Write failed after %d attempts (%s)", attempt + 1, sqlstate(exc))
                raise DeadlockDetected() from exc
            log.warning("Write hit %s on attempt %d; retrying in %d ms", sqlstate(exc), attempt + 1,
                        backoff_ms[attempt])
            time.sleep(backoff_ms[attempt] / 1000)
            attempt += 1
        except BaseException:
            db.session.rollback()
            raise
    for callback in deferred:
        callback()
    return result


def after_commit(callback) -> None:
    """Run `callback()` once the session's outermost transaction has committed; dropped when it does not.

    For side effects another process acts on (an RQ job reading the rows just written): they
    must not happen before the rows are visible. Under `commit_with_retry` the callbacks run after
    `commit()` has returned, so an exception they raise reaches the caller with the session clean;
    after a plain `commit()` it propagates from `commit()`, the transaction already committed.
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
    def locked_step():
        if not try_periodic_lock(key):
            log.info("%s: another run holds the lock, skipping", key)
            return None
        return step(*args)

    return commit_with_retry(locked_step)
