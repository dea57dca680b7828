"""rq-dashboard at /rq: platform operators only, its own CSP, CSRF on its actions, no GET actions."""
from __future__ import annotations

from tests.conftest import build_config


def test_operator_gets_the_dashboard_without_connection_urls(logged_in, app):
    client = logged_in("staff", operator=True)  # a flag on the user, whatever the agency role
    response = client.get("/rq/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "RQ dashboard" in text
    assert "'unsafe-eval'" in response.headers["Content-Security-Policy"]
    assert "Redis [0]" in text and app.config["REDIS_URL"].split("://")[1].split("/")[0] not in text
    assert client.get("/rq/0/data/queues.json").status_code == 200


def test_agency_roles_get_404_even_admins(logged_in):
    for role in ("admin", "manager", "staff"):
        client = logged_in(role)
        assert client.get("/rq/").status_code == 404
        assert client.get("/rq/0/data/queues.json").status_code == 404
        assert client.post("/rq/requeue/channels").status_code == 404


def test_actions_answer_post_only(logged_in):
    client = logged_in("admin", operator=True)
    assert client.get("/rq/requeue/channels").status_code == 404
    assert client.post("/rq/requeue/channels").status_code == 200


def test_anonymous_visitor_goes_to_login(client):
    response = client.get("/rq/")
    assert response.status_code == 302 and "/login?next=/rq/" in response.headers["Location"]


def test_other_pages_keep_the_strict_policy(logged_in):
    policy = logged_in("admin", operator=True).get("/").headers["Content-Security-Policy"]
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_dashboard_actions_need_the_csrf_token(logged_in, app):
    from app.queue import enqueue

    client = logged_in("admin", operator=True)
    with app.app_context():
        enqueue("jobs.maintenance.sweep_stale_sync_logs", queue_name="maintenance")
    client.csrf_token = None  # what a forged cross-site form would send
    assert client.post("/rq/queue/maintenance/queued/empty").status_code == 400
    page = client.get("/rq/")
    token = page.headers.getlist("Set-Cookie")
    assert any(cookie.startswith("_csrf_token=") and "Path=/rq" in cookie for cookie in token)
    client.refresh_csrf("/")
    assert client.post("/rq/queue/maintenance/queued/empty").status_code == 200
    with app.app_context():
        from app.queue import queue
        assert queue("maintenance").count == 0


def test_a_second_app_can_mount_the_dashboard(database_url, redis_url, app):
    from app import create_app

    second = create_app(build_config(database_url, redis_url))
    assert "rq_dashboard.queues_overview" in second.view_functions
    assert second.test_client().get("/rq/").status_code == 302
