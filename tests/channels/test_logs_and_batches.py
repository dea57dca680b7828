"""Sync logs (filters, search, paging, purge) and batch aggregation, on logs written directly."""
from __future__ import annotations

import threading
import uuid

import psycopg

from tests.channels.helpers import summaries_match

CONNECTIONS = "/api/v1/channel-connections/"


def batch_rows(batch_id, *statuses, age_days=0):
    operations = ("availability_update", "pricing_update", "bookings_sync")
    return [(operation, status, batch_id, age_days) for operation, status in zip(operations, statuses)]


def test_batch_status_priority_and_buckets(client, setup, write_logs):
    _, headers, _, connection = setup()
    batches = {name: uuid.uuid4() for name in ("ok", "bad", "busy", "waiting", "cancelled")}
    write_logs(connection, batch_rows(batches["ok"], "success", "success", "success")
               + batch_rows(batches["bad"], "success", "failed", "running")
               + batch_rows(batches["busy"], "success", "running", "queued")
               + batch_rows(batches["waiting"], "triggered", "queued")
               + batch_rows(batches["cancelled"], "cancelled", "success"))
    url = f"{CONNECTIONS}{connection.id}/sync-batches/"
    read = {name: client.get(f"{url}{batch_id}", headers=headers).get_json()
            for name, batch_id in batches.items()}
    assert {name: body["batch_status"] for name, body in read.items()} == {
        "ok": "success", "bad": "failed", "busy": "running", "waiting": "running", "cancelled": "unknown"}
    assert read["busy"]["status_counts"] == {"triggered": 1, "running": 1, "success": 1, "failed": 0, "other": 0}
    assert read["cancelled"]["status_counts"]["other"] == 1
    operations = read["bad"]["operations"]
    assert {op["operation_type"]: op["status"] for op in operations} == {
        "availability_update": "success", "pricing_update": "failed", "bookings_sync": "running"}
    assert all(op["log_id"] and op["updated_at"] for op in operations)


def test_batch_list_filters_and_errors(client, setup, write_logs):
    _, headers, _, connection = setup()
    ok, bad, busy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    write_logs(connection, batch_rows(ok, "success", "success", age_days=2) + batch_rows(bad, "failed", age_days=1)
               + batch_rows(busy, "running", "success"))
    url = f"{CONNECTIONS}{connection.id}/sync-batches"
    listed = lambda query="": [b["batch_id"] for b in  # noqa: E731
                               client.get(url + query, headers=headers).get_json()["items"]]
    assert listed() == [str(busy), str(bad), str(ok)]  # newest update first
    assert listed("?status=running") == [str(busy)]
    assert listed("?status=failed") == [str(bad)]
    assert listed("?status=success") == [str(ok)]
    assert listed("?limit=1&offset=1") == [str(bad)]
    bad_status = client.get(url + "?status=done", headers=headers)
    assert bad_status.status_code == 400 and bad_status.get_json() == {
        "error": "invalid_status", "message": "Status must be one of: any, running, failed, success (got 'done')"}
    assert client.get(url + "?limit=201", headers=headers).status_code == 422
    missing = client.get(f"{url}/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"] == "batch_not_found"
    _, _, _, other = setup()
    assert client.get(f"{CONNECTIONS}{other.id}/sync-batches/{ok}", headers=headers).status_code == 404


def test_log_filters_search_and_paging(client, setup, write_logs):
    _, headers, _, connection = setup()
    batch_id = uuid.uuid4()
    ids = write_logs(connection, batch_rows(batch_id, "success", "failed", "running")
                     + [("availability_update", "queued", None, 0)])
    url = f"{CONNECTIONS}{connection.id}/sync-logs"
    read = lambda query="": client.get(url + query, headers=headers).get_json()  # noqa: E731
    everything = read()
    assert everything["total"] == 4 and everything["connection_id"] == str(connection.id)
    assert [log["id"] for log in everything["logs"]] == [str(i) for i in ids]  # newest first
    assert {log["status"] for log in read("?status=active")["logs"]} == {"running", "queued"}
    assert [log["status"] for log in read("?status=failed")["logs"]] == ["failed"]
    assert read("?direction=inbound")["logs"][0]["operation_type"] == "bookings_sync"
    assert read("?operation_type=availability_update")["total"] == 2
    by_batch = read(f"?batch_id={batch_id}")
    assert by_batch["total"] == 3 and by_batch["batch_id"] == str(batch_id)
    assert read(f"?q={str(ids[1])[:8]}")["logs"][0]["id"] == str(ids[1])
    assert read("?q=PRICING")["total"] == 1
    page = read("?limit=2&offset=2")
    assert page["total"] == 4 and len(page["logs"]) == 2 and page["limit"] == 2 and page["offset"] == 2
    assert client.get(url + "?limit=101", headers=headers).status_code == 422
    assert client.get(url + "?status=done", headers=headers).status_code == 422
    one = client.get(f"{url}/{ids[0]}", headers=headers)
    assert one.status_code == 200 and one.get_json()["id"] == str(ids[0])
    assert client.get(f"{url}/{uuid.uuid4()}", headers=headers).get_json() == {"detail": "Sync log not found"}


def test_purge_is_per_connection_with_dry_run_phrase_and_role(client, setup, write_logs, make_connection,
                                                              make_property, make_user, bearer):
    user, headers, prop, connection = setup()
    neighbour = make_connection(user.agency, make_property(user.agency), "booking_com")
    write_logs(connection, [("availability_update", "success", None, 40), ("pricing_update", "failed", None, 35),
                            ("bookings_sync", "success", None, 1)])
    write_logs(neighbour, [("availability_update", "success", None, 40)])
    url = f"{CONNECTIONS}{connection.id}/sync-logs/purge"
    preview = client.post(url, headers=headers, json={"retention_days": 30, "confirm_phrase": "PURGE",
                                                      "dry_run": True}).get_json()
    assert preview["would_delete"] == 2 and "deleted_count" not in preview and preview["retention_days"] == 30
    assert client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["total"] == 3
    wrong = client.post(url, headers=headers, json={"retention_days": 30, "confirm_phrase": "purge"})
    assert wrong.status_code == 400
    assert client.post(url, headers=headers, json={"retention_days": 0, "confirm_phrase": "PURGE"}).status_code == 422
    assert client.post(url, headers=headers, json={"retention_days": 3651,
                                                   "confirm_phrase": "PURGE"}).status_code == 422
    manager = make_user(role="manager", agency=user.agency)
    assert client.post(url, headers=bearer(manager), json={"retention_days": 30,
                                                           "confirm_phrase": "PURGE"}).status_code == 403
    done = client.post(url, headers=headers, json={"retention_days": 30, "confirm_phrase": "PURGE"}).get_json()
    assert done["deleted_count"] == 2 and done["cutoff"] and "would_delete" not in done
    assert client.get(f"{CONNECTIONS}{connection.id}/sync-logs", headers=headers).get_json()["total"] == 1
    assert client.get(f"{CONNECTIONS}{neighbour.id}/sync-logs", headers=headers).get_json()["total"] == 1
    detail = client.get(f"{CONNECTIONS}{connection.id}", headers=headers)
    assert detail.status_code == 200  # purging logs never touches the connection


def test_trigger_sweeps_stale_logs_of_that_connection(client, setup, write_logs, app):
    _, headers, _, connection = setup()
    [stale_id] = write_logs(connection, [("availability_update", "running", None, 1)])
    response = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers, json={"sync_type": "pricing"})
    assert response.status_code == 200
    swept = client.get(f"{CONNECTIONS}{connection.id}/sync-logs/{stale_id}", headers=headers).get_json()
    assert swept["status"] == "failed"
    assert swept["error"] == ("Marked stale (no update for 60 minutes). "
                              "Likely worker restart or lost DB connection.")


def test_last_sync_at_falls_back_to_newest_successful_log(client, setup, write_logs):
    _, headers, _, connection = setup()
    write_logs(connection, [("availability_update", "success", None, 2), ("pricing_update", "failed", None, 0)])
    row = client.get(CONNECTIONS, headers=headers).get_json()[0]
    assert row["last_sync_at"] is not None and row["last_sync_at"] == row["last_success_at"]
    assert row["stale"] is True  # two days old with a 24 h threshold


def test_batch_summaries_follow_every_write_of_the_logs(client, setup, write_logs, app, database_url):
    from app.channels import service
    from app.extensions import db

    _, headers, _, connection = setup()
    old, busy = uuid.uuid4(), uuid.uuid4()
    ids = write_logs(connection, batch_rows(old, "success", "failed", age_days=40)
                     + [("bookings_sync", "success", old, 1)] + batch_rows(busy, "running", "queued", age_days=1))
    write_logs(connection, [("availability_update", "success", None, 50)])
    assert summaries_match(database_url) == 2
    response = client.post(f"{CONNECTIONS}{connection.id}/sync", headers=headers, json={"sync_type": "full"})
    assert response.status_code == 200  # inserts a batch, queues it and sweeps `busy` (stale) to failed
    assert summaries_match(database_url) == 3
    started = client.get(f"{CONNECTIONS}{connection.id}/sync-batches/{response.get_json()['batch_id']}",
                         headers=headers).get_json()
    with app.app_context():
        service.cancel_sync_log(uuid.UUID(started["operations"][0]["log_id"]), connection.id)
        db.session.commit()
    assert summaries_match(database_url) == 3
    purge = client.post(f"{CONNECTIONS}{connection.id}/sync-logs/purge", headers=headers,
                        json={"retention_days": 30, "confirm_phrase": "PURGE"})
    assert purge.get_json()["deleted_count"] == 3  # two logs of `old` (its newest stays) and the unbatched one
    assert summaries_match(database_url) == 3
    batch = client.get(f"{CONNECTIONS}{connection.id}/sync-batches/{old}", headers=headers).get_json()
    assert batch["status_counts"]["success"] == 1 and [op["log_id"] for op in batch["operations"]] == [str(ids[2])]
    with psycopg.connect(database_url) as conn:
        conn.execute("DELETE FROM channel_connections WHERE id = %s", (connection.id,))
    assert summaries_match(database_url) == 0


def test_concurrent_transitions_of_one_batch_both_count(setup, write_logs, database_url):
    _, _, _, connection = setup()
    batch_id = uuid.uuid4()
    first, second = write_logs(connection, batch_rows(batch_id, "running", "running"))
    finish = "UPDATE channel_sync_logs SET status = 'success', updated_at = now() WHERE id = %s"
    with psycopg.connect(database_url) as holding:
        holding.execute(finish, (first,))  # its transaction stays open: the summary row is locked
        waiting = threading.Thread(target=lambda: psycopg.connect(database_url, autocommit=True)
                                   .execute(finish, (second,)).connection.close())
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # blocked on the batch's summary, not lost
        holding.commit()
        waiting.join(10)
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT running, success FROM sync_batches WHERE batch_id = %s",
                            (batch_id,)).fetchone() == (0, 2)
    assert summaries_match(database_url) == 1
