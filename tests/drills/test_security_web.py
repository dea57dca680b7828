"""Security drill, browser side and secrets: CSRF on every write, session rotation, open
redirects, rate limits, response headers and cookie flags; credentials and secret settings
never appear in a response, page, log line or the diagnostics copy.
"""
from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from tests.conftest import build_config
from tests.drills.routes import body_for, is_api, is_public, requests_for
from tests.drills.conftest import CHANNEL_SECRET
from tests.factories import CSRF_META, DEFAULT_PASSWORD, CsrfClient, hx

pytestmark = pytest.mark.slow
EVIL_TARGETS = ("https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
                "javascript:alert(1)", "http:/evil.example", "https:evil.example", " //evil.example",
                "/%2F%2Fevil.example", "\t//evil.example")


def plain_client(app) -> FlaskClient:
    """A client that never adds a CSRF token by itself."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_every_write_without_csrf_token_is_rejected(app, build_world, make_user, figures):
    world = build_world()
    user = make_user("admin", agency=world.agency)
    browser = plain_client(app)
    page = browser.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 400
    assert browser.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                        "csrf_token": token}).status_code == 302
    token = CSRF_META.search(browser.get("/").get_data(as_text=True)).group(1)
    checked = 0
    for method, path, rule in requests_for(app, world.ids, lambda rule: not is_public(rule)):
        if method == "GET":
            continue
        for headers in ({}, hx()):  # a form post and an htmx request, both without the token
            response = browser.open(path, method=method, headers=headers, **body_for(method, rule))
            checked += 1
            if response.status_code == 401:  # an endpoint that never accepts the session cookie
                with_token = {**headers, "X-CSRFToken": token}
                assert browser.open(path, method=method, headers=with_token).status_code == 401, path
                continue
            assert response.status_code == 400, (method, path, headers, response.status_code)
            text = response.get_data(as_text=True)
            assert "CSRF" in text, (method, path, text[:200])
    assert browser.get("/").status_code == 200  # still signed in: nothing above changed the session
    figures.record("security_web", csrf_rejections=checked)


def test_session_id_rotates_at_login_and_old_cookies_die_at_logout(app, make_user, login):
    user = make_user("manager")
    client = app.test_client()
    client.refresh_csrf("/login")
    anonymous_cookie, anonymous_token = session_cookie(client), client.csrf_token
    login(client, user)
    signed_in_cookie = session_cookie(client)
    assert signed_in_cookie and signed_in_cookie != anonymous_cookie and client.csrf_token != anonymous_token
    replay = plain_client(app)
    replay.set_cookie("session", anonymous_cookie)
    assert replay.get("/").status_code == 302  # the pre-login cookie never became a signed-in one
    assert client.post("/logout").status_code == 302
    replay.set_cookie("session", signed_in_cookie)
    response = replay.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_open_redirect_on_next_is_rejected(app, make_user, target):
    user = make_user("staff")
    client = app.test_client()
    client.refresh_csrf("/login")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": DEFAULT_PASSWORD, "next": target,
                                 "csrf_token": client.csrf_token})
    assert response.status_code == 302
    assert_local(response.headers["Location"])
    assert_local(client.get("/login", query_string={"next": target}).headers["Location"])


def assert_local(location: str) -> None:
    """A path on this host, also as browsers read it (they treat `\\` as `/` and drop tabs)."""
    browser_view = location.replace("\\", "/").replace("\t", "").strip()
    parts = urlsplit(browser_view)
    assert not parts.scheme and not parts.netloc and browser_view.startswith("/"), location
    assert not browser_view.startswith("//"), location


@pytest.mark.parametrize("path,form", [("/login", True), ("/api/v1/auth/token", False)])
def test_login_and_token_endpoints_are_rate_limited(app, make_user, path, form, figures):
    user = make_user("admin")
    client = app.test_client()
    token = client.refresh_csrf("/login")

    def attempt(password: str) -> int:
        body = {"email": user.email, "password": password}
        sent = {"data": {**body, "csrf_token": token}} if form else {"json": body}
        return client.post(path, **sent).status_code

    statuses = [attempt("wrong") for _ in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429], statuses
    assert attempt(DEFAULT_PASSWORD) == 429  # until the window passes, even the right password waits
    figures.record("security_web", **{f"failed_attempts_allowed_{path.strip('/').replace('/', '_')}": 10})


# Pages the back office itself shows in a frame (the page editor's preview): framed by this origin only.
SAME_ORIGIN_FRAMES = {"pages.preview"}


def test_security_headers_on_every_page_and_api_answer(app, build_world, login, figures):
    world = build_world()
    browser = login(app.test_client(), world.admin)
    checked = 0
    for method, path, rule in requests_for(app, world.ids):
        if method != "GET" or rule.endpoint in ("static", "rq_dashboard.static", "rq_dashboard.favicon"):
            continue
        response = browser.get(path, headers=world.headers if is_api(rule) else {})
        response.close()
        checked += 1
        headers = response.headers
        framed_by_us = rule.endpoint in SAME_ORIGIN_FRAMES
        assert headers["X-Frame-Options"] == ("SAMEORIGIN" if framed_by_us else "DENY"), path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        csp = headers["Content-Security-Policy"]
        assert ("frame-ancestors 'self'" if framed_by_us else "frame-ancestors 'none'") in csp, path
        if not rule.endpoint.startswith("rq_dashboard."):  # rq-dashboard's own pages need inline scripts
            script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
            assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, path
    figures.record("security_web", header_checks=checked)


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(app_config, make_user, secure):
    from app import create_app

    other = create_app({**app_config, "SESSION_COOKIE_SECURE": secure})
    client = plain_client(other)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    user = make_user("admin")
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    raw = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    morsel = SimpleCookie(raw)["session"]
    assert morsel["httponly"] and morsel["samesite"] == "Lax"
    assert bool(morsel["secure"]) is secure


def test_secrets_never_leave_the_system(app_config, database_url, build_world, login, caplog, sim_control,
                                        run_worker, figures):
    """Channel tokens, the secret key, the encryption key and the database password are looked for in
    every API answer, page, the diagnostics copy, health answers and every log line."""
    from app import create_app

    password = "drill-db-password-91c4"
    secret_url = database_url.replace("postgresql://postgres@", f"postgresql://postgres:{password}@", 1)
    secrets = {CHANNEL_SECRET, password, app_config["SECRET_KEY"], app_config["ENCRYPTION_KEY"]}
    caplog.set_level(logging.DEBUG)
    app = create_app(build_config(secret_url, app_config["REDIS_URL"], SECRET_KEY=app_config["SECRET_KEY"],
                                  ENCRYPTION_KEY=app_config["ENCRYPTION_KEY"], ENABLE_OPS_CONSOLE=True,
                                  LOG_LEVEL="DEBUG"))
    app.test_client_class = CsrfClient
    world = build_world()
    sim_control("faults", mode="error", status=500, times=None)  # failing syncs write errors to logs
    run_worker()
    browser = login(app.test_client(), world.admin)
    bodies = {}
    for method, path, rule in requests_for(app, world.ids):
        if method == "GET" and rule.endpoint not in ("static", "rq_dashboard.static", "rq_dashboard.favicon"):
            response = browser.get(path, headers=world.headers if is_api(rule) else {})
            bodies[path] = response.get_data(as_text=True)
            response.close()
    bodies["diagnostics"] = browser.get("/ops/status/panel", headers=hx()).get_data(as_text=True)
    assert '"overall' in bodies["diagnostics"] or "diagnostics" in bodies["diagnostics"].lower()
    leaks = [(where, secret) for where, text in bodies.items() for secret in secrets if secret in text]
    log_lines = [record.getMessage() for record in caplog.records]
    leaks += [("log", secret) for line in log_lines for secret in secrets if secret in line]
    assert not leaks, leaks
    assert any("failed" in line.lower() or "error" in line.lower() for line in log_lines)
    figures.record("security_web", secret_scan_responses=len(bodies), secret_scan_log_lines=len(log_lines),
                   secrets_found=0)
