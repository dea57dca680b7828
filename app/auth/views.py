"""Login and logout pages (flask-login sessions)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import service
from app.auth.forms import LoginForm
from app.auth.service import AuthError
from app.extensions import db, limiter
from app.web.auth import is_failed_login, session_principal

bp = Blueprint("auth", __name__)


def safe_next_url(target: str | None) -> str:
    """Only local paths are followed after login (no scheme, host or `//`)."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["AUTH_RATE_LIMIT"], methods=["POST"], deduct_when=is_failed_login)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(form.next.data))
    error = None
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data)
        except AuthError as exc:
            error = exc.detail
        else:
            db.session.commit()
            session.clear()  # fresh session (and CSRF token) at login: no fixation
            login_user(user)
            return redirect(safe_next_url(form.next.data))
    status = 401 if error else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        service.rotate_session_nonce(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.app_context_processor
def user_menu_context() -> dict:
    """The agency switcher's choices for the top bar (members of several agencies only)."""
    if not current_user.is_authenticated:
        return {"switchable_agencies": []}
    agencies = service.member_agencies(current_user._get_current_object())
    return {"switchable_agencies": agencies if len(agencies) > 1 else []}


@bp.post("/account/agency")
def switch_agency():
    """Work in another of the user's agencies; ids of the old one mean nothing there, so go home."""
    if session_principal() is None:
        return redirect(url_for("auth.login"))
    service.switch_agency(current_user._get_current_object(), request.form.get("agency", "")[:100])
    db.session.commit()
    return redirect(url_for("dashboard.index"))
