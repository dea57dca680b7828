"""Database foundations every domain uses: column helpers, the clock, the unit of work outside a request
and periodic steps under an advisory lock."""
from __future__ import annotations

import logging
import select as io_select
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

log = logging.getLogger("app.db")


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
