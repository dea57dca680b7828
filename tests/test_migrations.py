"""Migrations: empty database -> head -> base, and the four exclusion constraints."""
from __future__ import annotations

import psycopg
import pytest
from flask_migrate import downgrade, upgrade

from tests.conftest import create_database, drop_database, build_config

EXCLUSION_CONSTRAINTS = {
    ("availability_blocks", "availability_blocks_no_overlap"),
    ("bookings", "no_double_bookings"),
    ("inventory_ranges", "inventory_ranges_no_overlap"),
    ("rate_seasons", "rate_seasons_no_overlap"),
}


@pytest.fixture
def empty_database(postgres_server_url):
    url = create_database(postgres_server_url, prefix="fewo_migrate")
    yield url
    drop_database(postgres_server_url, url)


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {r[0] for r in rows}


def test_upgrade_to_head_and_downgrade_to_base(empty_database, redis_url):
    from app import create_app
    from app.ops.database import code_head_revision

    app = create_app(build_config(empty_database, redis_url))
    with app.app_context():
        upgrade()
        with psycopg.connect(empty_database) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == code_head_revision()
        assert {"bookings", "inventory_ranges", "channel_sync_logs", "team_members"} <= tables(empty_database)
        downgrade(revision="base")
    assert tables(empty_database) == {"alembic_version"}


def test_exactly_the_four_exclusion_constraints(app, database_url):
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'x'")
        assert set(rows.fetchall()) == EXCLUSION_CONSTRAINTS


@pytest.mark.parametrize("statement", [
    # two occupying bookings over the same nights
    """INSERT INTO bookings (agency_id, property_id, check_in, check_out, status)
       VALUES (%(a)s, %(p)s, '2030-01-03', '2030-01-06', 'confirmed')""",
    # a second block over the first one
    """INSERT INTO availability_blocks (agency_id, property_id, start_date, end_date)
       VALUES (%(a)s, %(p)s, '2030-01-04', '2030-01-05')""",
    # a second active inventory range
    """INSERT INTO inventory_ranges (agency_id, property_id, start_date, end_date, kind, source_id)
       VALUES (%(a)s, %(p)s, '2030-01-05', '2030-01-07', 'block', gen_random_uuid())""",
    # a second rate season over some of the same nights
    """INSERT INTO rate_seasons (agency_id, property_id, name, start_date, end_date, nightly_rate)
       VALUES (%(a)s, %(p)s, 'Late', '2030-01-05', '2030-01-10', 90)""",
])
def test_exclusion_constraints_reject_overlaps(app, database_url, statement):
    with psycopg.connect(database_url) as conn:
        ids = seed_overlap_rows(conn)
        with pytest.raises(psycopg.errors.ExclusionViolation):
            conn.execute(statement, ids)


def test_back_to_back_and_released_ranges_are_allowed(app, database_url):
    with psycopg.connect(database_url) as conn:
        ids = seed_overlap_rows(conn)
        conn.execute("""INSERT INTO bookings (agency_id, property_id, check_in, check_out, status)
                        VALUES (%(a)s, %(p)s, '2030-01-06', '2030-01-08', 'confirmed')""", ids)
        conn.execute("""INSERT INTO rate_seasons (agency_id, property_id, name, start_date, end_date, nightly_rate)
                        VALUES (%(a)s, %(p)s, 'Next', '2030-01-06', '2030-01-08', 85)""", ids)
        conn.execute("""INSERT INTO bookings (agency_id, property_id, check_in, check_out, status)
                        VALUES (%(a)s, %(p)s, '2030-01-01', '2030-01-09', 'inquiry')""", ids)
        conn.execute("""INSERT INTO inventory_ranges (agency_id, property_id, start_date, end_date, kind,
                        source_id, state) VALUES (%(a)s, %(p)s, '2030-01-01', '2030-01-09', 'booking',
                        gen_random_uuid(), 'released')""", ids)
        conn.rollback()


def seed_property(conn) -> dict:
    agency = conn.execute("INSERT INTO agencies (name, slug) VALUES ('A', 'a-' || gen_random_uuid()) "
                          "RETURNING id").fetchone()[0]
    prop = conn.execute("INSERT INTO properties (agency_id, name, ical_token) VALUES (%s, 'P', "
                        "gen_random_uuid()::text) RETURNING id", (agency,)).fetchone()[0]
    return {"a": agency, "p": prop}


def seed_overlap_rows(conn) -> dict:
    ids = seed_property(conn)
    conn.execute("""INSERT INTO bookings (agency_id, property_id, check_in, check_out, status)
                    VALUES (%(a)s, %(p)s, '2030-01-02', '2030-01-06', 'confirmed')""", ids)
    conn.execute("""INSERT INTO availability_blocks (agency_id, property_id, start_date, end_date)
                    VALUES (%(a)s, %(p)s, '2030-01-02', '2030-01-06')""", ids)
    conn.execute("""INSERT INTO inventory_ranges (agency_id, property_id, start_date, end_date, kind, source_id)
                    VALUES (%(a)s, %(p)s, '2030-01-02', '2030-01-06', 'booking', gen_random_uuid())""", ids)
    conn.execute("""INSERT INTO rate_seasons (agency_id, property_id, name, start_date, end_date, nightly_rate)
                    VALUES (%(a)s, %(p)s, 'Early', '2030-01-02', '2030-01-06', 80)""", ids)
    return ids


def event(uid: str, start: str, end: str) -> dict:
    """A conflict as an iCal import writes it into its log's details."""
    return {"uid": uid, "start_date": start, "end_date": end, "summary": "Airbnb",
            "reason": "Property is already booked for these dates"}


def test_conflicts_of_the_newest_import_are_carried_over(empty_database, redis_url):
    """The conflicts table starts with the conflicts each connection's newest import recorded."""
    from app import create_app

    app = create_app(build_config(empty_database, redis_url))
    with app.app_context():
        upgrade(revision="5b1e0c7d2a94")
        with psycopg.connect(empty_database, autocommit=True) as conn:
            ids = seed_property(conn)
            ids["c"] = conn.execute("""INSERT INTO channel_connections (agency_id, property_id, platform_type)
                                       VALUES (%(a)s, %(p)s, 'airbnb') RETURNING id""", ids).fetchone()[0]
            for minutes_ago, conflicts in ((30, [event("old", "2030-02-01", "2030-02-03")]),
                                           (5, [event("new", "2030-03-01", "2030-03-04"),
                                                event("broken", "soon", "2030-03-04")])):
                conn.execute("""INSERT INTO channel_sync_logs (tenant_id, connection_id, property_id, operation_type,
                                status, details, created_at) VALUES (%(a)s, %(c)s, %(p)s, 'bookings_sync', 'failed',
                                %(details)s, now() - make_interval(mins => %(ago)s))""",
                             {**ids, "details": psycopg.types.json.Jsonb({"conflicts": conflicts}), "ago": minutes_ago})
        upgrade()
        with psycopg.connect(empty_database) as conn:
            rows = conn.execute("SELECT external_uid, start_date::text, end_date::text, status, property_id "
                                "FROM channel_conflicts").fetchall()
        assert rows == [("new", "2030-03-01", "2030-03-04", "open", ids["p"])]
        app.extensions["sqlalchemy"].engine.dispose()


def test_channel_rate_overrides_become_seasons(empty_database, redis_url):
    """The pricing revision keeps per-date channel rate overrides as seasons, one per run of equal days."""
    from app import create_app

    app = create_app(build_config(empty_database, redis_url))
    with app.app_context():
        upgrade(revision="5b1e0c7d2a94")
        with psycopg.connect(empty_database) as conn:
            ids = seed_property(conn)
            conn.execute("INSERT INTO bookings (agency_id, property_id, check_in, check_out, total_price) "
                         "VALUES (%(a)s, %(p)s, '2030-01-02', '2030-01-06', 410)", ids)
            for day, rate, min_stay in (("2030-02-01", 90, 2), ("2030-02-02", 90, 2), ("2030-02-03", 120, 2),
                                        ("2030-02-05", 90, 2)):
                conn.execute("INSERT INTO channel_rates (property_id, date, nightly_rate, min_stay) "
                             "VALUES (%s, %s, %s, %s)", (ids["p"], day, rate, min_stay))
        upgrade()
        app.extensions["sqlalchemy"].engine.dispose()
    with psycopg.connect(empty_database) as conn:
        seasons = conn.execute("SELECT start_date::text, end_date::text, nightly_rate, min_stay_nights "
                               "FROM rate_seasons WHERE name = 'Channel rate override' ORDER BY start_date").fetchall()
        lines = conn.execute("SELECT kind, amount FROM booking_price_lines").fetchall()
    assert [(s, e, int(r), m) for s, e, r, m in seasons] == [
        ("2030-02-01", "2030-02-03", 90, 2), ("2030-02-03", "2030-02-04", 120, 2), ("2030-02-05", "2030-02-06", 90, 2)]
    assert [(kind, int(amount)) for kind, amount in lines] == [("manual", 410)]


def test_legacy_website_pages_get_list_blocks_and_keep_them(empty_database, redis_url):
    """A website_pages table carried over with `{}` or null blocks: the revision turns them into `[]`,
    keeps real lists, and from then on the database refuses anything but a list."""
    from app import create_app

    app = create_app(build_config(empty_database, redis_url))
    with app.app_context():
        upgrade(revision="f3a9d1c2b7e8")
        with psycopg.connect(empty_database) as conn:
            agency = conn.execute("INSERT INTO agencies (name, slug) VALUES ('Alt', 'alt') RETURNING id").fetchone()[0]
            conn.execute("CREATE TABLE website_pages (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), agency_id uuid "
                         "NOT NULL REFERENCES agencies(id) ON DELETE CASCADE, slug varchar(100) NOT NULL, title "
                         "varchar(200) NOT NULL, blocks jsonb, seo_description varchar(300) NOT NULL DEFAULT '', "
                         "is_published boolean NOT NULL DEFAULT false, nav_position integer, created_at timestamptz "
                         "NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                         "UNIQUE (agency_id, slug))")
            for slug, blocks in (("leer", "{}"), ("null", None), ("liste", '[{"type": "text", "paragraphs": ["Hi"]}]')):
                conn.execute("INSERT INTO website_pages (agency_id, slug, title, blocks) VALUES (%s, %s, %s, %s)",
                             (agency, slug, slug, blocks))
        upgrade()
        app.extensions["sqlalchemy"].engine.dispose()
    with psycopg.connect(empty_database) as conn:
        blocks = dict(conn.execute("SELECT slug, blocks FROM website_pages").fetchall())
        assert blocks == {"leer": [], "null": [], "liste": [{"type": "text", "paragraphs": ["Hi"]}]}
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE website_pages SET blocks = '{}' WHERE slug = 'leer'")
