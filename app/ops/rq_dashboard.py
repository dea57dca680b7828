"""rq-dashboard mounted at `/rq` for admins only.

The guard is an app-level hook that checks `request.blueprint` (house style §2):
Flask refuses hooks added to a blueprint after its first registration, and tests
build several apps that all register rq-dashboard's one blueprint object.
"""
from __future__ import annotations

import rq_dashboard
from flask import Flask, request
from flask_wtf.csrf import generate_csrf
from rq_dashboard.web import setup_rq_connection

from app.web.auth import authenticate_page_request, has_role
from app.web.errors import Forbidden

BLUEPRINT = "rq_dashboard"
# rq-dashboard renders its page script inline and compiles row templates with
# underscore's `_.template` (new Function): its pages alone need both allowances.
DASHBOARD_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                 "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
# rq-dashboard's JavaScript sends this cookie's value as X-CSRFToken on its POST actions.
CSRF_COOKIE = "_csrf_token"


def guard_rq_dashboard():
    """Anonymous visitors go to the login page; signed-in non-admins get 403."""
    if request.blueprint != BLUEPRINT:
        return None
    redirect = authenticate_page_request()
    if redirect is not None:
        return redirect
    if not has_role("admin"):
        raise Forbidden()
    return None


def dashboard_headers(response):
    if request.blueprint == BLUEPRINT and has_role("admin"):
        response.headers["Content-Security-Policy"] = DASHBOARD_CSP
        response.set_cookie(CSRF_COOKIE, generate_csrf(), path="/rq", samesite="Strict",
                            secure=request.is_secure, httponly=False)
    return response


def mount_rq_dashboard(app: Flask) -> None:
    app.config.setdefault("RQ_DASHBOARD_REDIS_URL", app.config["REDIS_URL"])
    setup_rq_connection(app)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix="/rq")
    app.before_request(guard_rq_dashboard)
    app.after_request(dashboard_headers)
