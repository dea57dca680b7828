"""Security drill, the attacks of the hardening round (RELIABILITY.md, attack table): platform-wide
views for platform operators only, validation before any write, no 500 for bad input, no
rate-limit bypass or spoofed host, no pile of sync triggers, no secrets in logs or readiness.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from tests.drills.routes import is_api, requests_for, site_headers
from tests.factories import DEFAULT_PASSWORD, day, hx

pytestmark = pytest.mark.slow


def nested(depth: int) -> dict:
    """A JSON object `depth` levels deep (`{}` is one level)."""
    value: dict = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def deep_body(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def count_rows(app, model, **where) -> int:
    from app.extensions import db

    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


# --- 1. /rq and /ops cross tenants ---

def test_rq_dashboard_is_for_platform_operators_only(app, build_world, logged_in, figures):
    from app.queue import enqueue, queue

    victim = build_world()
    with app.app_context():
        job = enqueue("jobs.maintenance.sweep_stale_sync_logs", queue_name="maintenance")
        queued = queue("maintenance").count
    intruder = logged_in("admin")  # another agency's admin
    probes = [("GET", "/rq/"), ("GET", "/rq/0/data/jobs/channels/finished/8/asc/1.json"),
              ("GET", "/rq/0/data/queues.json"), ("GET", f"/rq/0/data/job/{job.id}.json"),
              ("GET", "/rq/0/view/workers"), ("POST", f"/rq/job/{job.id}/requeue"),
              ("POST", f"/rq/job/{job.id}/delete"), ("POST", "/rq/queue/maintenance/queued/empty"),
              ("POST", "/rq/requeue/maintenance"), ("GET", "/rq/requeue/maintenance")]
    for method, path in probes:
        assert intruder.open(path, method=method).status_code == 404, (method, path)
    operator = logged_in("staff", operator=True)
    assert operator.get("/rq/requeue/maintenance").status_code == 404  # a GET never changes state
    page = operator.get("/rq/").get_data(as_text=True)
    redis_location = app.config["REDIS_URL"].split("://", 1)[1].rsplit("/", 1)[0]
    assert "Redis [0]" in page and redis_location not in page
    with app.app_context():
        assert queue("maintenance").count == queued
        queue("maintenance").empty()
    assert str(victim.ids["log_id"]) in operator.get(
        "/rq/0/data/jobs/channels/queued/8/asc/1.json").get_data(as_text=True)
    figures.record("hardening", rq_probes_refused=len(probes))


def test_ops_shows_an_agency_its_own_figures_and_operators_the_global_ones(app, build_world, logged_in, run_worker):
    world = build_world()
    run_worker()  # the world's availability sync finishes: one finished operation of another agency
    empty_agency = logged_in("admin").get("/ops/sync").get_data(as_text=True)
    assert "0 failed of 0 finished operations" in empty_agency
    assert "all agencies" not in empty_agency and 'id="queue-table"' not in empty_agency
    status = logged_in("admin").get("/ops/status/panel", headers=hx()).get_data(as_text=True)
    assert 'id="ops-workers"' not in status and 'id="ops-details-hidden"' in status
    operator = logged_in("admin", operator=True)
    global_view = operator.get("/ops/sync").get_data(as_text=True)
    finished = [int(n) for n in re.findall(r'id="global-failure-rate-\d">.*?of (\d+) finished', global_view, re.S)]
    assert finished and min(finished) >= 1 and 'id="queue-table"' in global_view
    assert ">operator</span>" in operator.get("/").get_data(as_text=True)


def test_operators_are_granted_by_the_cli_only(app, make_user):
    from app.auth.models import User
    from app.extensions import db

    user = make_user("admin")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["grant-operator", "nobody@example.com"]).exit_code != 0
    result = runner.invoke(args=["grant-operator", user.email.upper()])
    assert result.exit_code == 0 and "is a platform operator" in result.output
    created = runner.invoke(args=["create-user", "--email", "ops-drill@example.com", "--agency", "ops-drill",
                                  "--role", "staff", "--operator"], env={"USER_PASSWORD": DEFAULT_PASSWORD})
    assert created.exit_code == 0, created.output
    with app.app_context():
        flags = dict(db.session.execute(select(User.email, User.is_operator).where(
            User.email.in_([user.email, "ops-drill@example.com"]))).all())
    assert flags == {user.email: True, "ops-drill@example.com": True}


# --- 4. a rejected write was committed ---

def test_rejected_free_form_json_writes_nothing(app, client, make_user, make_property, bearer, figures):
    from app.channels.models import ChannelConnection

    user = make_user("admin")
    headers, prop = bearer(user), make_property(user.agency)
    rejected = {"900 levels": nested(900), "21 levels": nested(21), "17 KB": {"blob": "x" * 17 * 1024}}
    for label, metadata in rejected.items():
        response = client.post("/api/v1/channel-connections/?skip_connection_test=true", headers=headers,
                               json={"property_id": str(prop.id), "platform_type": "airbnb",
                                     "platform_metadata": metadata})
        assert response.status_code == 422, (label, response.status_code)
    assert count_rows(app, ChannelConnection, agency_id=user.agency.id) == 0
    oversized = client.post("/api/v1/guests/", headers={**headers, "Content-Type": "application/json"},
                            data=json.dumps({"first_name": "x" * (2 * 1024 * 1024)}))
    assert oversized.status_code == 413 and oversized.is_json
    figures.record("hardening", rejected_json_writes=len(rejected) + 1)


def test_every_list_and_detail_survives_any_accepted_row(app, client, build_world):
    world = build_world()
    accepted = [nested(20), {"blob": "y" * 15000}, {"text": "\u202e \U0001f600", "n": None, "l": [[[1]]]}]
    connection_id = world.ids["connection_id"]
    for metadata in accepted:
        patch = client.patch(f"/api/v1/channel-connections/{connection_id}", headers=world.headers,
                             json={"platform_metadata": metadata})
        assert patch.status_code == 200, patch.get_data(as_text=True)[:300]
        for method, path, rule in requests_for(app, world.ids, is_api):
            if method == "GET":
                response = client.get(path, headers=world.headers,
                                      query_string={"property_id": world.ids["property_id"],
                                                    "from_date": str(day(1)), "to_date": str(day(40))})
                assert response.status_code < 500, (path, response.status_code)
    deep_patch = client.patch(f"/api/v1/channel-connections/{connection_id}", headers=world.headers,
                              json={"platform_metadata": nested(21)})
    assert deep_patch.status_code == 422
    detail = client.get(f"/api/v1/channel-connections/{connection_id}", headers=world.headers).get_json()
    assert detail["platform_metadata"] == accepted[-1]


# --- 5. 500s that must be 4xx ---

def test_deep_json_on_every_json_endpoint_is_422(app, client, build_world, figures):
    world = build_world()
    checked = 0
    for method, path, rule in requests_for(app, world.ids, is_api):
        if method not in ("POST", "PUT", "PATCH"):
            continue
        response = client.open(path, method=method, data=deep_body(5000),
                               headers={**world.headers, "Content-Type": "application/json",
                                        **site_headers(path, world)})
        checked += 1
        assert response.status_code == 422, (method, path, response.status_code)
    figures.record("hardening", deep_json_endpoints=checked)


def test_bad_input_answers_4xx_never_500(app, client, build_world, logged_in, login):
    world = build_world()
    prop = world.ids["property_id"]
    form_body = client.post("/api/v1/guests/", headers=world.headers, data={"first_name": "A", "last_name": "B"})
    assert form_body.status_code == 415 and form_body.is_json
    browser = login(app.test_client(), world.admin)
    for metadata in (json.dumps(nested(900)), deep_body(5000)):
        connection_form = browser.post("/connections", headers=hx(), data={
            "property_id": prop, "platform_type": "google", "platform_metadata": metadata})
        assert connection_form.status_code == 422
        assert "nested deeper than 20" in connection_form.get_data(as_text=True)
    for month in ("9999-12", "0000-01", "1899-12", "2101-01"):
        response = browser.get(f"/calendar?property_id={prop}&month={month}")
        assert response.status_code == 422, (month, response.status_code)
    assert browser.get(f"/calendar?property_id={prop}&month=2031-02").status_code == 200
    for target in ("%0a", "/x%0d%0aSet-Cookie:%20a=b", "/bookings%09"):
        response = browser.get(f"/login?next={target}")
        assert response.status_code == 302 and response.headers["Location"] == "/", target
    for path in ("/properties/999999", "/bookings/not-a-uuid", "/connections/42", "/bookings/1/status/cancel"):
        assert browser.get(path).status_code == 404, path
    assert client.get("/api/v1/properties/999999", headers=world.headers).status_code == 422


@pytest.mark.parametrize("year_day", ["0001-01-01", "9999-12-30"])
def test_dates_outside_the_sane_window_are_422(client, build_world, year_day):
    world = build_world()
    prop, headers = world.ids["property_id"], world.headers
    probes = [
        ("POST", "/api/v1/bookings/", {"property_id": prop, "check_in": year_day, "check_out": "9999-12-31"}),
        ("POST", "/api/v1/availability/blocks", {"property_id": prop, "start_date": year_day,
                                                 "end_date": "9999-12-31"}),
        ("PATCH", f"/api/v1/bookings/{world.ids['booking_id']}", {"check_in": year_day}),
        ("POST", f"/api/v1/channel-connections/{world.ids['connection_id']}/sync",
         {"sync_type": "availability", "start_date": year_day}),
        ("GET", f"/api/v1/availability?property_id={prop}&from_date={year_day}&to_date=9999-12-31", None),
        ("GET", f"/api/v1/bookings/?from_date={year_day}", None),
        ("POST", "/api/v1/quotes", {"property_id": prop, "check_in": year_day, "check_out": "9999-12-31"}),
        ("POST", f"/api/v1/properties/{prop}/seasons/", {"name": "Far", "start_date": year_day,
                                                         "end_date": "9999-12-31", "nightly_rate": 100}),
        ("GET", f"/api/v1/properties/{prop}/rates?from_date={year_day}&to_date=9999-12-31", None),
        ("POST", "/api/v1/visitor-tax-rules/", {"name": "Far", "amount_per_adult_night": 1, "valid_from": year_day}),
    ]
    for method, path, body in probes:
        response = client.open(path, method=method, headers=headers, json=body)
        assert response.status_code == 422, (method, path, response.status_code, response.get_data()[:200])


# --- 6. rate-limit bypass and spoofed host ---

def test_forwarded_headers_do_not_bypass_the_login_limit_or_change_urls(app, client, make_user, bearer):
    caller = app.test_client()
    statuses = [caller.post("/api/v1/auth/token", json={"email": f"guess-{attempt}@example.com",
                                                        "password": "wrong-password"},
                            headers={"X-Forwarded-For": f"203.0.113.{attempt}"},
                            environ_base={"REMOTE_ADDR": "198.18.0.7"}).status_code
                for attempt in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    owner = make_user("admin")
    own = client.post("/api/v1/properties/", headers=bearer(owner), json={"name": "Own"}).get_json()
    export = client.get(f"/api/v1/properties/{own['id']}/ical-export",
                        headers={**bearer(owner), "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"})
    assert export.get_json()["url"].startswith("http://localhost/ical/")


def login_attempt(app, email: str, address: str, password: str = "wrong-password"):
    return app.test_client().post("/api/v1/auth/token", json={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def test_failed_logins_are_limited_per_account_without_revealing_it(app, make_user, figures):
    user = make_user("admin")
    known = [login_attempt(app, user.email, f"198.51.100.{n}") for n in range(11)]
    unknown = [login_attempt(app, "nobody-here@example.com", f"192.0.2.{n}") for n in range(11)]
    for attempts in (known, unknown):
        assert [r.status_code for r in attempts] == [401] * 10 + [429]
        assert attempts[-1].headers.get("Retry-After")
    assert known[0].get_json() == unknown[0].get_json() and known[-1].get_json() == unknown[-1].get_json()
    assert login_attempt(app, user.email, "198.51.100.99", DEFAULT_PASSWORD).status_code == 429  # locked for now
    other = make_user("admin")
    assert login_attempt(app, other.email, "198.51.100.1", DEFAULT_PASSWORD).status_code == 200
    figures.record("hardening", login_attempts_per_account_before_429=10)


# --- 7. sync triggers pile up ---

def test_parallel_triggers_coalesce_into_one_batch(app, build_world, figures):
    from app.channels.models import ChannelSyncLog

    world = build_world()  # its own availability sync is queued already
    connection_id = world.ids["connection_id"]

    def trigger(_):
        response = app.test_client().post(f"/api/v1/channel-connections/{connection_id}/sync",
                                          headers=world.headers, json={"sync_type": "full"})
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(trigger, range(20)))
    assert {status for status, _ in answers} == {200}, answers
    batches = {body["batch_id"] for _, body in answers}
    assert len(batches) == 1 and sum(body["coalesced"] for _, body in answers) == 19
    assert count_rows(app, ChannelSyncLog, connection_id=connection_id) == 1 + 3  # the world's and one full batch
    availability = app.test_client().post(f"/api/v1/channel-connections/{connection_id}/sync",
                                          headers=world.headers, json={"sync_type": "availability"}).get_json()
    assert availability["coalesced"] is True and availability["batch_id"] == str(world.ids["batch_id"])
    figures.record("hardening", parallel_triggers=len(answers), batches_created=len(batches))


def test_triggers_are_rate_limited_per_connection_and_staff_only_read(app, client, build_world, make_user, bearer,
                                                                      monkeypatch):
    monkeypatch.setitem(app.config, "CHANNELS_TRIGGER_RATE_LIMIT", "5 per minute")
    world = build_world()  # its first trigger counts
    path = f"/api/v1/channel-connections/{world.ids['connection_id']}/sync"
    statuses = [client.post(path, headers=world.headers, json={"sync_type": "pricing"}) for _ in range(5)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 200, 429]
    assert int(statuses[-1].headers["Retry-After"]) > 0
    other = build_world()
    assert client.post(f"/api/v1/channel-connections/{other.ids['connection_id']}/sync", headers=other.headers,
                       json={"sync_type": "pricing"}).status_code == 200
    staff = bearer(make_user("staff", agency=other.agency))
    assert client.post(f"/api/v1/channel-connections/{other.ids['connection_id']}/sync", headers=staff,
                       json={"sync_type": "pricing"}).status_code == 403
    assert client.post("/api/v1/availability/sync", headers=staff, json={
        "property_id": other.ids["property_id"], "platform": "airbnb", "sync_type": "availability"}).status_code == 403
    assert client.get(f"/api/v1/channel-connections/{other.ids['connection_id']}/sync-logs",
                      headers=staff).status_code == 200


# --- 8. low ---

def test_ical_tokens_are_masked_in_the_request_log(client, build_world, gunicorn):
    world = build_world()
    url = client.get(f"/api/v1/properties/{world.ids['property_id']}/ical-export", headers=world.headers).get_json()
    token = url["url"].rsplit("/", 1)[1].removesuffix(".ics")
    server = gunicorn(workers=1, LOG_LEVEL="INFO")
    assert requests.get(f"{server.url}/ical/{token}.ics", timeout=10).status_code == 200
    log = Path(server.log.name).read_text()
    assert "path=/ical/***.ics status=200" in log and token not in log


def test_readiness_details_need_an_operator_or_the_token(app, client, logged_in):
    anonymous = client.get("/health/ready").get_json()
    assert all(set(component) == {"status"} for component in anonymous["components"].values())
    agency_admin = logged_in("admin").get("/health/ready").get_json()
    assert all(set(component) == {"status"} for component in agency_admin["components"].values())
    assert "details" in logged_in("staff", operator=True).get("/health/ready").get_json()["components"]["db"]
    token = {"X-Health-Token": app.config["HEALTH_DETAILS_TOKEN"]}
    assert "details" in client.get("/health/ready", headers=token).get_json()["components"]["db"]


def test_purge_preview_checks_ownership_first(app, build_world, login):
    victim, intruder = build_world(), build_world()
    browser = login(app.test_client(), intruder.admin)
    path = f"/connections/{victim.ids['connection_id']}/sync-logs/purge/preview"
    for query in ("", "?retention_days=", "?retention_days=abc", "?retention_days=30"):
        assert browser.get(path + query, headers=hx()).status_code == 404, query
