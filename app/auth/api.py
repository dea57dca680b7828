"""Bearer tokens for scripts: `POST/DELETE /api/v1/auth/token`."""
from __future__ import annotations

from flask import current_app
from pydantic import BaseModel, Field

from app.auth import service
from app.auth.models import Agency
from app.auth.service import AuthError
from app.db import commit_with_retry
from app.extensions import db
from app.web.api import ApiResponse, api_blueprint, spec
from app.web.auth import bearer_token, current_principal, limit_failed_logins

bp = api_blueprint("auth_api", __name__, public=True)


class TokenIn(BaseModel):
    email: str
    password: str
    agency: str | None = Field(None, min_length=1, max_length=100,
                               description="Slug of the agency the token works in (for members of several "
                                           "agencies); default: the user's current agency")


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    agency: str


class Detail(BaseModel):
    detail: str


@bp.post("/auth/token")
@limit_failed_logins()
@spec.validate(json=TokenIn, resp=ApiResponse(HTTP_200=TokenOut, HTTP_401=Detail, HTTP_404=Detail,
                                               HTTP_429=Detail), tags=["auth"], security={})
def issue_token(json: TokenIn):
    """Exchange email and password for a bearer token (default lifetime 1 hour).

    Members of several agencies choose the token's agency with `agency` (its slug); an agency the
    user is not an active member of answers 404 {"detail": "Agency not found"}.
    """
    user = service.authenticate(json.email, json.password)
    ttl = current_app.config["API_TOKEN_TTL_SECONDS"]
    raw, token = commit_with_retry(lambda: service.issue_token(user, ttl, json.agency))
    agency = db.session.get(Agency, token.agency_id)
    return {"access_token": raw, "token_type": "bearer", "expires_in": ttl, "agency": agency.slug}


@bp.delete("/auth/token")
@spec.validate(resp=ApiResponse("HTTP_204", HTTP_401=Detail), tags=["auth"])
def revoke_token():
    """Revoke the bearer token this request presents."""
    if bearer_token() is None:
        raise AuthError("Not authenticated")
    commit_with_retry(lambda: service.revoke_token(current_principal().token_id))
    return "", 204
