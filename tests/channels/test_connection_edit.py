"""New Connection as a page, Edit connection (write-only tokens) and Delete connection (admin)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.channels.helpers import insert_logs
from tests.factories import hx


@pytest.fixture
def office(logged_in, make_property, make_connection, mock_mode):
    def build(role: str = "admin"):
        client = logged_in(role)
        client.prop = make_property(client.user.agency, name="Haus Seeblick")
        client.connection = make_connection(client.user.agency, client.prop, "airbnb", access_token="old-token",
                                            platform_listing_id="listing-1")
        return client
    return build


def stored(app, connection_id):
    from app.channels.models import ChannelConnection
    from app.channels.service.connections import snapshot
    from app.extensions import db

    with app.app_context():
        return snapshot(db.session.get(ChannelConnection, connection_id)), db.session.get(
            ChannelConnection, connection_id).deleted_at


def test_new_connection_page_goes_to_the_new_connection(office, make_property):
    client = office()
    other = make_property(client.user.agency, name="Strandhaus")
    page = client.get("/connections/new").get_data(as_text=True)
    assert 'name="opened_in" value="page"' in page and "data-submit-hint" in page
    assert 'data-missing="Select a platform"' in page and 'data-missing="Select a property"' in page
    created = client.post("/connections", data={"property_id": str(other.id), "platform_type": "booking_com",
                                                "opened_in": "page"}, headers=hx())
    assert created.status_code == 200 and "HX-Reswap" not in created.headers
    assert created.headers["HX-Redirect"].startswith("/connections/")
    assert "Strandhaus" in client.get(created.headers["HX-Redirect"]).get_data(as_text=True)
    invalid = client.post("/connections", data={"property_id": "", "opened_in": "page"}, headers=hx())
    assert invalid.status_code == 422 and 'name="opened_in" value="page"' in invalid.get_data(as_text=True)


def test_edit_keeps_tokens_left_empty_and_never_shows_them(office, app):
    client = office("manager")
    cid = client.connection.id
    form = client.get(f"/connections/{cid}/edit").get_data(as_text=True)
    assert 'value="listing-1"' in form and "old-token" not in form and "Leave empty to keep" in form
    assert "(stored)" in form and "(not set)" in form
    saved = client.post(f"/connections/{cid}/edit", headers=hx(), data={
        "platform_listing_id": "listing-2", "status": "paused", "access_token": "", "refresh_token": "new-refresh",
        "ical_import_url": "https://channel.example/feed.ics", "platform_metadata": '{"sync_interval_minutes": 30}'})
    assert saved.status_code == 200 and saved.headers["HX-Redirect"] == f"/connections/{cid}"
    connection, _ = stored(app, cid)
    assert (connection.platform_listing_id, connection.status) == ("listing-2", "paused")
    assert (connection.access_token, connection.refresh_token) == ("old-token", "new-refresh")
    assert connection.ical_import_url == "https://channel.example/feed.ics"
    assert connection.platform_metadata == {"sync_interval_minutes": 30}
    detail = client.get(f"/connections/{cid}").get_data(as_text=True)
    assert "Connection saved" in detail and "Paused" in detail


def test_edit_reports_every_invalid_field_and_changes_nothing(office, app):
    client = office()
    cid = client.connection.id
    response = client.post(f"/connections/{cid}/edit", headers=hx(), data={
        "platform_listing_id": "listing-9", "status": "exploded", "platform_metadata": "[1]"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose a status" in text and "Metadata must be a JSON object" in text
    bad_url = client.post(f"/connections/{cid}/edit", headers=hx(), data={
        "platform_listing_id": "listing-9", "status": "active", "ical_import_url": "ftp://feed"})
    assert bad_url.status_code == 422 and "Must be an http(s) URL" in bad_url.get_data(as_text=True)
    connection, _ = stored(app, cid)
    assert connection.platform_listing_id == "listing-1" and connection.ical_import_url is None


def test_delete_confirm_names_what_happens_to_the_logs_then_deletes(office, app):
    client = office()
    cid = client.connection.id
    with app.app_context():
        insert_logs(client.connection, "success", "failed", "running")
    dialog = client.get(f"/connections/{cid}/delete", headers=hx()).get_data(as_text=True)
    assert '<dialog id="connection-delete-dialog"' in dialog
    assert "Its 3 sync logs are kept for audit but no longer shown" in dialog and "after 90 days" in dialog
    assert "1 sync still running or queued will fail" in dialog
    deleted = client.post(f"/connections/{cid}/delete", headers=hx())
    assert deleted.status_code == 200 and deleted.headers["HX-Redirect"] == "/connections"
    _, deleted_at = stored(app, cid)
    assert deleted_at is not None
    listing = client.get("/connections").get_data(as_text=True)
    assert "Connection deleted" in listing and f"connection-{cid}" not in listing
    assert client.get(f"/connections/{cid}").status_code == 404


def test_only_admins_delete_and_other_agencies_get_404(office, logged_in):
    client = office("manager")
    cid = client.connection.id
    assert client.get(f"/connections/{cid}/delete").status_code == 403
    assert client.post(f"/connections/{cid}/delete", headers=hx()).status_code == 403
    assert f"/connections/{cid}/delete" not in client.get(f"/connections/{cid}").get_data(as_text=True)
    stranger = logged_in("admin")
    assert stranger.get(f"/connections/{cid}/edit").status_code == 404
    assert stranger.post(f"/connections/{cid}/edit", data={"status": "paused"}, headers=hx()).status_code == 404
    assert stranger.post(f"/connections/{cid}/delete", headers=hx()).status_code == 404


def test_new_connection_reads_never_synced_not_stale(office, app):
    client = office()
    cid = client.connection.id
    html = client.get(f"/connections/{cid}").get_data(as_text=True)
    assert "Never synced" in html and ">Stale<" not in html
    with app.app_context():
        insert_logs(client.connection, "success", age=timedelta(days=3))
    html = client.get(f"/connections/{cid}").get_data(as_text=True)
    assert ">Stale<" in html and "Never synced" not in html


def test_purge_preview_with_nothing_to_delete_blocks_the_purge_button(office, app):
    client = office()
    cid = client.connection.id
    empty = client.get(f"/connections/{cid}/sync-logs/purge/preview?retention_days=30", headers=hx())
    assert 'data-blocks-submit="Nothing to purge: no logs are older than 30 days"' in empty.get_data(as_text=True)
    with app.app_context():
        insert_logs(client.connection, "success", age=timedelta(days=40))
    some = client.get(f"/connections/{cid}/sync-logs/purge/preview?retention_days=30", headers=hx())
    assert "data-blocks-submit" not in some.get_data(as_text=True) and "Will delete: <strong>1</strong>" in some.get_data(as_text=True)
    dialog = client.get(f"/connections/{cid}/sync-logs/purge", headers=hx()).get_data(as_text=True)
    assert re.search(r'<input id="purge-confirm"[^>]*autofocus', dialog)
