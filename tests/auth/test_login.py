"""Browser login and logout: sessions, next URL, fixation, CSRF, rate limiting."""
from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD


def test_anonymous_page_visit_redirects_to_login_with_next(client):
    response = client.get("/?tab=today")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/?tab%3Dtoday"


def test_login_then_logout(client, make_user, login):
    user = make_user(role="manager")
    login(client, user)
    page = client.get("/")
    assert page.status_code == 200
    assert user.email in page.get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_wrong_password_is_rejected_with_a_message(client, make_user):
    user = make_user()
    client.refresh_csrf()
    response = client.post("/login", data={"email": user.email, "password": "wrong",
                                           "csrf_token": client.csrf_token})
    assert response.status_code == 401
    assert "Incorrect email or password" in response.get_data(as_text=True)


@pytest.mark.parametrize("target,expected", [
    ("/bookings?x=1", "/bookings?x=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_url_must_be_a_local_path(client, make_user, target, expected):
    user = make_user()
    client.refresh_csrf(f"/login?next={target}")
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                           "next": target, "csrf_token": client.csrf_token})
    assert response.headers["Location"] == expected


def test_session_cookie_changes_at_login(client, make_user):
    user = make_user()
    client.refresh_csrf()
    before = client.get_cookie("session").value
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                "csrf_token": client.csrf_token})
    assert client.get_cookie("session").value != before


def test_logout_invalidates_a_copied_session_cookie(app, client, make_user, login):
    user = make_user()
    login(client, user)
    stolen = client.get_cookie("session").value
    client.post("/logout")
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/").status_code == 302


def test_login_form_without_csrf_token_is_rejected(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_state_changing_request_without_csrf_header_is_rejected(client, make_user, login):
    login(client, make_user())
    client.csrf_token = None
    assert client.post("/logout").status_code == 400


def test_repeated_failed_logins_are_rate_limited(app, client, make_user):
    user = make_user()
    client.refresh_csrf()
    limit = int(app.config["AUTH_RATE_LIMIT"].split()[0])
    statuses = [client.post("/login", data={"email": user.email, "password": "nope",
                                            "csrf_token": client.csrf_token}).status_code
                for _ in range(limit + 1)]
    assert statuses[:limit] == [401] * limit
    assert statuses[-1] == 429
    body = client.post("/login", data={"email": user.email, "password": "nope",
                                       "csrf_token": client.csrf_token}).get_data(as_text=True)
    assert re.search(r"Too many attempts\. Please wait (a minute|\d+ minutes) and try again", body)  # the limit's window


def test_htmx_request_without_session_gets_the_session_expired_banner(client):
    response = client.get("/", headers={"HX-Request": "true", "HX-Current-URL": "http://x/bookings?y=1"})
    assert response.status_code == 401 and response.headers["HX-Retarget"] == "#banner"
    assert 'href="/login?next=/bookings?y%3D1"' in response.get_data(as_text=True)
