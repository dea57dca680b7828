"""Connections API: listing contract, create/update/delete with roles and tenancy, test endpoint."""
from __future__ import annotations

import uuid

from sqlalchemy import text

CONNECTIONS = "/api/v1/channel-connections/"


def test_list_is_a_bare_array_with_the_documented_fields(client, setup):
    user, headers, prop, connection = setup()
    response = client.get(CONNECTIONS, headers=headers)
    assert response.status_code == 200
    rows = response.get_json()
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert row["id"] == str(connection.id) and row["tenant_id"] == str(user.agency.id)
    assert row["property_id"] == str(prop.id) and row["property_name"] == prop.name
    assert {"platform_type", "platform_listing_id", "status", "platform_metadata", "last_sync_at",
            "created_at", "updated_at"} <= set(row)
    assert row["last_sync_at"] is None and row["stale"] is True
    assert client.head(CONNECTIONS, headers=headers).status_code == 200


def test_list_without_slash_redirects_307_keeping_query_and_https(app_config, client, setup):
    from app import create_app

    _, headers, _, _ = setup()
    forwarded = {**headers, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "pms.example.com"}
    behind_proxy = create_app({**app_config, "TRUSTED_PROXY_HOPS": 1, "DB_STARTUP_CHECK": False,
                               "BACKOFFICE_HOSTS": ["localhost", "pms.example.com"]}).test_client()
    response = behind_proxy.get("/api/v1/channel-connections?limit=5&status=active", headers=forwarded)
    assert response.status_code == 307
    assert response.headers["Location"] == "https://pms.example.com/api/v1/channel-connections/?limit=5&status=active"
    # Without a trusted proxy (the default) the client's X-Forwarded-* headers change nothing.
    response = client.get("/api/v1/channel-connections?limit=5&status=active", headers=forwarded)
    assert response.headers["Location"] == "http://localhost/api/v1/channel-connections/?limit=5&status=active"
    assert client.get("/api/v1/channel-connections?limit=5", headers=headers,
                      follow_redirects=True).status_code == 200


def test_list_filters_searches_and_is_scoped_to_the_agency(client, setup, make_connection, make_property):
    user, headers, prop, airbnb = setup()
    other_prop = make_property(user.agency, name="Strandhaus Sylt")
    booking = make_connection(user.agency, other_prop, "booking_com", status="paused")
    setup()  # another agency's connection never shows
    ids = lambda url: [row["id"] for row in client.get(url, headers=headers).get_json()]  # noqa: E731
    assert set(ids(CONNECTIONS)) == {str(airbnb.id), str(booking.id)}
    assert ids(CONNECTIONS + "?platform_type=booking_com") == [str(booking.id)]
    assert ids(CONNECTIONS + "?status=active") == [str(airbnb.id)]
    assert ids(CONNECTIONS + "?q=sylt") == [str(booking.id)]
    assert ids(CONNECTIONS + "?limit=1&offset=1") == [str(airbnb.id)]
    assert client.get(CONNECTIONS + "?limit=0", headers=headers).status_code == 422


def test_bad_legacy_row_is_skipped_not_a_500(client, setup, app):
    _, headers, _, connection = setup()
    with app.app_context():
        from app.extensions import db

        db.session.execute(text("UPDATE channel_connections SET platform_metadata = '[1, 2]' WHERE id = :id"),
                           {"id": connection.id})
        db.session.commit()
    response = client.get(CONNECTIONS, headers=headers)
    assert response.status_code == 200 and response.get_json() == []


def test_create_encrypts_tokens_and_never_returns_them(client, make_user, make_property, bearer, app, mock_mode):
    user = make_user(role="manager")
    prop = make_property(user.agency)
    # the feed URL is not reachable from the tests (even mock mode reads a connection's real feed)
    response = client.post(f"{CONNECTIONS}?skip_connection_test=true", headers=bearer(user), json={
        "property_id": str(prop.id), "platform_type": "booking_com", "platform_listing_id": "bk-1",
        "access_token": "secret-access", "refresh_token": "secret-refresh",
        "platform_metadata": {"hotel": 7}, "ical_import_url": "https://channel.example/feed.ics?key=s3cret"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert "secret-access" not in body and "secret-refresh" not in body and "s3cret" not in body
    created = response.get_json()
    assert created["tenant_id"] == str(user.agency.id) and created["has_ical_import"] is True
    assert created["platform_metadata"] == {"hotel": 7} and created["status"] == "active"
    with app.app_context():
        from app.channels import crypto
        from app.channels.models import ChannelConnection
        from app.extensions import db

        row = db.session.get(ChannelConnection, uuid.UUID(created["id"]))
        assert row.access_token_encrypted and "secret-access" not in row.access_token_encrypted
        assert crypto.decrypt(row.access_token_encrypted) == "secret-access"
        assert crypto.decrypt(row.ical_import_url_encrypted).endswith("key=s3cret")


def test_create_runs_the_connection_test_unless_skipped(client, make_user, make_property, bearer):
    user = make_user()
    prop = make_property(user.agency)
    payload = {"property_id": str(prop.id), "platform_type": "airbnb"}
    # HTTP mode without configured credentials: the test fails and nothing is written
    response = client.post(CONNECTIONS, headers=bearer(user), json=payload)
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("Connection test failed: Airbnb credentials not configured")
    assert client.get(CONNECTIONS, headers=bearer(user)).get_json() == []
    response = client.post(CONNECTIONS + "?skip_connection_test=true", headers=bearer(user), json=payload)
    assert response.status_code == 201


def test_create_validation_conflicts_roles_and_tenancy(client, make_user, make_property, bearer, setup):
    user = make_user()
    prop = make_property(user.agency)
    url = CONNECTIONS + "?skip_connection_test=true"
    payload = {"property_id": str(prop.id), "platform_type": "airbnb"}
    assert client.post(url, headers=bearer(user), json={**payload, "platform_type": "vrbo"}).get_json() == {
        "detail": "Platform vrbo not yet supported"}
    assert client.post(url, headers=bearer(user), json={"platform_type": "airbnb"}).status_code == 422
    assert client.post(url, headers=bearer(user), json={**payload, "status": "ACTIVE"}).status_code == 422
    assert client.post(url, headers=bearer(user), json={**payload, "ical_import_url": "ftp://x"}).status_code == 422
    assert client.post(url, headers=bearer(user), json=payload).status_code == 201
    duplicate = client.post(url, headers=bearer(user), json=payload)
    assert duplicate.status_code == 409
    staff = make_user(role="staff", agency=user.agency)
    assert client.post(url, headers=bearer(staff), json=payload).status_code == 403
    _, other_headers, _, _ = setup()
    response = client.post(url, headers=other_headers, json={**payload, "platform_type": "google"})
    assert response.status_code == 404 and response.get_json() == {"detail": "Property not found"}


def test_detail_patch_put_and_soft_delete(client, setup, make_property):
    user, headers, prop, connection = setup()
    url = f"{CONNECTIONS}{connection.id}"
    detail = client.get(url, headers=headers).get_json()
    assert set(detail["freshness"]) == {"availability_update", "pricing_update", "bookings_sync"}
    assert detail["freshness"]["bookings_sync"] == {"last_success_at": None, "age_seconds": None}
    unmapped = client.patch(url, headers=headers, json={"property_id": None, "status": "paused"}).get_json()
    assert unmapped["property_id"] is None and unmapped["status"] == "paused"
    assert unmapped["platform_listing_id"] == connection.platform_listing_id  # untouched
    other = make_property(user.agency)
    mapped = client.put(url, headers=headers, json={"property_id": str(other.id), "platform_metadata": {"a": 1}})
    assert mapped.status_code == 200 and mapped.get_json()["property_id"] == str(other.id)
    assert client.patch(url, headers=headers, json={"status": None}).status_code == 422
    assert client.patch(url, headers=headers, json={"property_id": str(uuid.uuid4())}).status_code == 404
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).get_json() == {"detail": "Connection not found"}
    assert client.get(CONNECTIONS, headers=headers).get_json() == []


def test_other_agencies_get_404_and_roles_are_enforced(client, setup, make_user, bearer):
    _, _, _, connection = setup()
    _, other_headers, _, _ = setup()
    url = f"{CONNECTIONS}{connection.id}"
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("post", "/test"), ("post", "/sync"),
                         ("get", "/sync-logs"), ("get", "/sync-batches")):
        response = getattr(client, method)(url + path, headers=other_headers,
                                           json={"sync_type": "full"} if path == "/sync" else {})
        assert response.status_code == 404, (method, path, response.status_code)
    manager_user, manager_headers, _, managed = setup(role="manager")
    assert client.delete(f"{CONNECTIONS}{managed.id}", headers=manager_headers).status_code == 403
    accountant = make_user(role="accountant", agency=manager_user.agency)
    assert client.patch(f"{CONNECTIONS}{managed.id}", headers=bearer(accountant), json={}).status_code == 403
    assert client.get(f"{CONNECTIONS}not-a-uuid", headers=manager_headers).status_code == 422
    assert client.get(CONNECTIONS).status_code == 401


def test_test_endpoint_in_mock_mode(client, setup, mock_mode):
    _, headers, _, connection = setup()
    url = f"{CONNECTIONS}{connection.id}/test"
    body = client.post(url, headers=headers, json={}).get_json()
    assert body["healthy"] is True and body["message"] == "Mock: Connection is healthy"
    assert body["platform_type"] == "airbnb" and body["connection_id"] == str(connection.id)
    details = body["details"]
    assert details["mock_mode"] is True and details["simulated"] is True
    assert details["connection_status"] == "active" and details["remote_account_id"] == "mock_airbnb_host_123456"
    assert "booking_retrieval" in details["capabilities"] and "CHANNELS_MOCK_MODE=false" in details["note"]
    client.patch(f"{CONNECTIONS}{connection.id}", headers=headers, json={"status": "paused"})
    paused = client.post(url, headers=headers, json={}).get_json()
    assert paused["healthy"] is False and paused["message"] == "Mock: Connection status is paused"
    assert client.get(url, headers=headers).status_code == 405


def test_values_the_database_refuses_are_422_not_500(client, setup):
    _, headers, _, connection = setup()
    assert client.get(CONNECTIONS + "?q=a%00b", headers=headers).status_code == 422
    response = client.patch(f"{CONNECTIONS}{connection.id}", headers=headers, json={"platform_listing_id": "a\0b"})
    assert response.status_code == 422 and response.get_json()["detail"][0]["msg"].startswith("Invalid value")
    assert client.get(f"{CONNECTIONS}{connection.id}", headers=headers).get_json()["platform_listing_id"] == (
        connection.platform_listing_id)
