"""Auth service: the only code that writes users, memberships and API tokens.

Functions flush but never commit; the caller owns the transaction.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import lazyload

from app.auth.models import ROLES, Agency, ApiToken, TeamMember, User
from app.core.errors import DomainError, NotFound
from app.db import utcnow
from app.extensions import db

password_hasher = PasswordHasher()  # argon2id with the library's current parameters


class AuthError(DomainError):
    status_code = 401


INVALID_CREDENTIALS = "Incorrect email or password"


@dataclass(frozen=True)
class Principal:
    """Who is calling and for which agency, with the role read from team_members."""
    user: User
    agency_id: uuid.UUID
    role: str
    token_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"



def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    """Check credentials; re-hash when argon2 parameters changed. Raises AuthError."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        password_hasher.hash(password)  # same cost whether the user exists or not
        raise AuthError(INVALID_CREDENTIALS)
    try:
        password_hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthError(INVALID_CREDENTIALS) from None
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def create_agency(name: str, slug: str) -> Agency:
    agency = db.session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        agency = Agency(name=name, slug=slug)
        db.session.add(agency)
        db.session.flush()
    return agency


def create_user(email: str, password: str, agency: Agency, role: str, display_name: str = "") -> User:
    """Create the user (or reuse the existing one) and make it a member of the agency."""
    if role not in ROLES:
        raise DomainError(f"Unknown role {role!r}. Must be one of: {', '.join(ROLES)}")
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email.strip().lower(), password_hash=hash_password(password),
                    display_name=display_name or email.split("@")[0], session_nonce=secrets.token_hex(16),
                    last_active_agency_id=agency.id)
        db.session.add(user)
        db.session.flush()
    membership = db.session.scalar(
        select(TeamMember).where(TeamMember.user_id == user.id, TeamMember.agency_id == agency.id))
    if membership is None:
        db.session.add(TeamMember(user_id=user.id, agency_id=agency.id, role=role))
    else:
        membership.role = role
    db.session.flush()
    return user


def grant_operator(user: User) -> None:
    """Make the user a platform operator (/rq, global ops figures)."""
    user.is_operator = True
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Change the password and invalidate every existing browser session."""
    user.password_hash = hash_password(password)
    rotate_session_nonce(user)


def rotate_session_nonce(user: User) -> None:
    user.session_nonce = secrets.token_hex(16)
    db.session.flush()


def load_session_user(session_id: str) -> User | None:
    """flask-login loader: `<user id>:<nonce>`; a rotated nonce logs the cookie out."""
    user_id, _, nonce = session_id.partition(":")
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or not user.is_active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def active_membership(user: User, agency_id: uuid.UUID | None = None) -> TeamMember | None:
    """The membership for `agency_id`, else the last active agency, else the first one."""
    memberships = [m for m in user.memberships if m.is_active]
    wanted = agency_id or user.last_active_agency_id
    for membership in memberships:
        if membership.agency_id == wanted:
            return membership
    return None if agency_id else (memberships[0] if memberships else None)


AGENCY_NOT_FOUND = "Agency not found"


def member_agencies(user: User) -> list[Agency]:
    """The agencies the user is an active member of, by name (the agency switcher's choices)."""
    return sorted((m.agency for m in user.memberships if m.is_active), key=lambda agency: agency.name.lower())


def membership_by_slug(user: User, agency_slug: str) -> TeamMember:
    """The user's active membership of the agency with this slug. Raises NotFound for any other
    agency, existing or not, so slugs do not leak."""
    for membership in user.memberships:
        if membership.is_active and membership.agency.slug == agency_slug:
            return membership
    raise NotFound(AGENCY_NOT_FOUND)


def switch_agency(user: User, agency_slug: str) -> Agency:
    """Make the agency the user's current one (pages work in it from the next request). Raises NotFound."""
    membership = membership_by_slug(user, agency_slug)
    user.last_active_agency_id = membership.agency_id
    db.session.flush()
    return membership.agency


def principal_for(user: User, agency_id: uuid.UUID | None = None,
                  token_id: uuid.UUID | None = None) -> Principal | None:
    membership = active_membership(user, agency_id)
    if membership is None:
        return None
    return Principal(user=user, agency_id=membership.agency_id, role=membership.role, token_id=token_id)


TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, ttl_seconds: int, agency_slug: str | None = None) -> tuple[str, ApiToken]:
    """Return the raw token (shown once) and its stored, hashed row.

    The token works in the agency `agency_slug` (NotFound unless the user is an active member),
    else in the user's current agency.
    """
    membership = membership_by_slug(user, agency_slug) if agency_slug else active_membership(user)
    if membership is None:
        raise AuthError(INVALID_CREDENTIALS)
    raw = secrets.token_urlsafe(32)
    token = ApiToken(token_hash=token_digest(raw), user_id=user.id, agency_id=membership.agency_id,
                     expires_at=utcnow() + timedelta(seconds=ttl_seconds))
    db.session.add(token)
    db.session.flush()
    return raw, token


def resolve_token(raw: str) -> Principal:
    """Map a bearer token to its principal in one query (token, user, role in the token's agency).

    Raises AuthError with the spec's messages.
    """
    row = db.session.execute(
        select(ApiToken, User, TeamMember.role)
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(TeamMember, (TeamMember.user_id == ApiToken.user_id)
                   & (TeamMember.agency_id == ApiToken.agency_id) & TeamMember.is_active)
        .where(ApiToken.token_hash == token_digest(raw))
        .options(lazyload(User.memberships))).first()
    if row is None or row.ApiToken.revoked_at is not None:
        raise AuthError("Invalid authentication token")
    token, user, role = row
    if token.expires_at <= utcnow():
        raise AuthError("Token has expired")
    if not user.is_active or role is None:
        raise AuthError("Invalid authentication token")
    if token.last_used_at is None or utcnow() - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        record_token_use(token.id)
    return Principal(user=user, agency_id=token.agency_id, role=role, token_id=token.id)


def record_token_use(token_id: uuid.UUID) -> None:
    """Set last_used_at, at most once a minute, in a statement that commits at once on its own connection.

    Not in the request's transaction: a read request rolls that back (its touch was lost, so every read
    wrote again), and an UPDATE held until the request ends makes concurrent requests with one token queue
    on its row lock (measured in bench/).
    """
    now = utcnow()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(update(ApiToken).where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_TOUCH_INTERVAL),
        ).values(last_used_at=now))


def revoke_token(token_id: uuid.UUID) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
