"""Back office pages of the channel manager: fragments, polling that stops by itself, roles, states."""
from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

from tests.channels.helpers import insert_logs
from tests.factories import hx

STOP_POLLING = 286


@pytest.fixture
def make_logs(app):
    """Sync logs in exact states: make_logs(connection, "success", "running", age=timedelta(days=40))."""
    def make(connection, *statuses, **values):
        with app.app_context():
            return insert_logs(connection, *statuses, **values)
    return make


@pytest.fixture
def office(logged_in, make_property, make_connection, mock_mode):
    """A logged-in client of the given role with a property and an active airbnb connection."""
    def build(role: str = "admin", **connection_values):
        client = logged_in(role)
        agency = client.user.agency
        prop = make_property(agency, name="Haus Seeblick")
        connection = make_connection(agency, prop, "airbnb", **connection_values)
        client.agency, client.prop, client.connection = agency, prop, connection
        return client
    return build


def element(html: str, element_id: str) -> str:
    """The opening tag of the element with this id (its hx-* attributes)."""
    match = re.search(rf'<[a-z]+ [^>]*id="{re.escape(element_id)}"[^>]*>', html, re.S)
    assert match, f"no element #{element_id}"
    return match.group(0)


def logs_url(client, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/connections/{client.connection.id}/sync-logs" + (f"?{query}" if query else "")


# --- connections page ---

def test_connections_table_pages_and_paging_keeps_search_and_filters(office, make_property, make_connection):
    client = office()  # one Airbnb connection of "Haus Seeblick"
    for number in range(26):
        make_connection(client.agency, make_property(client.agency, name=f"Ferienhaus {number:02d}"), "booking_com")
    first = client.get("/connections?platform_type=booking_com")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and html.count('<tr id="connection-') == 25 and "1–25 of 26" in html
    assert "Haus Seeblick" not in html and '<input type="hidden" name="platform_type" value="booking_com">' in html
    next_url = re.search(r'hx-get="([^"]*offset=25[^"]*)" hx-target="#connection-table"', html).group(1)
    assert "platform_type=booking_com" in next_url
    second = client.get(next_url.replace("&amp;", "&"), headers=hx())
    rest = second.get_data(as_text=True)
    assert second.status_code == 200 and "<html" not in rest and rest.count('<tr id="connection-') == 1
    assert "26–26 of 26" in rest and 'hx-get="/connections?offset=25"' in element(rest, "connection-table")
    searched = client.get("/connections?q=Ferienhaus+1", headers=hx()).get_data(as_text=True)
    assert searched.count('<tr id="connection-') == 10 and 'class="pagination"' not in searched
    bad = client.get("/connections?offset=-1", headers=hx())
    assert bad.status_code == 422 and "Could not load connections" in bad.get_data(as_text=True)


def test_connections_page_and_search_fragment(office):
    client = office()
    page = client.get("/connections")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and 'id="connection-table"' in html
    assert "Haus Seeblick" in html and "New Connection" in html and "Never" in html
    table = element(html, "connection-table")
    assert 'hx-trigger="connections-changed from:body"' in table and "every" not in table

    fragment = client.get("/connections?q=seeblick", headers=hx({"HX-Target": "connection-table"}))
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<div id="connection-table"') and "Haus Seeblick" in body
    empty = client.get("/connections?q=nothing-like-this", headers=hx()).get_data(as_text=True)
    assert "No connections match" in empty


def test_connections_empty_state_and_unmapped_badge(logged_in, make_property, make_connection, app):
    client = logged_in("manager")
    assert "No channel connections yet" in client.get("/connections").get_data(as_text=True)
    prop = make_property(client.user.agency)
    connection = make_connection(client.user.agency, prop, "booking_com")
    from app.channels.models import ChannelConnection
    from app.extensions import db
    with app.app_context():
        db.session.get(ChannelConnection, connection.id).property_id = None
        db.session.commit()
    html = client.get("/connections").get_data(as_text=True)
    assert "Unmapped" in html and "badge-yellow" in html
    detail = client.get(f"/connections/{connection.id}").get_data(as_text=True)
    assert "No Property Assigned" in detail and "Assign Property" in detail


def test_row_test_shows_mock_badge_and_toast(office):
    client = office()
    response = client.post(f"/connections/{client.connection.id}/test", headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="connection-test-{client.connection.id}"' in body
    assert "Mock Mode (Simulated)" in body and "Healthy" in body
    assert "Connection test passed: Mock: Connection is healthy (Mock Mode" in response.headers["HX-Trigger"]
    panel = client.post(f"/connections/{client.connection.id}/test?view=panel", headers=hx()).get_data(as_text=True)
    assert f'id="connection-test-panel-{client.connection.id}"' in panel and "CHANNELS_MOCK_MODE=false" in panel


def test_test_without_credentials_shows_not_configured(office, app, monkeypatch):
    client = office()
    monkeypatch.setitem(app.config, "CHANNELS_MOCK_MODE", False)
    body = client.post(f"/connections/{client.connection.id}/test?view=panel", headers=hx()).get_data(as_text=True)
    assert "Not Configured" in body and "AIRBNB_API_KEY" in body and "Unhealthy" in body


# --- connection detail and its panels ---

def test_connection_detail_page_and_dialog(office, make_logs):
    client = office()
    make_logs(client.connection, "success", "success", "success")
    cid = client.connection.id
    page = client.get(f"/connections/{cid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    for part in (f"connection-summary-{cid}", f"property-mapping-{cid}", f"connection-test-panel-{cid}",
                 f"trigger-sync-{cid}", f"sync-logs-{cid}", f"sync-log-list-{cid}", f"sync-history-{cid}"):
        assert f'id="{part}"' in html, part
    assert '<option value="">Select sync type...</option>' in html and "selected" not in element(html, f"sync-type-{cid}")
    dialog = client.get(f"/connections/{cid}", headers=hx({"HX-Target": "modal"})).get_data(as_text=True)
    assert "<html" not in dialog and f'<dialog id="connection-dialog-{cid}"' in dialog and "data-open" in dialog
    assert f'id="sync-log-list-{cid}"' in dialog


def test_sync_logs_poll_fast_while_a_visible_batch_is_active(office, make_logs, app):
    client = office()
    batch_id, _ = make_logs(client.connection, "success", "running", "queued")
    response = client.get(logs_url(client, auto=1), headers=hx({"HX-Target": f"sync-log-list-{client.connection.id}"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    poller = element(body, f"sync-log-list-{client.connection.id}")
    seconds = app.config["CHANNELS_LOGS_ACTIVE_POLL_SECONDS"]
    assert f"every {seconds}s" in poller and 'hx-swap="outerHTML"' in poller and "hx-sync=" in poller
    assert 'hx-include="this"' in poller and "sync-started from:body" in poller
    card = element(body, f"batch-card-{batch_id}")
    assert 'data-state="running"' in card and "3 operations" in body


def test_sync_logs_stop_polling_when_everything_is_final(office, make_logs):
    client = office()
    make_logs(client.connection, "success", "failed", "success", error="Channel timeout")
    response = client.get(logs_url(client), headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == STOP_POLLING
    poller = element(body, f"sync-log-list-{client.connection.id}")
    assert "every" not in poller and "sync-started from:body" in poller
    assert 'data-status="failed"' in body and "Channel timeout" in body


def test_sync_logs_poll_slowly_for_active_work_the_page_does_not_show(office, make_logs, app):
    client = office()
    make_logs(client.connection, "running")
    make_logs(client.connection, "failed", age=timedelta(minutes=5))
    response = client.get(logs_url(client, status="failed"), headers=hx())
    poller = element(response.get_data(as_text=True), f"sync-log-list-{client.connection.id}")
    assert response.status_code == 200 and f"every {app.config['CHANNELS_LOGS_POLL_SECONDS']}s" in poller
    off = client.get(logs_url(client, auto=0), headers=hx())
    assert off.status_code == STOP_POLLING and "every" not in element(off.get_data(as_text=True),
                                                                      f"sync-log-list-{client.connection.id}")


def test_expanded_batches_stay_expanded_across_polls(office, make_logs):
    client = office()
    first, _ = make_logs(client.connection, "success")
    second, _ = make_logs(client.connection, "running")
    body = client.get(logs_url(client, expanded=first), headers=hx()).get_data(as_text=True)
    assert "checked" in element(body, f"batch-toggle-{first}")
    assert "checked" not in element(body, f"batch-toggle-{second}")


def test_sync_logs_filters_search_and_pagination(office, make_logs):
    client = office()
    for _ in range(13):
        make_logs(client.connection, "success", "success")
    make_logs(client.connection, "failed", error="Rate limited by channel")
    body = client.get(logs_url(client), headers=hx()).get_data(as_text=True)
    assert "1–25 of 27" in body and "Next" in body
    found = client.get(logs_url(client, q="rate limited"), headers=hx()).get_data(as_text=True)
    assert "Rate limited by channel" in found and found.count('class="batch-card"') == 1
    filtered = client.get(logs_url(client, operation_type="pricing_update"), headers=hx()).get_data(as_text=True)
    assert "(1 shown, filtered)" in filtered
    nothing = client.get(logs_url(client, q="no-such-thing"), headers=hx()).get_data(as_text=True)
    assert "No logs match your search." in nothing
    page = client.get(logs_url(client, status="failed")).get_data(as_text=True)  # bookmarkable without htmx
    assert "<html" in page and '<option value="failed" selected>' in page and "Rate limited by channel" in page


def test_sync_logs_empty_state(office):
    client = office()
    response = client.get(logs_url(client), headers=hx())
    assert response.status_code == STOP_POLLING and "No logs found" in response.get_data(as_text=True)


def test_trigger_sync_banner_then_logs_turn_final_after_the_worker(office, run_worker):
    client = office()
    cid = client.connection.id
    response = client.post(f"/connections/{cid}/sync", data={"sync_type": "full"}, headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Sync started: full" in body and "3 tasks" in body
    assert "sync-started" in response.headers["HX-Trigger"]
    batch_id = re.search(r'"batch_id": "([0-9a-f-]+)"', response.headers["HX-Trigger"]).group(1)
    again = client.post(f"/connections/{cid}/sync", data={"sync_type": "full"}, headers=hx()).get_data(as_text=True)
    assert "nothing new was queued" in again and batch_id in again  # the waiting batch, not a second one
    running = client.get(logs_url(client), headers=hx())
    assert running.status_code == 200 and 'data-state="pending"' in element(running.get_data(as_text=True),
                                                                             f"batch-card-{batch_id}")
    assert "live=1" in element(running.get_data(as_text=True), f"sync-log-list-{cid}")
    assert run_worker()
    done = client.get(logs_url(client, live=1), headers=hx())
    assert done.status_code == STOP_POLLING and done.headers["HX-Trigger"] == "sync-finished"
    assert 'data-state="success"' in element(done.get_data(as_text=True), f"batch-card-{batch_id}")


def test_trigger_sync_failure_banner(office, app):
    client = office(status="paused")
    response = client.post(f"/connections/{client.connection.id}/sync", data={"sync_type": "full"}, headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and response.headers["X-Swap-Error"] == "true"
    assert "Could not start the sync (HTTP 409): Connection is paused" in body
    missing = client.post(f"/connections/{client.connection.id}/sync", data={"sync_type": ""}, headers=hx())
    assert missing.status_code == 422 and "Could not start the sync (HTTP 422)" in missing.get_data(as_text=True)


def test_log_details_dialog_parses_double_encoded_details_and_polls_only_while_active(office, make_logs):
    import json

    client = office()
    cid = client.connection.id
    batch_id, (log_id,) = make_logs(client.connection, "running",
                                    details={"payload": json.dumps(json.dumps({"ranges_pushed": 4}))})
    dialog = client.get(f"/connections/{cid}/sync-logs/{log_id}", headers=hx({"HX-Target": "modal"}))
    html = dialog.get_data(as_text=True)
    assert dialog.status_code == 200 and f'<dialog id="log-dialog-{log_id}"' in html
    assert "Open Batch Details →" in html and f"from_log={log_id}" in html
    assert '&#34;ranges_pushed&#34;: 4' in html and "Copy JSON" in html
    assert "every" in element(html, f"log-body-{log_id}")

    from app.channels.service.logs import transition
    from app.extensions import db
    with client.application.app_context():
        transition(log_id, ("running",), status="success")
        db.session.commit()
    final = client.get(f"/connections/{cid}/sync-logs/{log_id}/status", headers=hx())
    assert final.status_code == STOP_POLLING and "hx-trigger" not in element(final.get_data(as_text=True),
                                                                             f"log-body-{log_id}")
    page = client.get(f"/connections/{cid}/sync-logs/{log_id}")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


def test_retry_now_starts_a_new_batch(office, make_logs):
    client = office()
    _, (log_id,) = make_logs(client.connection, "failed", error="Channel timeout")
    html = client.get(f"/connections/{client.connection.id}/sync-logs/{log_id}", headers=hx()).get_data(as_text=True)
    assert "Retry now" in html
    response = client.post(f"/connections/{client.connection.id}/sync-logs/{log_id}/retry", headers=hx())
    assert response.status_code == 200 and "Retry started as batch" in response.get_data(as_text=True)
    assert "sync-started" in response.headers["HX-Trigger"]


def test_batch_details_live_while_running_then_stops(office, make_logs):
    client = office()
    cid = client.connection.id
    batch_id, (first, second) = make_logs(client.connection, "success", "running")
    dialog = client.get(f"/connections/{cid}/sync-batches/{batch_id}?from_log={first}", headers=hx())
    html = dialog.get_data(as_text=True)
    assert dialog.status_code == 200 and f'<dialog id="batch-dialog-{batch_id}"' in html
    assert 'aria-label="Back to log details"' in html and "data-close-dialog" in html
    body = element(html, f"batch-body-{batch_id}")
    assert "every 3s" in body and "Live" in html and "Last refreshed:" in html and "Data Updated At" in html
    assert "Auto refresh" in html and "Refresh" in html
    off = client.get(f"/connections/{cid}/sync-batches/{batch_id}/status?auto=0", headers=hx())
    assert off.status_code == STOP_POLLING and "hx-trigger" not in element(off.get_data(as_text=True),
                                                                           f"batch-body-{batch_id}")

    from app.channels.service.logs import fail_log
    from app.extensions import db
    with client.application.app_context():
        fail_log(second, "Channel timeout")
        db.session.commit()
    final = client.get(f"/connections/{cid}/sync-batches/{batch_id}/status?auto=1", headers=hx())
    text = final.get_data(as_text=True)
    assert final.status_code == STOP_POLLING and "hx-trigger" not in element(text, f"batch-body-{batch_id}")
    assert "Troubleshooting" in text and 'data-status="failed"' in text and "Live" not in text
    standalone = client.get(f"/connections/{cid}/sync-batches/{batch_id}", headers=hx()).get_data(as_text=True)
    assert 'aria-label="Back to connection"' in standalone


def test_sync_history_pages_and_filters(office, make_logs):
    client = office()
    cid = client.connection.id
    for index in range(21):
        make_logs(client.connection, "success", age=timedelta(minutes=index + 1))
    failed, _ = make_logs(client.connection, "failed")
    html = client.get(f"/connections/{cid}/sync-batches", headers=hx()).get_data(as_text=True)
    assert html.count('class="clickable"') == 20 and f"history_offset=20" in html
    assert 'hx-trigger="click target:td"' in html and "every" not in element(html, f"sync-history-{cid}")
    only_failed = client.get(f"/connections/{cid}/sync-batches?history_status=failed", headers=hx())
    text = only_failed.get_data(as_text=True)
    assert text.count('class="clickable"') == 1 and f"history-{failed}" in text
    none = client.get(f"/connections/{cid}/sync-batches?history_status=running", headers=hx())
    assert "No running batches." in none.get_data(as_text=True)
    page = client.get(f"/connections/{cid}/sync-batches?history_status=failed").get_data(as_text=True)
    assert "<html" in page and f"history-{failed}" in page


# --- purge ---

def test_purge_dialog_preview_and_typed_confirmation(office, make_logs):
    client = office()
    cid = client.connection.id
    make_logs(client.connection, "success", "success", age=timedelta(days=40))
    make_logs(client.connection, "success", age=timedelta(days=10))
    dialog = client.get(f"/connections/{cid}/sync-logs/purge", headers=hx()).get_data(as_text=True)
    assert '<dialog id="purge-dialog"' in dialog and 'value="30" checked' in dialog
    assert 'pattern="PURGE"' in dialog and "This connection only" in dialog and "data-disable-until-valid" in dialog
    preview = client.get(f"/connections/{cid}/sync-logs/purge/preview?retention_days=30", headers=hx())
    assert "Will delete: <strong>2</strong> logs" in preview.get_data(as_text=True)
    week = client.get(f"/connections/{cid}/sync-logs/purge/preview?retention_days=7", headers=hx())
    assert "Will delete: <strong>3</strong> logs" in week.get_data(as_text=True)

    wrong = client.post(f"/connections/{cid}/sync-logs/purge", data={"retention_days": "30", "confirm_phrase": "purge"},
                        headers=hx())
    assert wrong.status_code == 422 and "Type PURGE" in wrong.get_data(as_text=True)
    done = client.post(f"/connections/{cid}/sync-logs/purge", data={"retention_days": "30", "confirm_phrase": "PURGE"},
                       headers=hx())
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and done.headers["HX-Reswap"] == "delete"
    assert 'hx-swap-oob="true"' in text and "Purged 2 logs older than 30 days" in text
    assert "logs-purged" in done.headers["HX-Trigger"]
    assert "· 1 log\n" in client.get(logs_url(client), headers=hx()).get_data(as_text=True)


def test_purge_is_admin_only(office):
    client = office("manager")
    cid = client.connection.id
    html = client.get(f"/connections/{cid}").get_data(as_text=True)
    button = element(html, f"purge-logs-{cid}")
    assert "disabled" in button and "hx-get" not in button
    assert client.get(f"/connections/{cid}/sync-logs/purge", headers=hx()).status_code == 403
    assert client.get(f"/connections/{cid}/sync-logs/purge/preview?retention_days=30").status_code == 403
    response = client.post(f"/connections/{cid}/sync-logs/purge", data={"retention_days": "30",
                                                                        "confirm_phrase": "PURGE"}, headers=hx())
    assert response.status_code == 403


# --- new connection and property mapping ---

def test_new_connection_dialog_starts_unselected_and_validates(office, app):
    client = office()
    dialog = client.get("/connections/new", headers=hx()).get_data(as_text=True)
    assert '<dialog id="connection-new-dialog"' in dialog and "Select a platform..." in dialog
    assert "selected" not in dialog and "Skip connection test (mock mode)" in dialog
    assert "data-disable-until-valid" in dialog and "data-json-object" in dialog
    bad = client.post("/connections", data={"property_id": "", "platform_type": "", "platform_metadata": "[1"},
                      headers=hx())
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Select a property" in text and "Select a platform" in text
    assert "Invalid JSON" in text
    duplicate = client.post("/connections", data={"property_id": str(client.prop.id), "platform_type": "airbnb",
                                                  "skip_connection_test": "1"}, headers=hx())
    assert duplicate.status_code == 422 and "already exists" in duplicate.get_data(as_text=True)
    created = client.post("/connections", data={"property_id": str(client.prop.id), "platform_type": "booking_com",
                                                "platform_metadata": '{"mock_mode": true}', "opened_in": "dialog"},
                          headers=hx())
    assert created.status_code == 200 and created.headers["HX-Reswap"] == "delete"
    assert "connections-changed" in created.headers["HX-Trigger"] and "Connection created" in created.headers["HX-Trigger"]
    assert "Booking.com" in client.get("/connections").get_data(as_text=True)


def test_assign_property(office, make_property):
    client = office()
    other = make_property(client.agency, name="Strandhaus")
    url = f"/connections/{client.connection.id}/property"
    response = client.post(url, data={"property_id": str(other.id)}, headers=hx())
    assert response.status_code == 200 and "Strandhaus" in response.get_data(as_text=True)
    assert "Property assigned successfully" in response.headers["HX-Trigger"]
    missing = client.post(url, data={"property_id": ""}, headers=hx())
    assert missing.status_code == 422 and "Failed to assign property: Select a property" in missing.headers["HX-Trigger"]


# --- channel sync page ---

def test_channel_sync_form_has_nothing_preselected(office):
    client = office()
    html = client.get("/channel-sync").get_data(as_text=True)
    start = html.index('id="channel-sync-form"')
    form = html[start:html.index("</form>", start)]
    assert "selected" not in form and "Please select Sync Type, Platform, and Property" in form
    assert "Auto-detect" in form and 'type="date"' in form
    assert "Enter Connection ID or use Auto-detect button above" in html


def test_auto_detect_fills_the_connection_and_loads_its_logs(office, make_logs):
    client = office()
    make_logs(client.connection, "running")
    response = client.get(f"/channel-sync/detect?platform=airbnb&property_id={client.prop.id}", headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{client.connection.id}"' in body and "auto-detected" in body
    logs = element(body, "channel-sync-logs")
    assert 'hx-swap-oob="true"' in logs and "every 5s" in logs
    assert "fewo_channel_sync" in response.headers["Set-Cookie"]
    again = client.get("/channel-sync").get_data(as_text=True)
    assert f'value="{client.connection.id}"' in again and "every 5s" in element(again, "channel-sync-logs")

    none = client.get(f"/channel-sync/detect?platform=google&property_id={client.prop.id}", headers=hx())
    assert none.status_code == 422 and "No Google Vacation Rentals connection found" in none.get_data(as_text=True)
    cleared = client.get("/channel-sync/detect?clear=1", headers=hx())
    assert "Connection ID cleared" in cleared.headers["HX-Trigger"] and "Auto-detect" in cleared.get_data(as_text=True)


def test_channel_sync_logs_stop_polling_when_final(office, make_logs):
    client = office()
    make_logs(client.connection, "success", "failed", error="Boom")
    response = client.get(f"/channel-sync/logs?connection_id={client.connection.id}", headers=hx())
    assert response.status_code == STOP_POLLING and "every" not in element(response.get_data(as_text=True),
                                                                            "channel-sync-logs")
    bad = client.get("/channel-sync/logs?connection_id=not-a-uuid", headers=hx())
    assert "Connection ID must be a valid UUID" in bad.get_data(as_text=True)


def test_channel_sync_trigger_links_the_batch_and_opens_nothing_by_itself(office):
    client = office()
    form = {"sync_type": "availability", "platform": "airbnb", "property_id": str(client.prop.id),
            "connection_id": "", "start_date": "", "end_date": ""}
    response = client.post("/channel-sync", data=form, headers=hx())
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Availability sync started — 1 operation</strong>" in body
    assert "<dialog" not in body and "#modal" in body  # Log Details does not open by itself
    assert "every 5s" in element(body, "channel-sync-logs")
    full = client.post("/channel-sync", data={**form, "sync_type": "full"}, headers=hx()).get_data(as_text=True)
    assert "Full sync started — 3 operations" in full and "Task" not in element(full, "channel-sync-started")
    batch_link = re.search(r'href="(/connections/[0-9a-f-]{36}/sync-batches/[0-9a-f-]{36})"', full)
    assert batch_link and client.get(batch_link.group(1)).status_code == 200
    bookings = client.post("/channel-sync", data={**form, "sync_type": "bookings"}, headers=hx())
    assert bookings.status_code == 200 and "Bookings sync started — 1 operation" in bookings.get_data(as_text=True)


def test_channel_sync_offers_bookings_and_auto_detect_sends_no_csrf_token(office):
    client = office()
    html = client.get("/channel-sync").get_data(as_text=True)
    assert re.search(r'<option value="bookings"\s*>Bookings</option>', html), "no Bookings sync type"
    auto_detect = re.search(r'<button[^>]*>Auto-detect</button>', html).group(0)
    assert 'hx-params="not csrf_token"' in auto_detect


def test_failed_auto_detect_keeps_trigger_blocked(office):
    client = office()
    none = client.get(f"/channel-sync/detect?platform=google&property_id={client.prop.id}", headers=hx())
    field = element(none.get_data(as_text=True), "cs-connection")
    assert 'data-invalid="No Google Vacation Rentals connection found for this property"' in field
    found = client.get(f"/channel-sync/detect?platform=airbnb&property_id={client.prop.id}", headers=hx())
    assert "data-invalid" not in element(found.get_data(as_text=True), "cs-connection")


def test_channel_sync_trigger_errors_inline(office):
    client = office()
    empty = client.post("/channel-sync", data={}, headers=hx())
    text = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "Select a sync type" in text and "Select a platform" in text
    wrong = client.post("/channel-sync", data={"sync_type": "full", "platform": "expedia",
                                               "property_id": str(client.prop.id)}, headers=hx())
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "No Expedia connection found for this property" in text
    assert "Could not start the sync (HTTP 422)" in text
    dates = client.post("/channel-sync", data={"sync_type": "pricing", "platform": "airbnb",
                                               "property_id": str(client.prop.id),
                                               "start_date": str(date.today() + timedelta(days=10)),
                                               "end_date": str(date.today() + timedelta(days=5))}, headers=hx())
    assert dates.status_code == 422 and "End date must be after start date" in dates.get_data(as_text=True)


# --- roles, sessions and error states ---

@pytest.mark.parametrize("path", ["/connections", "/channel-sync", "/connections/new"])
def test_staff_gets_403_pages_and_no_navigation(logged_in, path):
    client = logged_in("staff")
    response = client.get(path)
    assert response.status_code == 403 and "Not authorized" in response.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/connections"' not in home and 'href="/channel-sync"' not in home


def test_manager_sees_navigation(logged_in):
    html = logged_in("manager").get("/connections").get_data(as_text=True)
    assert 'href="/connections"' in html and 'href="/channel-sync"' in html


def test_anonymous_pages_redirect_and_pollers_show_the_session_expired_banner(client, make_user):
    page = client.get("/connections")
    assert page.status_code == 302 and "/login?next=/connections" in page.headers["Location"]
    poll = client.get(f"/connections/{uuid.uuid4()}/sync-logs",
                      headers=hx({"HX-Current-URL": "http://localhost/channel-sync"}))
    assert poll.status_code == 401 and "HX-Redirect" not in poll.headers
    assert "Your session expired" in poll.get_data(as_text=True) and "/login?next=/channel-sync" in poll.get_data(as_text=True)


def test_other_agencies_connection_is_a_404_error_state_without_polling(office, logged_in):
    client = office()
    stranger = logged_in("admin")
    target = f"sync-log-list-{client.connection.id}"
    response = stranger.get(logs_url(client), headers=hx({"HX-Target": target}))
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and response.headers["X-Swap-Error"] == "true"
    assert element(body, target) and "Connection not found" in body and "hx-trigger" not in body
    assert stranger.get(f"/connections/{client.connection.id}").status_code == 404


def test_database_outage_shows_the_panel_error_state_that_keeps_retrying(database_url, redis_url, app, office):
    from urllib.parse import urlsplit

    from app import create_app
    from tests.conftest import build_config
    from tests.factories import CsrfClient
    from tests.tcp_proxy import TcpProxy, postgres_target

    owner = office()
    proxy = TcpProxy(postgres_target(database_url))
    proxy.start()
    try:
        proxied = f"postgresql://postgres@127.0.0.1:{proxy.port}{urlsplit(database_url).path}"
        outage_app = create_app(build_config(proxied, redis_url, SECRET_KEY=app.config["SECRET_KEY"],
                                             ENCRYPTION_KEY=app.config["ENCRYPTION_KEY"], DB_STARTUP_CHECK=False))
        outage_app.test_client_class = CsrfClient
        browser = outage_app.test_client()
        browser.set_cookie("session", owner.get_cookie("session").value)
        target = f"sync-log-list-{owner.connection.id}"
        assert browser.get(logs_url(owner), headers=hx({"HX-Target": target})).status_code == STOP_POLLING
        proxy.stop()
        response = browser.get(logs_url(owner), headers=hx({"HX-Target": target}))
        page = browser.get(f"/connections/{owner.connection.id}")
    finally:
        proxy.stop()
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["X-Swap-Error"] == "true"
    assert "Service temporarily unavailable" in body and "every 10s" in element(body, target)
    assert page.status_code == 503 and "Database is temporarily unavailable." in page.get_data(as_text=True)


def test_channel_pages_answer_404_when_the_channel_manager_is_off(app, database_url, redis_url):
    from app import create_app
    from tests.conftest import build_config

    off = create_app(build_config(database_url, redis_url, CHANNELS_ENABLED=False, DB_STARTUP_CHECK=False))
    assert "channels.connections" not in off.view_functions
    assert off.test_client().get("/connections").status_code == 404
