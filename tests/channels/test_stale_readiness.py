"""Stale connections (never synced, or no success within CHANNELS_STALE_CONNECTION_HOURS) in the
readiness details: listed for operators and the details token, with one index-served statement."""
from __future__ import annotations

from sqlalchemy import event

from tests.conftest import READY_DETAILS


def test_readiness_details_list_stale_connections(app, client, make_user, make_property, make_connection,
                                                   write_logs):
    from app.channels.service import stale_connection_summary

    user = make_user()
    never, fresh, old = (make_connection(user.agency, make_property(user.agency), platform)
                         for platform in ("airbnb", "google", "expedia"))
    write_logs(fresh, [("availability_update", "success", None, 0)])
    write_logs(old, [("availability_update", "success", None, 2), ("pricing_update", "failed", None, 0)])
    with app.app_context():
        everything = stale_connection_summary(limit=100000)
    listed = [item["id"] for item in everything["connections"]]
    assert str(never.id) in listed and str(old.id) in listed and str(fresh.id) not in listed
    assert listed.index(str(never.id)) < listed.index(str(old.id))  # never synced first, then the oldest
    assert everything["count"] == len(listed) and everything["threshold_hours"] == 24
    [entry] = [item for item in everything["connections"] if item["id"] == str(old.id)]
    assert entry["agency_id"] == str(user.agency.id) and entry["platform_type"] == "expedia" and entry["last_success_at"]

    details = client.get("/health/ready", headers=READY_DETAILS).get_json()["components"]["db"]["details"]
    stale = details["stale_connections"]
    assert stale["count"] == everything["count"] and len(stale["connections"]) == min(20, stale["count"])
    assert "details" not in client.get("/health/ready").get_json()["components"]["db"]


def test_stale_connection_summary_is_one_statement_served_by_the_logs_index(app):
    from app.channels.service import stale_connection_summary
    from app.extensions import db

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            stale_connection_summary()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert len(statements) == 1
        with db.session.connection().connection.driver_connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # the plan a large table gets
            cursor.execute("EXPLAIN " + statements[0][0], statements[0][1])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        db.session.rollback()
    assert "ix_channel_sync_logs_connection_status_created" in plan and "Seq Scan on channel_sync_logs" not in plan
