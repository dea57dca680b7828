"""Database availability: startup retries, degraded mode and self-heal, schema drift.

The web process starts even when PostgreSQL is unreachable (spec 50, degraded
mode); every request simply tries the pool again (which replaces connections the
server closed, see `app.db.discard_closed_connections`), and a background thread logs
the return to normal mode.
"""
from __future__ import annotations

import logging
import threading
import time
from functools import lru_cache
from pathlib import Path

import click
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

log = logging.getLogger("app.database")
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


@lru_cache(maxsize=1)
def migration_scripts() -> ScriptDirectory:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


@lru_cache(maxsize=1)
def code_head_revision() -> str:
    return migration_scripts().get_current_head()


def is_known_revision(revision: str) -> bool:
    """True when the code's migrations contain `revision` (then the database is behind head)."""
    return any(script.revision == revision for script in migration_scripts().walk_revisions())


def ping_database() -> None:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def database_revision() -> str | None:
    with db.engine.connect() as conn:
        exists = conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar()
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if exists else None


def schema_problem(revision: str | None) -> str | None:
    """None when the database is at the code's head, else what is wrong."""
    head = code_head_revision()
    if revision is None:
        return "no alembic_version table (schema not installed)"
    if revision == head:
        return None
    if is_known_revision(revision):
        return f"behind head (database revision {revision}, code head {head}). Run: flask db upgrade"
    return f"database revision {revision} is not one of this code's migrations (head {head})"


class DatabaseMonitor:
    """Tracks NORMAL vs DEGRADED mode for one web process."""

    def __init__(self, app: Flask):
        self.app = app
        self.degraded = False

    def wait_at_startup(self) -> None:
        max_wait = self.app.config["DB_STARTUP_MAX_WAIT_SECONDS"]
        interval = self.app.config["DB_STARTUP_RETRY_INTERVAL_SECONDS"]
        started, attempt = time.monotonic(), 0
        while True:
            attempt += 1
            error = self.check()
            if error is None:
                return
            elapsed = time.monotonic() - started
            if elapsed + interval > max_wait:
                self.degraded = True
                log.error("App will start in DEGRADED MODE (DB unavailable)")
                return
            log.warning("Database connection attempt %d failed (%s). Retrying in %.1fs "
                        "(elapsed: %.0fs, max: %.0fs)...", attempt, error, interval, elapsed, max_wait)
            time.sleep(interval)

    def check(self) -> str | None:
        with self.app.app_context():
            try:
                ping_database()
            except SQLAlchemyError as exc:
                return str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0][:200]
            finally:
                db.session.remove()
        return None

    def poll_once(self) -> None:
        healthy = self.check() is None
        if healthy and self.degraded:
            log.info("App is now in NORMAL MODE (DB available)")
        elif not healthy and not self.degraded:
            log.error("Database became unavailable; app is in DEGRADED MODE")
        self.degraded = not healthy

    def start_background_reconnect(self) -> None:
        interval = self.app.config["DB_BACKGROUND_RECONNECT_INTERVAL_SECONDS"]

        def loop():
            while True:
                time.sleep(interval)
                self.poll_once()

        threading.Thread(target=loop, name="db-reconnect", daemon=True).start()


def running_cli_command() -> bool:
    """True under `flask <command>`: such processes connect on demand, and the worker
    waits for its dependencies itself (wait-for-deps) before it prints anything else."""
    return click.get_current_context(silent=True) is not None


def init_database_monitor(app: Flask) -> DatabaseMonitor:
    monitor = DatabaseMonitor(app)
    app.extensions["database_monitor"] = monitor
    if running_cli_command():
        return monitor
    monitor.wait_at_startup()
    if app.config["DB_BACKGROUND_RECONNECT_ENABLED"]:
        monitor.start_background_reconnect()
    return monitor
