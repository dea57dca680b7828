"""Security drill, outbound calls: a user-set URL (the iCal import URL) must never reach our own
network — not when saved, not when connecting (DNS may change), not through a redirect — no remote
body is echoed into a message, no channel credential goes to a feed, and a huge or trickling
feed is cut off by a byte cap and a total deadline.

Two local servers stand in for the world: a "channel" on 127.0.0.1 (let through with
CHANNELS_ALLOWED_PRIVATE_HOSTS, as an intranet feed would be) and an "internal service" on
127.0.0.2 that nothing may reach.
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from werkzeug.wrappers import Request, Response

from devtools.simulator import BackgroundServer

pytestmark = pytest.mark.slow

INTERNAL_SECRET = "internal-service-secret-7f3a"
REMOTE_ERROR_BODY = "remote-error-page-body-c41d"
FEED = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//drill//EN\r\nBEGIN:VEVENT\r\nUID:stay-1\r\n"
        "DTSTART;VALUE=DATE:20310105\r\nDTEND;VALUE=DATE:20310108\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n")
# Every spelling of an internal address an attacker tried (and a few more); none may be saved.
REFUSED_URLS = (
    "http://127.0.0.1:6379/", "http://localhost:6379/", "http://[::1]/feed.ics", "http://0x7f000001/",
    "http://2130706433/", "http://0177.0.0.1/", "http://127.1/", "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::7f00:1]/",
    "http://10.0.0.1/", "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://240.0.0.1/", "http://0.0.0.0/", "http://[fe80::1]/", "http://[::]/",
    "http://user:pass@127.0.0.1/", "ftp://127.0.0.1/feed.ics", "file:///etc/passwd",
)


class Recorder:
    """A WSGI app that records each request and answers from `routes` (path -> callable)."""

    def __init__(self, routes: dict):
        self.routes, self.requests, self.lock = routes, [], threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            self.requests.append({"path": request.path, "headers": dict(request.headers)})
        handler = self.routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)


def trickle(_request):
    def lines():
        for index in range(40):
            time.sleep(0.3)
            yield f"X-LINE-{index}:slow\r\n".encode()
    return Response(lines(), mimetype="text/calendar")


def huge(_request):
    chunk = b"X" * 65536
    return Response((chunk for _ in range(320)), mimetype="text/calendar")  # 20 MB, no Content-Length


@pytest.fixture(scope="module")
def internal():
    recorder = Recorder({"/": lambda request: Response(INTERNAL_SECRET, mimetype="text/plain")})
    server = BackgroundServer(recorder, host="127.0.0.2").start()
    server.recorder = recorder
    yield server
    server.stop()


@pytest.fixture(scope="module")
def channel(internal):
    routes = {
        "/feed.ics": lambda request: Response(FEED, mimetype="text/calendar"),
        "/to-internal": lambda request: Response("", status=302, headers={"Location": f"{internal.url}/"}),
        "/hop/1": lambda request: Response("", status=302, headers={"Location": "/hop/2"}),
        "/hop/2": lambda request: Response("", status=301, headers={"Location": "/hop/3"}),
        "/hop/3": lambda request: Response("", status=307, headers={"Location": "/hop/4"}),
        "/hop/4": lambda request: Response("", status=302, headers={"Location": "/feed.ics"}),
        "/to-feed": lambda request: Response("", status=302, headers={"Location": "/feed.ics"}),
        "/error": lambda request: Response(f"<html>{REMOTE_ERROR_BODY}</html>", status=500, mimetype="text/html"),
        "/not-ical": lambda request: Response(f"<html>{REMOTE_ERROR_BODY}</html>", mimetype="text/html"),
        "/huge": huge,
        "/huge-announced": lambda request: Response(b"X" * (2 * 1024 * 1024), mimetype="text/calendar"),
        "/trickle": trickle,
    }
    recorder = Recorder(routes)
    server = BackgroundServer(recorder, host="127.0.0.1").start()
    server.recorder = recorder
    yield server
    server.stop()


@pytest.fixture
def ical_world(app, make_user, make_property, bearer, monkeypatch):
    """An admin, a property and a helper creating iCal connections (API credentials not configured)."""
    monkeypatch.setitem(app.config, "CHANNELS_ALLOWED_PRIVATE_HOSTS", ["127.0.0.1"])
    user = make_user("admin")
    prop = make_property(user.agency)
    return user, bearer(user), prop


def create(client, headers, prop, url: str, platform: str = "fewo_direkt"):
    return client.post("/api/v1/channel-connections/?skip_connection_test=true", headers=headers,
                       json={"property_id": str(prop.id), "platform_type": platform, "ical_import_url": url})


def connection_count(app, agency_id) -> int:
    from sqlalchemy import func, select

    from app.channels.models import ChannelConnection
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ChannelConnection)
                                 .where(ChannelConnection.agency_id == agency_id))


def test_private_urls_are_refused_at_save_time_and_nothing_is_written(app, client, ical_world, channel, figures,
                                                                     monkeypatch):
    user, headers, prop = ical_world
    monkeypatch.setitem(app.config, "CHANNELS_ALLOWED_PRIVATE_HOSTS", [])  # as in production
    for url in REFUSED_URLS:
        response = create(client, headers, prop, url)
        assert response.status_code == 422, (url, response.get_data(as_text=True))
        assert response.get_json()["error"] == "url_not_allowed", url
    assert connection_count(app, user.agency.id) == 0
    monkeypatch.setitem(app.config, "CHANNELS_ALLOWED_PRIVATE_HOSTS", ["127.0.0.1"])  # an intranet feed host
    accepted = create(client, headers, prop, f"{channel.url}/feed.ics")
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    connection_id = accepted.get_json()["id"]
    for url in REFUSED_URLS[7:14]:  # not on the allowed 127.0.0.1
        patch = client.patch(f"/api/v1/channel-connections/{connection_id}", headers=headers,
                             json={"ical_import_url": url})
        assert patch.status_code == 422 and patch.get_json()["error"] == "url_not_allowed", url
    assert client.post(f"/api/v1/channel-connections/{connection_id}/test", headers=headers).get_json()["healthy"]
    figures.record("outbound_guard", refused_spellings=len(REFUSED_URLS))


def test_connect_time_check_refuses_an_address_that_became_private(app, client, ical_world, internal,
                                                                   monkeypatch):
    user, headers, prop = ical_world
    monkeypatch.setitem(app.config, "CHANNELS_ALLOWED_PRIVATE_HOSTS", ["127.0.0.1", "127.0.0.2"])
    connection_id = create(client, headers, prop, f"{internal.url}/").get_json()["id"]
    # What a DNS change after saving looks like from here: the same URL, now not allowed.
    monkeypatch.setitem(app.config, "CHANNELS_ALLOWED_PRIVATE_HOSTS", ["127.0.0.1"])
    hits = len(internal.recorder.requests)
    result = client.post(f"/api/v1/channel-connections/{connection_id}/test", headers=headers).get_json()
    assert result["healthy"] is False and "not allowed" in result["message"]
    assert INTERNAL_SECRET not in str(result) and len(internal.recorder.requests) == hits


def test_redirects_are_checked_on_every_hop_and_limited_to_three(app, client, ical_world, channel, internal,
                                                                 figures):
    user, headers, prop = ical_world
    hits = len(internal.recorder.requests)
    bounced = create(client, headers, prop, f"{channel.url}/to-internal").get_json()["id"]
    result = client.post(f"/api/v1/channel-connections/{bounced}/test", headers=headers).get_json()
    assert result["healthy"] is False and "not allowed" in result["message"], result
    assert INTERNAL_SECRET not in str(result) and len(internal.recorder.requests) == hits
    looping = create(client, headers, prop, f"{channel.url}/hop/1", platform="google").get_json()["id"]
    result = client.post(f"/api/v1/channel-connections/{looping}/test", headers=headers).get_json()
    assert result["healthy"] is False and "more than 3" in result["message"], result
    followed = create(client, headers, prop, f"{channel.url}/to-feed", platform="airbnb").get_json()["id"]
    result = client.post(f"/api/v1/channel-connections/{followed}/test", headers=headers).get_json()
    assert result["healthy"] is True and result["details"]["events"] == 1, result
    figures.record("outbound_guard", internal_requests_reached=len(internal.recorder.requests) - hits)


def test_remote_bodies_never_reach_messages_or_sync_logs(app, client, ical_world, channel, run_worker):
    user, headers, prop = ical_world
    for path in ("/error", "/not-ical"):
        connection_id = create(client, headers, prop, f"{channel.url}{path}",
                               platform="google" if path == "/error" else "fewo_direkt").get_json()["id"]
        result = client.post(f"/api/v1/channel-connections/{connection_id}/test", headers=headers).get_json()
        assert result["healthy"] is False and "text/html" in result["message"] and "bytes" in result["message"]
        assert REMOTE_ERROR_BODY not in str(result)
        sync = client.post(f"/api/v1/channel-connections/{connection_id}/sync", headers=headers,
                           json={"sync_type": "bookings"})
        assert sync.status_code == 200, sync.get_data(as_text=True)
        run_worker()
        logs = client.get(f"/api/v1/channel-connections/{connection_id}/sync-logs", headers=headers).get_json()
        assert logs["logs"][0]["status"] == "failed" and logs["logs"][0]["error"]
        assert REMOTE_ERROR_BODY not in str(logs), path


def test_feeds_get_no_channel_credentials(app, client, ical_world, channel, monkeypatch, run_worker):
    user, headers, prop = ical_world
    monkeypatch.setitem(app.config, "AIRBNB_API_KEY", "drill-platform-api-key")
    connection = client.post("/api/v1/channel-connections/?skip_connection_test=true", headers=headers,
                             json={"property_id": str(prop.id), "platform_type": "airbnb",
                                   "access_token": "drill-connection-access-token",
                                   "ical_import_url": f"{channel.url}/to-feed?{uuid.uuid4().hex}"}).get_json()
    before = len(channel.recorder.requests)
    client.post(f"/api/v1/channel-connections/{connection['id']}/sync", headers=headers, json={"sync_type": "bookings"})
    run_worker()
    sent = channel.recorder.requests[before:]
    assert [item["path"] for item in sent] == ["/to-feed", "/feed.ics"]
    for item in sent:
        assert "Authorization" not in item["headers"] and "X-Api-Key" not in item["headers"], item


def test_huge_and_trickling_feeds_are_cut_off(app, client, ical_world, channel, monkeypatch, figures):
    user, headers, prop = ical_world
    monkeypatch.setitem(app.config, "CHANNELS_MAX_FEED_BYTES", 1024 * 1024)
    monkeypatch.setitem(app.config, "CHANNELS_HTTP_TOTAL_TIMEOUT_SECONDS", 2)
    measured = {}
    for path, platform, expected in (("/huge", "fewo_direkt", "larger than 1048576 bytes"),
                                     ("/huge-announced", "google", "larger than 1048576 bytes"),
                                     ("/trickle", "expedia", "did not finish answering within 2s")):
        connection_id = create(client, headers, prop, f"{channel.url}{path}", platform=platform).get_json()["id"]
        started = time.monotonic()
        result = client.post(f"/api/v1/channel-connections/{connection_id}/test", headers=headers).get_json()
        measured[path] = round(time.monotonic() - started, 2)
        assert result["healthy"] is False and expected in result["message"], (path, result)
        assert measured[path] < 4, (path, measured[path])
    figures.record("outbound_guard", huge_feed_seconds=measured["/huge"], trickle_feed_seconds=measured["/trickle"])
