"""The unit of work for callers of the inventory service (API, views, CLI, jobs).

Services flush but never commit; the caller runs them through
`commit_with_retry`, which owns the single commit and retries the whole unit
when PostgreSQL reports a deadlock (40P01) or serialization failure (40001):
up to 3 attempts with 100 ms / 200 ms backoff (`INVENTORY_RETRY_BACKOFF_MS`),
then 503 "Database deadlock detected" (spec 20, Bookings).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.inventory.errors import DeadlockDetected, is_retryable, sqlstate

log = logging.getLogger("app.inventory")
T = TypeVar("T")


def commit_with_retry(work: Callable[[], T]) -> T:
    """Run `work()` and commit. Any error rolls everything back; retryable ones run it again.

    `work` must be repeatable: it reads its inputs afresh on every attempt.
    """
    backoff_ms = current_app.config["INVENTORY_RETRY_BACKOFF_MS"]
    attempt = 0
    while True:
        try:
            result = work()
            db.session.commit()
            return result
        except DBAPIError as exc:
            db.session.rollback()
            if not is_retryable(exc):
                raise
            if attempt >= len(backoff_ms):
                log.error("Inventory write failed after %d attempts (%s)", attempt + 1, sqlstate(exc))
                raise DeadlockDetected() from exc
            log.warning("Inventory write hit %s on attempt %d; retrying in %d ms",
                        sqlstate(exc), attempt + 1, backoff_ms[attempt])
            time.sleep(backoff_ms[attempt] / 1000)
            attempt += 1
        except Exception:
            db.session.rollback()
            raise
