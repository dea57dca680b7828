"""Real faults for the error states of lists and panels: another session holds a table lock.

`impatient_client(role)` logs in to an app whose statements give up on a lock after
200 ms, so a list whose table is locked shows its error state quickly.
"""
from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest

from tests.conftest import build_config
from tests.factories import CsrfClient


@contextmanager
def table_locked(database_url: str, table: str):
    """Hold an ACCESS EXCLUSIVE lock on `table` (as a long maintenance job would) until the block ends."""
    with psycopg.connect(database_url) as conn:
        conn.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        yield
        conn.rollback()


@pytest.fixture(scope="session")
def impatient_app(app, database_url, redis_url):
    from app import create_app

    impatient = create_app(build_config(database_url, redis_url, DB_LOCK_TIMEOUT_MS=200))
    impatient.test_client_class = CsrfClient
    return impatient


@pytest.fixture
def impatient_client(impatient_app, make_user, login):
    def make(role: str = "admin", agency=None):
        user = make_user(role=role, agency=agency)
        client = login(impatient_app.test_client(), user)
        client.user = user
        return client
    return make
