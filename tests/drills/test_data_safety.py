"""Drill: data safety. A fixture database at an earlier migration revision, holding demo data
(users, properties, bookings, blocks, guests, connections, sync logs of several ages), is
upgraded to the code's head without losing a row; then retention, the purge API and the
`purge-logs` command delete old sync logs only, nothing else.

The fixture `fixtures/data_<revision>.sql` (pg_dump --data-only --column-inserts of
`flask seed-demo` plus sync logs) stays at the revision it was written for: every later
revision is upgraded over real data. While the initial schema is the only revision, the
upgrade is head to head (the harness, loading and counting are still exercised).
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

from tests.channels.helpers import summaries_match
from tests.conftest import build_config, create_database, drop_database

pytestmark = pytest.mark.slow
FIXTURE = next((Path(__file__).parent / "fixtures").glob("data_*.sql"))
FIXTURE_REVISION = FIXTURE.stem.removeprefix("data_")
LOG_TABLES = ("channel_sync_logs", "sync_batches")


def table_contents(url: str) -> dict[str, tuple[int, str]]:
    """(row count, digest of all rows) of every table but alembic_version."""
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
        result = {}
        for table in tables:
            rows = sorted(str(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return result


def row_ids(url: str, table: str) -> set:
    """Primary keys of a table (whole key tuples, so composite keys work too)."""
    with psycopg.connect(url) as conn:
        columns = [row[0] for row in conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            (table,))]
        key = ", ".join(f'"{column}"' for column in columns) or "ctid::text"
        return {tuple(row) if len(row) > 1 else row[0] for row in conn.execute(f'SELECT {key} FROM "{table}"')}


@pytest.fixture(scope="module")
def fixture_app(postgres_server_url, redis_url):
    """An app on a new database built from the fixture and upgraded to head."""
    from flask_migrate import upgrade

    from app import create_app

    url = create_database(postgres_server_url, prefix="fewo_fixture")
    app = create_app(build_config(url, redis_url))
    with app.app_context():
        upgrade(revision=FIXTURE_REVISION)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FIXTURE.read_text())
    app.fixture_before = table_contents(url)
    app.fixture_ids = {table: row_ids(url, table) for table in app.fixture_before}
    with app.app_context():
        upgrade()
        from app.extensions import db
        db.engine.dispose()
    yield app
    drop_database(postgres_server_url, url)


def test_upgrade_from_the_fixture_revision_keeps_every_row(fixture_app, figures):
    from app.ops.database import code_head_revision

    url = fixture_app.config["DATABASE_URL"]
    after = table_contents(url)
    lost = {table: ids - row_ids(url, table) for table, ids in fixture_app.fixture_ids.items()}
    assert {table: missing for table, missing in lost.items() if missing} == {}
    for table, (count, _) in fixture_app.fixture_before.items():
        assert after[table][0] == count, table
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == code_head_revision()
    rows = sum(count for count, _ in fixture_app.fixture_before.values())
    assert rows > 50
    assert summaries_match(url) > 0  # the upgrade summarised the batches of the existing logs
    figures.record("data_safety", fixture_revision=FIXTURE_REVISION, head_revision=code_head_revision(),
                   tables=len(fixture_app.fixture_before), rows=rows, rows_lost=0)


def old_log_ids(url: str, days: int, connection_id=None) -> tuple[set, set]:
    """(ids older than `days`, ids not older) among the sync logs, optionally of one connection."""
    cutoff = datetime.now(timezone.utc).timestamp() - days * 86400
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT id, created_at, connection_id FROM channel_sync_logs").fetchall()
    rows = [row for row in rows if connection_id is None or row[2] == connection_id]
    return ({row[0] for row in rows if row[1].timestamp() < cutoff},
            {row[0] for row in rows if row[1].timestamp() >= cutoff})


def assert_only_logs_deleted(url: str, before: dict, deleted: set, kept: set) -> None:
    """Only logs are gone; the batch summaries (derived from the logs) equal the logs that remain."""
    after = table_contents(url)
    assert {table: value for table, value in after.items() if table not in LOG_TABLES} == \
        {table: value for table, value in before.items() if table not in LOG_TABLES}
    summaries_match(url)
    remaining = row_ids(url, "channel_sync_logs")
    assert deleted and not deleted & remaining and kept <= remaining


def test_retention_and_purges_delete_only_old_logs(fixture_app, figures):
    from jobs import set_worker_app
    from jobs.maintenance import purge_expired_sync_logs

    url = fixture_app.config["DATABASE_URL"]
    with psycopg.connect(url) as conn:
        connection_id = conn.execute("SELECT connection_id FROM channel_sync_logs LIMIT 1").fetchone()[0]
    # the purge-logs command, one connection, 300 days
    before = table_contents(url)
    deleted, kept = old_log_ids(url, 300, connection_id)
    _, other_connections = old_log_ids(url, 0)
    result = fixture_app.test_cli_runner().invoke(args=["purge-logs", "--days", "300", "--connection",
                                                        str(connection_id)])
    assert result.exit_code == 0, result.output
    assert_only_logs_deleted(url, before, deleted, kept | (other_connections - deleted))
    # the daily retention job, 60 days
    fixture_app.config["CHANNELS_SYNC_LOG_RETENTION_DAYS"] = 60
    before = table_contents(url)
    deleted, kept = old_log_ids(url, 60)
    set_worker_app(fixture_app)
    try:
        assert purge_expired_sync_logs() == len(deleted)
    finally:
        set_worker_app(None)
    assert_only_logs_deleted(url, before, deleted, kept)
    figures.record("data_safety", purge_command_deleted_old_logs=True, retention_deleted=len(deleted),
                   retention_kept=len(kept), other_tables_changed=0)


def test_purge_api_deletes_only_this_connections_old_logs(fixture_app):
    from app.auth import service
    from app.auth.models import User
    from app.extensions import db

    url = fixture_app.config["DATABASE_URL"]
    with psycopg.connect(url) as conn:
        connection_id, agency_id = conn.execute(
            "SELECT connection_id, tenant_id FROM channel_sync_logs ORDER BY created_at LIMIT 1").fetchone()
        admin_id = conn.execute("SELECT user_id FROM team_members WHERE agency_id = %s AND role = 'admin'",
                                (agency_id,)).fetchone()[0]
    with fixture_app.app_context():
        token, _ = service.issue_token(db.session.get(User, admin_id), 600)
        db.session.commit()
    before = table_contents(url)
    deleted, kept = old_log_ids(url, 30, connection_id)
    _, everything_else = old_log_ids(url, 0)
    response = fixture_app.test_client().post(
        f"/api/v1/channel-connections/{connection_id}/sync-logs/purge", headers={"Authorization": f"Bearer {token}"},
        json={"retention_days": 30, "confirm_phrase": "PURGE"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["deleted_count"] == len(deleted)
    # the token's last_used_at moves with the call itself
    assert_only_logs_deleted(url, {**before, "api_tokens": table_contents(url)["api_tokens"]}, deleted,
                             kept | (everything_else - deleted))


def test_existing_bookings_keep_their_price_as_one_manual_line(fixture_app):
    """The pricing revision gives every booking of the fixture one `manual` line equal to its total."""
    url = fixture_app.config["DATABASE_URL"]
    with psycopg.connect(url) as conn:
        bookings = dict(conn.execute("SELECT id, total_price FROM bookings").fetchall())
        lines = conn.execute("SELECT booking_id, kind, quantity, unit_amount, amount, collected_on_site "
                             "FROM booking_price_lines").fetchall()
    assert bookings and len(lines) == len(bookings)
    assert {line[0]: line[1:] for line in lines} == {
        booking_id: ("manual", 1, total, total, False) for booking_id, total in bookings.items()}
