"""rq-dashboard mounted at `/rq` for platform operators only: its queues hold every agency's jobs.

Anonymous visitors go to the login page; to any other signed-in user `/rq` does not exist (404).
State-changing routes answer POST only (with the CSRF token, checked app-wide); their GET
variants are 404. The navbar template is overridden so connection URLs are never rendered.

The guard is an app-level hook that checks `request.blueprint` (house style §2):
Flask refuses hooks added to a blueprint after its first registration, and tests
build several apps that all register rq-dashboard's one blueprint object.
"""
from __future__ import annotations

import rq_dashboard
from flask import Flask, current_app, request
from flask_wtf.csrf import generate_csrf
from rq.exceptions import NoSuchJobError
from rq_dashboard.web import setup_rq_connection

from app.core.errors import NotFound
from app.queue import QUEUES
from app.web.auth import authenticate_page_request, is_operator
from app.web.error_pages import render_error

BLUEPRINT = "rq_dashboard"
# rq-dashboard renders its page script inline and compiles row templates with
# underscore's `_.template` (new Function): its pages alone need both allowances.
DASHBOARD_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                 "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
# rq-dashboard's JavaScript sends this cookie's value as X-CSRFToken on its POST actions.
CSRF_COOKIE = "_csrf_token"
# URL parts rq-dashboard declares as strings but converts with int().
NUMERIC_ARGS = ("per_page", "page")


def guard_rq_dashboard():
    """Anonymous visitors go to the login page; signed-in non-operators get 404."""
    if request.blueprint != BLUEPRINT:
        return None
    redirect = authenticate_page_request()
    if redirect is not None:
        return redirect
    if not is_operator():
        raise NotFound("Not found")
    if "POST" in request.url_rule.methods and request.method != "POST":
        raise NotFound("Not found")  # e.g. GET /rq/requeue/<queue> would requeue every failed job
    args = request.view_args or {}
    if not all(str(args.get(name, "0")).isdigit() for name in NUMERIC_ARGS):
        raise NotFound("Not found")  # rq-dashboard would fail on int() of a non-number
    if args.get("instance_number", 0) >= len(current_app.config["RQ_DASHBOARD_REDIS_URL"]):
        raise NotFound("Redis instance not found")  # rq-dashboard raises LookupError
    if args.get("queue_name", QUEUES[0]) not in QUEUES:
        raise NotFound("Queue not found")  # its queue actions fail on keys that do not exist
    return None


def dashboard_headers(response):
    if request.blueprint == BLUEPRINT and is_operator():
        response.headers["Content-Security-Policy"] = DASHBOARD_CSP
        response.set_cookie(CSRF_COOKIE, generate_csrf(), path="/rq", samesite="Strict",
                            secure=request.is_secure, httponly=False)
    return response


def job_not_found(exc: NoSuchJobError):
    """rq-dashboard lets a job id that expired or never existed escape as an exception."""
    return render_error(404, {"detail": "Job not found"}, title="Not found")


def mount_rq_dashboard(app: Flask) -> None:
    app.config.setdefault("RQ_DASHBOARD_REDIS_URL", app.config["REDIS_URL"])
    setup_rq_connection(app)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix="/rq")
    app.before_request(guard_rq_dashboard)
    app.after_request(dashboard_headers)
    app.register_error_handler(NoSuchJobError, job_not_found)
