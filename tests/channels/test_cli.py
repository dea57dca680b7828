"""`flask seed-connection`, `sync-sweep-stale`, `purge-logs`, `rotate-channel-credentials`."""
from __future__ import annotations

import uuid

import pytest
from cryptography.fernet import Fernet

CONNECTIONS = "/api/v1/channel-connections/"


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


def test_seed_connection_is_an_idempotent_upsert(cli, client, make_user, make_property, bearer, write_logs,
                                                 app):
    user = make_user()
    prop = make_property(user.agency)
    first = cli("seed-connection", "--property-id", str(prop.id), "--platform", "booking_com", "--print-cid")
    assert first.exit_code == 0, first.output
    cid = first.output.strip()
    uuid.UUID(cid)
    again = cli("seed-connection", "--property-id", str(prop.id), "--platform", "booking_com",
                "--status", "paused", "--metadata", '{"listing_id": "123"}')
    assert again.exit_code == 0 and "CHANNEL CONNECTION SEEDED (updated)" in again.output and cid in again.output
    rows = client.get(CONNECTIONS, headers=bearer(user)).get_json()
    assert [(r["id"], r["status"], r["platform_metadata"]) for r in rows] == [(cid, "paused", {"listing_id": "123"})]
    client.delete(f"{CONNECTIONS}{cid}", headers=bearer(user))
    revived = cli("seed-connection", "--property-id", str(prop.id), "--platform", "booking_com", "--print-cid")
    assert revived.output.strip() == cid  # a soft-deleted connection comes back
    with app.app_context():
        from app.channels.models import ChannelConnection
        from app.extensions import db

        connection = db.session.get(ChannelConnection, uuid.UUID(cid))
        db.session.expunge(connection)
    write_logs(connection, [("availability_update", "success", None, 0)] * 2)
    refused = cli("seed-connection", "--property-id", str(prop.id), "--platform", "booking_com", "--reset-logs",
                  input="n\n")
    assert refused.exit_code == 1 and "Found 2 sync logs" in refused.output
    reset = cli("seed-connection", "--property-id", str(prop.id), "--platform", "booking_com", "--reset-logs",
                "--yes")
    assert reset.exit_code == 0 and "Purged 2 sync logs" in reset.output


@pytest.mark.parametrize("args, message", [
    (("--property-id", "not-a-uuid"), "Invalid UUID format: 'not-a-uuid'"),
    (("--metadata", "{listing_id:123}"), "Invalid JSON"),
    (("--metadata", "[1]"), "Must be a JSON object"),
    (("--status", "ACTIVE"), "Invalid status 'ACTIVE' (case-sensitive)"),
    (("--platform", "vrbo"), "Invalid platform 'vrbo'"),
    (("--property-id", str(uuid.UUID(int=1))), "No property with id"),
])
def test_seed_connection_validates_with_clear_messages(cli, make_user, args, message):
    make_user()
    result = cli("seed-connection", *args)
    assert result.exit_code == 2 and message in result.output


def test_seed_connection_without_agencies(cli):
    result = cli("seed-connection")
    assert result.exit_code == 1 and "No agencies found" in result.output


def test_sweep_and_purge_commands(cli, client, setup, write_logs, make_connection, make_property):
    user, headers, _, connection = setup()
    other = make_connection(user.agency, make_property(user.agency), "google")
    write_logs(connection, [("availability_update", "running", None, 1), ("pricing_update", "success", None, 50)])
    write_logs(other, [("availability_update", "success", None, 50)])
    swept = cli("sync-sweep-stale")
    assert swept.exit_code == 0 and "Marked 1 stale sync log(s) as failed (no update for 60 minutes)" in swept.output
    preview = cli("purge-logs", "--days", "30", "--dry-run")
    assert "Would delete 2 sync log(s) older than 30 days" in preview.output
    scoped = cli("purge-logs", "--days", "30", "--connection", str(connection.id))
    assert scoped.exit_code == 0 and f"Deleted 1 sync log(s) of connection {connection.id}" in scoped.output
    assert client.get(f"{CONNECTIONS}{other.id}/sync-logs", headers=headers).get_json()["total"] == 1
    assert "Deleted 1 sync log(s) older than 30 days" in cli("purge-logs", "--days", "30").output
    assert cli("purge-logs", "--days", "0").exit_code == 2
    assert "Invalid UUID format" in cli("purge-logs", "--connection", "x").output


def test_rotate_credentials_to_a_new_key(cli, app, make_user, make_property, make_connection, monkeypatch):
    from app.channels import crypto
    from app.channels.models import ChannelConnection
    from app.extensions import db

    user = make_user()
    connection = make_connection(user.agency, make_property(user.agency), access_token="tok-1")
    old_key = app.config["ENCRYPTION_KEY"]
    new_key = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "ENCRYPTION_KEY", f"{new_key},{old_key}")
    result = cli("rotate-channel-credentials")
    assert result.exit_code == 0 and "Re-encrypted 1 credential(s)" in result.output
    monkeypatch.setitem(app.config, "ENCRYPTION_KEY", new_key)  # the old key can go now
    with app.app_context():
        row = db.session.get(ChannelConnection, connection.id)
        assert crypto.decrypt(row.access_token_encrypted) == "tok-1"


def test_seed_demo_adds_one_mock_connection_per_platform(cli, app, make_agency, bearer, client):
    from app.auth.service import find_user_by_email
    from app.extensions import db
    from app.ops.demo import seed_demo_connections

    with app.app_context():
        assert seed_demo_connections(make_agency()) == 0  # no properties yet: nothing to connect
    result = cli("seed-demo", "--password", "demo-password-1")
    assert result.exit_code == 0 and "Created 5 demo channel connection(s)" in result.output
    assert "channel connection" not in cli("seed-demo", "--password", "demo-password-1").output  # idempotent
    with app.app_context():
        admin = find_user_by_email("admin@example.com")
        db.session.expunge(admin)
    rows = client.get(CONNECTIONS, headers=bearer(admin)).get_json()
    assert sorted(r["platform_type"] for r in rows) == ["airbnb", "booking_com", "expedia", "fewo_direkt", "google"]
    assert all(r["property_id"] and r["status"] == "active" for r in rows)
