"""Login and logout, the agency switcher, the own password change and accepting an invitation."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.auth import service, team
from app.auth.forms import LoginForm
from app.auth.models import Agency
from app.auth.service import AuthError
from app.core.errors import DomainError
from app.db import commit_with_retry
from app.extensions import db, limiter
from app.web.auth import limit_failed_logins, login_redirect, session_principal
from app.web.forms import field_errors

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
    if request.method == "GET" and session_principal() is not None:
        return redirect(safe_next_url(form.next.data))
    error = None
    if form.validate_on_submit():
        try:
            user = commit_with_retry(lambda: service.authenticate(form.email.data, form.password.data))
        except AuthError as exc:
            error = exc.detail
        else:
            if service.active_membership(user) is None:
                return render_template("auth/login.html", form=form, error=NO_MEMBERSHIP), 403
            start_session(user)
            return redirect(safe_next_url(form.next.data))
    status = 401 if error else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


NO_MEMBERSHIP = "Your account is not an active member of any agency. Ask your agency's admin to add you again."


def start_session(user) -> None:
    session.clear()  # fresh session (and CSRF token) at login: no fixation
    login_user(user)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        commit_with_retry(lambda: service.rotate_session_nonce(current_user._get_current_object()))
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


ADMIN_MENU = (("Team", "team.team_page"), ("Outbox", "mail.outbox"), ("Domains", "domains.domains_page"))


@bp.app_context_processor
def user_menu_context() -> dict:
    """The user menu: the agency switcher's choices (members of several agencies) and the admins' pages."""
    principal = session_principal() if current_user.is_authenticated else None
    if principal is None:
        return {"switchable_agencies": [], "admin_menu": []}
    agencies = service.member_agencies(current_user._get_current_object())
    admin_menu = [(label, url_for(endpoint)) for label, endpoint in ADMIN_MENU
                  if principal.is_admin and endpoint in current_app.view_functions]
    return {"switchable_agencies": agencies if len(agencies) > 1 else [], "admin_menu": admin_menu}


@bp.post("/account/agency")
def switch_agency():
    """Work in another of the user's agencies; ids of the old one mean nothing there, so go home."""
    if session_principal() is None:
        return redirect(url_for("auth.login"))
    user, agency_slug = current_user._get_current_object(), request.form.get("agency", "")[:100]
    commit_with_retry(lambda: service.switch_agency(user, agency_slug))
    return redirect(url_for("dashboard.index"))


def password_guesser_key() -> str:
    return f"password-change:{current_user.get_id()}"


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["AUTH_ACCOUNT_RATE_LIMIT"], key_func=password_guesser_key,
               methods=["POST"], deduct_when=lambda _response: g.get("wrong_current_password", False))
def change_password():
    """Every user changes their own password; all their other sessions and API tokens end. Wrong current
    passwords count against AUTH_ACCOUNT_RATE_LIMIT per user, as failed logins do: a session left open
    must not let anyone guess the password behind it."""
    if session_principal() is None:
        return login_redirect()
    errors, done = {}, False
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            form_values = (request.form.get("current_password", ""), request.form.get("new_password", ""),
                           request.form.get("new_password_confirm", ""))
            commit_with_retry(lambda: team.change_password(user, *form_values))
        except DomainError as exc:
            errors = field_errors(exc)
            g.wrong_current_password = "current_password" in errors
        else:
            start_session(user)  # this browser stays signed in with the new session nonce
            done = True
    return render_template("auth/password.html", errors=errors, done=done), 422 if errors else 200


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["AUTH_RATE_LIMIT"], methods=["POST"],
               deduct_when=lambda response: response.status_code == 422)  # password guesses of existing users
def accept_invitation(token: str):
    """The one-time link of an invitation: set a password (or confirm an existing account) and join."""
    invitation = team.open_invitation(token)
    existing = service.find_user_by_email(invitation.email) is not None
    errors = {}
    if request.method == "POST":
        try:
            form_values = (request.form.get("password", ""), request.form.get("password_confirm", ""),
                           request.form.get("display_name", ""))
            user = commit_with_retry(lambda: team.accept_invitation(token, *form_values))
        except DomainError as exc:
            errors = field_errors(exc)
        else:
            start_session(user)
            return redirect(url_for("dashboard.index"), 303)
    return render_template("auth/invitation.html", invitation=invitation, existing=existing, errors=errors,
                           agency=db.session.get(Agency, invitation.agency_id)), 422 if errors else 200
