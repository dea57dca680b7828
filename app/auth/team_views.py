"""Team page (admins): members with their roles and status, invitations with their one-time links."""
from __future__ import annotations

import uuid

from flask import Blueprint, redirect, render_template, request, url_for

from app.auth import team
from app.auth.models import ROLES
from app.core.errors import DomainError, NotFound
from app.db import commit_with_retry
from app.inventory.views.base import close_modal
from app.mail.service import deliver
from app.web.auth import current_agency_id, current_principal, protect_pages, require_role
from app.web.forms import field_errors, form_status
from app.web.htmx import hx_response, is_htmx, toast

bp = protect_pages(Blueprint("team", __name__))


def team_context(**extra) -> dict:
    agency_id = current_agency_id()
    return {"members": team.list_members(agency_id), "invitations": team.pending_invitations(agency_id),
            "roles": ROLES, "role_options": [(role, role.capitalize()) for role in ROLES],
            "me": current_principal().user.id, "values": {}, "errors": {}, "issued": None, **extra}


def invitation_link(token: str) -> str:
    return url_for("auth.accept_invitation", token=token, _external=True)


@bp.get("/team")
@require_role("admin")
def team_page():
    return render_template("auth/team.html", **team_context())


@bp.post("/team/invitations")
@require_role("admin")
def invite_member():
    """Invite by e-mail: the one-time link is shown here and its e-mail put in the outbox."""
    values = {"email": request.form.get("email", "").strip()[:254], "role": request.form.get("role", "")}
    try:
        inviter = current_principal().user
        issued = commit_with_retry(lambda: team.invite(current_agency_id(), values["email"], values["role"], inviter,
                                                       invitation_link))
    except DomainError as exc:
        return render_invite(values=values, errors=field_errors(exc), status=form_status(exc))
    deliver(issued.email.id)
    return render_invite(issued=issued, trigger=toast(f"Invitation for {issued.invitation.email} created"))


def render_invite(status: int = 200, trigger=None, **extra):
    """The invite panel (with the link or the errors) and the invitations list out of band."""
    context = team_context(**extra)
    if not is_htmx():
        return render_template("auth/team.html", **context), status
    body = (render_template("auth/partials/_team_invite.html", **context)
            + render_template("auth/partials/_team_invitations.html", oob=True, **context))
    return hx_response(body, status=status, trigger=trigger)


@bp.post("/team/invitations/<uuid:invitation_id>/revoke")
@require_role("admin")
def revoke_invitation(invitation_id: uuid.UUID):
    commit_with_retry(lambda: team.revoke_invitation(current_agency_id(), invitation_id))
    if not is_htmx():
        return redirect(url_for("team.team_page"), 303)
    return hx_response(render_template("auth/partials/_team_invitations.html", **team_context()),
                       trigger=toast("Invitation revoked"))


@bp.post("/team/members/<uuid:member_id>/role")
@require_role("admin")
def change_member_role(member_id: uuid.UUID):
    """Answers the members table, with the reason on top when the change was refused."""
    try:
        commit_with_retry(lambda: team.change_role(current_agency_id(), member_id, request.form.get("role", "")))
    except NotFound:
        raise
    except DomainError as exc:
        return members_table(error=next(iter(field_errors(exc).values())), status=form_status(exc))
    return members_table(trigger=toast("Role changed"))


def members_table(status: int = 200, trigger=None, error: str | None = None):
    if not is_htmx():
        return redirect(url_for("team.team_page"), 303)
    body = render_template("auth/partials/_team_members.html", error=error, **team_context())
    return hx_response(body, status=status, trigger=trigger)


def find_member(member_id: uuid.UUID) -> team.Member:
    member = next((m for m in team.list_members(current_agency_id()) if m.membership.id == member_id), None)
    if member is None:
        raise NotFound("Team member not found")
    return member


@bp.get("/team/members/<uuid:member_id>/active")
@require_role("admin")
def member_active_confirm(member_id: uuid.UUID):
    return render_template("auth/partials/_confirm_member_active.html", member=find_member(member_id), errors={})


@bp.post("/team/members/<uuid:member_id>/active")
@require_role("admin")
def set_member_active(member_id: uuid.UUID):
    """Deactivate or reactivate after the in-page confirm; a refusal is shown in the dialog."""
    active = request.form.get("active") == "1"
    try:
        actor = current_principal().user
        commit_with_retry(lambda: team.set_member_active(current_agency_id(), member_id, active, actor))
    except DomainError as exc:
        return render_template("auth/partials/_confirm_member_active.html", member=find_member(member_id),
                               errors=field_errors(exc)), form_status(exc)
    if not is_htmx():
        return redirect(url_for("team.team_page"), 303)
    table = render_template("auth/partials/_team_members.html", oob=True, error=None, **team_context())
    return close_modal(table, trigger=toast("Member reactivated" if active else "Member deactivated"))
