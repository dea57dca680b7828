"""Who is calling: browser session or bearer token, the agency in scope and role guards.

`current_principal()` is resolved once per request. Role checks read
team_members (never anything cached in a token). Rows of another agency are
reported as 404 by the services, never 403. Platform operators (`users.is_operator`,
granted by the CLI) see cross-agency pages; to everyone else those answer 404.
"""
from __future__ import annotations

import uuid
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import service as auth_service
from app.auth.service import AuthError, Principal
from app.core.errors import Forbidden, NotFound
from app.extensions import csrf, limiter

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def session_principal() -> Principal | None:
    if not current_user.is_authenticated:
        return None
    return auth_service.principal_for(current_user._get_current_object())


def current_principal() -> Principal | None:
    if "principal" not in g:
        raw = bearer_token()
        g.principal = auth_service.resolve_token(raw) if raw else session_principal()
    return g.principal


def current_agency_id() -> uuid.UUID:
    return current_principal().agency_id


def authenticate_api_request():
    """before_request of API blueprints: 401 without valid credentials, CSRF for cookie auth."""
    if current_principal() is None:
        raise AuthError("Not authenticated")  # before CSRF: without a session there is nothing to forge
    if bearer_token() is None and request.method not in SAFE_METHODS:
        csrf.protect()


def page_to_return_to() -> str:
    """The page the user was on: htmx's current URL, the referrer of a form post, else this URL."""
    if request.headers.get("HX-Request"):
        raw = request.headers.get("HX-Current-URL", "")
    elif request.method != "GET":
        raw = request.referrer or ""
    else:
        return request.full_path.rstrip("?")
    parts = urlsplit(raw)
    return (parts.path + (f"?{parts.query}" if parts.query else "")) or "/"


def session_expired():
    """An htmx request without a session: a banner with a login link back to the page.

    No redirect, so what the user typed stays on the page; 401 with X-Swap-Error is swapped
    into #banner by static/js/forms.js instead of ending as "Unexpected error occurred".
    """
    body = render_template("errors/_session_expired.html",
                           login_url=url_for("auth.login", next=page_to_return_to()))
    return body, 401, {"HX-Retarget": "#banner", "HX-Reswap": "innerHTML", "X-Swap-Error": "true",
                       "Cache-Control": "no-store"}


def login_redirect():
    """To the login page, back to the page afterwards; htmx requests get the session-expired banner."""
    if request.headers.get("HX-Request"):
        return session_expired()
    return redirect(url_for("auth.login", next=page_to_return_to()))


def authenticate_page_request():
    """before_request of page blueprints: send anonymous visitors to the login page."""
    return login_redirect() if current_principal() is None else None


def protect_api(bp: Blueprint) -> Blueprint:
    bp.before_request(authenticate_api_request)
    return bp


def protect_pages(bp: Blueprint, *roles: str) -> Blueprint:
    """Anonymous visitors go to the login page; with `roles`, members of other roles get 403."""
    def authenticate_with_role():
        redirect_to_login = authenticate_page_request()
        if redirect_to_login is None and roles and not has_role(*roles):
            raise Forbidden()
        return redirect_to_login

    bp.before_request(authenticate_with_role if roles else authenticate_page_request)
    return bp


def is_failed_login(response) -> bool:
    """Rate limits on login and token endpoints count only failed attempts."""
    return response.status_code == 401


def login_account_key() -> str:
    """Rate-limit key of the account a login attempt names: its email, whether the account exists
    or not (the answer must not tell)."""
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if isinstance(body, dict) else None  # a JSON object or the form
    return "login-account:" + (email.strip().lower()[:320] if isinstance(email, str) else "")


def limit_failed_logins(methods: list[str] | None = None):
    """Failed logins are limited per client IP (AUTH_RATE_LIMIT) and per account
    (AUTH_ACCOUNT_RATE_LIMIT), so rotating IPs cannot guess one account's password."""
    per_ip = limiter.limit(lambda: current_app.config["AUTH_RATE_LIMIT"], methods=methods,
                           deduct_when=is_failed_login)
    per_account = limiter.limit(lambda: current_app.config["AUTH_ACCOUNT_RATE_LIMIT"], key_func=login_account_key,
                                methods=methods, deduct_when=is_failed_login)
    return lambda view: per_ip(per_account(view))


def has_role(*roles: str) -> bool:
    principal = current_principal()
    return principal is not None and principal.role in roles


def require_role(*roles: str):
    """Allow the view only for these roles; others get 403 (JSON or page)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)
        wrapper.allowed_roles = roles  # the security drills check every guarded endpoint against it
        return wrapper
    return decorator


def is_operator() -> bool:
    """The caller is a platform operator (every agency's jobs, global figures)."""
    principal = current_principal()
    return principal is not None and principal.user.is_operator


def require_operator(view):
    """Allow the view only for platform operators; to others it does not exist (404)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not is_operator():
            raise NotFound("Not found")
        return view(*args, **kwargs)
    wrapper.operator_only = True  # the security drills check every operator page against it
    return wrapper
