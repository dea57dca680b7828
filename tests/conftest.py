"""Test infrastructure: a uniquely named database on the configured (or embedded)
PostgreSQL, migrated to head; an unused Redis database; one app per session.

Set DATABASE_URL / REDIS_URL to use existing servers; unset, the embedded
servers of `app.devstack` are used (data under var/).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from cryptography.fernet import Fernet
from redis import Redis

from app import devstack

pytest_plugins = ["tests.factories", "tests.live_server", "tests.faults"]

KEPT_TABLES = {"alembic_version"}
MAX_WORKERS = 4
EMBEDDED_POSTGRES = pytest.StashKey()
EMBEDDED_REDIS = pytest.StashKey()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pytest_configure(config):
    """Start the embedded servers once, in the controlling process, where no URLs are set.

    Parallel workers (pytest-xdist) inherit the URLs and each create their own
    database and claim their own Redis database on the shared servers.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if not os.environ.get("DATABASE_URL"):
        server = devstack.start_postgres(devstack.VAR_DIR / "postgres")
        os.environ["DATABASE_URL"] = devstack.database_url(server, "postgres")
        config.stash[EMBEDDED_POSTGRES] = server
    if not os.environ.get("REDIS_URL"):
        client = devstack.start_redis(Path(tempfile.mkdtemp(prefix="fewo-test-redis-")))
        os.environ["REDIS_URL"] = devstack.redis_url(client)
        config.stash[EMBEDDED_REDIS] = client


def pytest_unconfigure(config):
    client = config.stash.get(EMBEDDED_REDIS, None)
    if client is not None:
        client.shutdown(nosave=True)


def pytest_xdist_auto_num_workers(config):
    """`-n auto` uses the cores, at most four: each worker holds a database and a Redis database."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


@pytest.fixture(scope="session")
def postgres_server_url():
    """URL of a maintenance database on the server the tests may use."""
    return os.environ["DATABASE_URL"]


def create_database(server_url: str, prefix: str = "fewo_test") -> str:
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server_url, name)


def drop_database(server_url: str, database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def database_url(postgres_server_url):
    url = create_database(postgres_server_url)
    yield url
    drop_database(postgres_server_url, url)


@pytest.fixture(scope="session")
def redis_server_url():
    return os.environ["REDIS_URL"]


def redis_with_db(url: str, db: int) -> str:
    if url.startswith("unix://"):
        return re.sub(r"\?.*$", "", url) + f"?db={db}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture(scope="session")
def redis_url(redis_server_url):
    """Claim an empty Redis database (1-15) for this run and flush it afterwards."""
    for db in range(1, 16):
        url = redis_with_db(redis_server_url, db)
        client = Redis.from_url(url)
        if client.dbsize() == 0 and client.set("fewo:test-claim", "1", nx=True):
            yield url
            client.flushdb()
            return
    pytest.fail("no empty Redis database (1-15) left for the tests")


HEALTH_TOKEN = "test-health-details-token"
# Readiness shows its details (workers, versions, errors) only with the token (or to operators).
READY_DETAILS = {"X-Health-Token": HEALTH_TOKEN}


def build_config(database_url: str, redis_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": database_url,
        "SQLALCHEMY_DATABASE_URI": database_url.replace("postgresql://", "postgresql+psycopg://", 1),
        "REDIS_URL": redis_url,
        "SESSION_COOKIE_SECURE": False,
        "DB_BACKGROUND_RECONNECT_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "CHANNELS_ALLOWED_PRIVATE_HOSTS": ["127.0.0.1"],  # the channel simulator
        "HEALTH_DETAILS_TOKEN": HEALTH_TOKEN,
        "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / f"fewo-test-media-{os.getpid()}"),
        **overrides,
    }


@pytest.fixture(scope="session")
def app_config(database_url, redis_url):
    config = build_config(database_url, redis_url)
    yield config
    shutil.rmtree(config["MEDIA_ROOT"], ignore_errors=True)  # photos stored by the run


def migrated_app(config: dict):
    """An app on `config` whose database is upgraded to the code's head."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def app(app_config):
    return migrated_app(app_config)


@pytest.fixture(autouse=True)
def clean_state(request):
    """Every test starts with empty tables and an empty Redis database.

    The rate limiter is one object per process that keeps the storage of the
    app initialised last; tests that build apps of their own must not move
    the session app's limits into another Redis database.
    """
    from app.extensions import db, limiter

    if "app" in request.fixturenames:
        limiter.init_app(request.getfixturevalue("app"))
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} CASCADE")
    Redis.from_url(app.config["REDIS_URL"]).flushdb()
    Redis.from_url(app.config["REDIS_URL"]).set("fewo:test-claim", "1")


@pytest.fixture
def db_session(app):
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.remove()
