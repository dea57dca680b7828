"""Login and logout pages (flask-login sessions)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import service
from app.auth.forms import LoginForm
from app.auth.service import AuthError
from app.extensions import db
from app.web.auth import limit_failed_logins

bp = Blueprint("auth", __name__)


def safe_next_url(target: str | None) -> str:
    """Only local paths are followed after login (no scheme, host, `//` or control characters)."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(char) < 32 or ord(char) == 127 for char in target)):
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limit_failed_logins(methods=["POST"])
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
