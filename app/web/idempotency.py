"""`Idempotency-Key` support for POSTs that create something (spec 20 conventions).

The first successful (2xx JSON) response is stored per (user, key) for
`IDEMPOTENCY_TTL_SECONDS` (24 h) and replayed for a repeat with the same
request; the same key with a different request answers 422; a repeat while
the first is still running answers 409. A request that fails stores nothing,
so it may simply be sent again with the same key.

The key is claimed in its own short transaction (visible to other web
processes at once) and the response stored in another after the view has
committed its own work.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import current_app, jsonify, request
from pydantic import BaseModel, Field
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from app.core.errors import Conflict, ValidationFailed
from app.extensions import db
from app.web.auth import current_principal
from app.web.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
# A claim without a stored response older than this belongs to a request that died
# (web requests are cut off long before by the statement timeout and gunicorn's timeout).
ABANDONED_AFTER = timedelta(minutes=2)
records = IdempotencyRecord.__table__


class IdempotencyHeaders(BaseModel):
    """Documents and validates the optional header on creating POSTs."""
    idempotency_key: str | None = Field(
        None, alias=HEADER, description="Replays the stored response of an earlier request with the same key and body (24 h)")


def request_fingerprint() -> str:
    body = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass  # not JSON: compare the raw bytes
    return hashlib.sha256(request.method.encode() + b" " + request.full_path.encode() + b"\n" + body).hexdigest()


def claim(user_id: uuid.UUID, key: str, fingerprint: str):
    """Insert the running marker; return None when claimed, else the earlier record."""
    now = datetime.now(timezone.utc)
    ttl = timedelta(seconds=current_app.config["IDEMPOTENCY_TTL_SECONDS"])
    with db.engine.begin() as conn:
        conn.execute(delete(records).where(
            records.c.user_id == user_id, records.c.key == key,
            (records.c.created_at < now - ttl)
            | (records.c.status_code.is_(None) & (records.c.created_at < now - ABANDONED_AFTER))))
        inserted = conn.execute(
            insert(records).values(id=uuid.uuid4(), user_id=user_id, key=key, request_hash=fingerprint)
            .on_conflict_do_nothing(index_elements=["user_id", "key"]).returning(records.c.id)).first()
        if inserted is not None:
            return None
        return conn.execute(select(records).where(records.c.user_id == user_id, records.c.key == key)).first()


def finish(user_id: uuid.UUID, key: str, response=None) -> None:
    """Store a 2xx JSON response for replay; forget the claim after anything else."""
    with db.engine.begin() as conn:
        where = (records.c.user_id == user_id) & (records.c.key == key)
        if response is not None and 200 <= response.status_code < 300 and response.is_json:
            conn.execute(update(records).where(where).values(
                status_code=response.status_code, response_body=response.get_json()))
        else:
            conn.execute(delete(records).where(where))


def replay(record, fingerprint: str):
    if record.request_hash != fingerprint:
        raise ValidationFailed.field(HEADER, "Idempotency-Key was already used for a different request",
                                     type_="idempotency_key_reused", loc_prefix="header")
    if record.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still in progress")
    response = jsonify(record.response_body)
    response.status_code = record.status_code
    response.headers[REPLAY_HEADER] = "true"
    return response


def idempotent(view):
    """Decorate a creating POST view (outside `spec.validate`, inside the role check)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view(*args, **kwargs)
        if len(key) > 255:
            raise ValidationFailed.field(HEADER, "Idempotency-Key must be at most 255 characters",
                                         loc_prefix="header")
        user_id, fingerprint = current_principal().user.id, request_fingerprint()
        earlier = claim(user_id, key, fingerprint)
        if earlier is not None:
            return replay(earlier, fingerprint)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            finish(user_id, key)
            raise
        finish(user_id, key, response)
        return response
    return wrapper


def purge_expired_records() -> int:
    """Delete stored responses older than IDEMPOTENCY_TTL_SECONDS (they can no longer replay)."""
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=current_app.config["IDEMPOTENCY_TTL_SECONDS"])
    with db.engine.begin() as conn:
        return conn.execute(delete(records).where(records.c.created_at < cutoff)).rowcount
