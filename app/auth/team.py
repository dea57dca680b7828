"""Team service: the agency's members, invitations and passwords. Flushes, never commits.

Admins invite by e-mail (a one-time link, valid INVITATION_TTL_HOURS, shown to the
admin and put in the outbox), change roles and deactivate or reactivate members.
An agency always keeps at least one active admin. Every user changes their own
password; that ends all their sessions and API tokens.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import lazyload

from app.auth.models import ROLES, Agency, ApiToken, TeamMember, User, UserInvitation
from app.auth.service import find_user_by_email, hash_password, password_hasher, set_password, token_digest
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.tenancy import get_owned
from app.db import utcnow
from app.extensions import db
from app.mail.models import OutboundEmail
from app.mail.service import queue_email

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256
INVALID_INVITATION = "This invitation link is invalid, expired or already used. Ask your agency's admin for a new one."


@dataclass(frozen=True)
class Member:
    membership: TeamMember
    user: User


@dataclass(frozen=True)
class IssuedInvitation:
    """The invitation (its token stored hashed only), its one-time link and the outbox message carrying it."""
    invitation: UserInvitation
    link: str
    email: OutboundEmail


def list_members(agency_id: uuid.UUID) -> list[Member]:
    """The agency's members (active first, then by e-mail)."""
    rows = db.session.execute(
        select(TeamMember, User).join(User, User.id == TeamMember.user_id).where(TeamMember.agency_id == agency_id)
        .order_by(TeamMember.is_active.desc(), func.lower(User.email)))
    return [Member(membership, user) for membership, user in rows]


def pending_invitations(agency_id: uuid.UUID) -> list[UserInvitation]:
    return list(db.session.scalars(select(UserInvitation).where(
        UserInvitation.agency_id == agency_id, UserInvitation.accepted_at.is_(None),
        UserInvitation.revoked_at.is_(None), UserInvitation.expires_at > utcnow())
        .order_by(UserInvitation.created_at.desc())))


def require_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationFailed.field("role", f"Role must be one of: {', '.join(ROLES)}")


def invite(agency_id: uuid.UUID, email: str, role: str, invited_by: User, link_for) -> IssuedInvitation:
    """Invite `email` as `role`; an earlier open invitation of that address is revoked.

    `link_for(token)` builds the acceptance URL. Raises ValidationFailed, Conflict (already an active member).
    """
    require_role(role)
    email = email.strip().lower()
    existing = find_user_by_email(email)
    if existing is not None and any(m.agency_id == agency_id and m.is_active for m in existing.memberships):
        raise Conflict(f"{email} is already an active member of this team")
    now = utcnow()
    db.session.execute(update(UserInvitation).where(
        UserInvitation.agency_id == agency_id, func.lower(UserInvitation.email) == email,
        UserInvitation.accepted_at.is_(None), UserInvitation.revoked_at.is_(None)).values(revoked_at=now))
    raw = secrets.token_urlsafe(32)
    invitation = UserInvitation(agency_id=agency_id, email=email, role=role, token_hash=token_digest(raw),
                                invited_by=invited_by.id,
                                expires_at=now + timedelta(hours=current_app.config["INVITATION_TTL_HOURS"]))
    db.session.add(invitation)
    db.session.flush()
    link = link_for(raw)
    return IssuedInvitation(invitation, link, queue_email(agency_id, email, *invitation_message(
        db.session.get(Agency, agency_id), invited_by, role, link, invitation.expires_at)))


def invitation_message(agency: Agency, inviter: User, role: str, link: str, expires_at: datetime) -> tuple[str, str]:
    subject = f"You are invited to join {agency.name} on Fewo PMS"
    body = (f"Hello,\n\n{inviter.display_name or inviter.email} invites you to join {agency.name} on Fewo PMS "
            f"as {role}.\n\nOpen this link to accept and choose your password:\n{link}\n\n"
            f"The link works once and expires on {expires_at:%Y-%m-%d %H:%M} UTC.\n")
    return subject, body


def revoke_invitation(agency_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
    invitation = get_owned(UserInvitation, agency_id, invitation_id, "Invitation not found", for_update=True)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


def open_invitation(raw_token: str) -> UserInvitation:
    """The invitation of a link, if it can still be accepted. Raises NotFound."""
    invitation = db.session.scalar(select(UserInvitation).where(
        UserInvitation.token_hash == token_digest(raw_token[:200])).with_for_update())
    if (invitation is None or invitation.accepted_at or invitation.revoked_at
            or invitation.expires_at <= utcnow()):
        raise NotFound(INVALID_INVITATION)
    return invitation


def check_new_password(password: str, confirm: str, field: str = "password") -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise ValidationFailed.field(field, f"At least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationFailed.field(field, f"At most {PASSWORD_MAX_LENGTH} characters")
    if password != confirm:
        raise ValidationFailed.field(f"{field}_confirm", "The passwords do not match")


def accept_invitation(raw_token: str, password: str, confirm: str, display_name: str = "") -> User:
    """Join the agency: a new user sets a password; an existing user proves it with theirs.

    The agency becomes the user's current one. Raises NotFound (link), ValidationFailed.
    """
    invitation = open_invitation(raw_token)
    user = find_user_by_email(invitation.email)
    if user is None:
        check_new_password(password, confirm)
        user = User(email=invitation.email, password_hash=hash_password(password),
                    display_name=display_name.strip()[:100] or invitation.email.split("@")[0],
                    session_nonce=secrets.token_hex(16))
        db.session.add(user)
        db.session.flush()
    elif not user.is_active or not verify_password(user, password):
        raise ValidationFailed.field("password", "Enter the password of your existing account")
    membership = next((m for m in user.memberships if m.agency_id == invitation.agency_id), None)
    if membership is None:
        db.session.add(TeamMember(user_id=user.id, agency_id=invitation.agency_id, role=invitation.role))
    else:
        membership.role, membership.is_active = invitation.role, True
    user.last_active_agency_id = invitation.agency_id
    invitation.accepted_at = utcnow()
    db.session.flush()
    db.session.refresh(user, ["memberships"])
    return user


def verify_password(user: User, password: str) -> bool:
    try:
        return password_hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def member_of(agency_id: uuid.UUID, member_id: uuid.UUID) -> TeamMember:
    """The agency's membership row, locked (its agency is not joined: FOR UPDATE refuses outer joins)."""
    membership = db.session.scalar(select(TeamMember).options(lazyload(TeamMember.agency)).where(
        TeamMember.agency_id == agency_id, TeamMember.id == member_id).with_for_update())
    if membership is None:
        raise NotFound("Team member not found")
    return membership


def keep_an_admin(agency_id: uuid.UUID, changed: TeamMember) -> None:
    """Refuse a change that would leave the agency without an active admin."""
    others = db.session.scalar(select(func.count()).select_from(TeamMember).where(
        TeamMember.agency_id == agency_id, TeamMember.role == "admin", TeamMember.is_active.is_(True),
        TeamMember.id != changed.id))
    if not others:
        raise Conflict("The team needs at least one active admin")


def change_role(agency_id: uuid.UUID, member_id: uuid.UUID, role: str) -> TeamMember:
    """Raises NotFound, ValidationFailed, Conflict (the last active admin)."""
    require_role(role)
    membership = member_of(agency_id, member_id)
    if membership.role == "admin" and role != "admin" and membership.is_active:
        keep_an_admin(agency_id, membership)
    membership.role = role
    db.session.flush()
    return membership


def set_member_active(agency_id: uuid.UUID, member_id: uuid.UUID, active: bool, actor: User) -> TeamMember:
    """Deactivate (their sessions and tokens stop working for this agency at once) or reactivate a member.

    Raises NotFound, Conflict (yourself, or the last active admin).
    """
    membership = member_of(agency_id, member_id)
    if not active and membership.user_id == actor.id:
        raise Conflict("You cannot deactivate yourself")
    if not active and membership.role == "admin":
        keep_an_admin(agency_id, membership)
    membership.is_active = active
    db.session.flush()
    return membership


def revoke_tokens(user: User) -> int:
    """Revoke every API token of the user; returns how many were still valid."""
    return db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                              .values(revoked_at=utcnow())).rowcount


def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """The user's own change: the current password first. Ends all sessions and tokens (the caller logs
    this browser in again). Raises ValidationFailed."""
    if not verify_password(user, current):
        raise ValidationFailed.field("current_password", "The current password is not correct")
    check_new_password(new, confirm, "new_password")
    reset_password(user, new)


def reset_password(user: User, new: str) -> int:
    """Set the password (no old one needed: the CLI) and end every session and token; returns tokens revoked."""
    set_password(user, new)  # rotates the session nonce: every browser session ends
    return revoke_tokens(user)

