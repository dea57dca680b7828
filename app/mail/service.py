"""Mail service: the only code that writes the outbox.

`queue_email` runs in the caller's transaction (flush, never commit); after the
commit the caller hands the ids to `deliver`, which enqueues the sending job when
SMTP is configured. The job records each attempt here.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone

from flask import current_app
from redis.exceptions import RedisError
from rq import Retry
from sqlalchemy import select

from app.core.pagination import Page, paginate
from app.core.tenancy import get_owned
from app.extensions import db
from app.mail.models import OutboundEmail
from app.queue import enqueue

log = logging.getLogger("app.mail")
SUBJECT_MAX = 200
BODY_MAX = 20_000
ERROR_MAX = 500


def smtp_configured() -> bool:
    return bool(current_app.config["SMTP_URL"])


def queue_email(agency_id: uuid.UUID | None, recipient: str, subject: str, body: str) -> OutboundEmail:
    """Add a message to the outbox in the caller's transaction; returns the pending row."""
    email = OutboundEmail(agency_id=agency_id, recipient=recipient.strip(), subject=subject[:SUBJECT_MAX],
                          body=body[:BODY_MAX])
    db.session.add(email)
    db.session.flush()
    return email


def enqueue_send(email_id: uuid.UUID):
    """Queue the sending of one message (raises redis errors when Redis is down)."""
    intervals = current_app.config["MAIL_RETRY_INTERVALS"]
    return enqueue("jobs.mail.send_outbound_email", str(email_id), queue_name="default", job_id=f"mail-{email_id}",
                   retry=Retry(max=len(intervals), interval=list(intervals)) if intervals else None,
                   result_ttl=3600, failure_ttl=7 * 86400)


def deliver(*email_ids: uuid.UUID) -> None:
    """After the commit: enqueue sending when SMTP is configured. With Redis down the message stays
    pending in the outbox (an admin can send it again from there); the caller's change stands."""
    if not smtp_configured():
        return
    for email_id in email_ids:
        try:
            enqueue_send(email_id)
        except RedisError as exc:
            log.warning("Could not queue e-mail %s for sending: %s", email_id, exc)


def list_outbox(agency_id: uuid.UUID, limit: int = 50, offset: int = 0) -> Page[OutboundEmail]:
    """The agency's e-mails, newest first."""
    return paginate(select(OutboundEmail).where(OutboundEmail.agency_id == agency_id)
                    .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id), limit, offset)


def get_email(agency_id: uuid.UUID, email_id: uuid.UUID) -> OutboundEmail:
    """One of the agency's e-mails. Raises NotFound "E-mail not found"."""
    return get_owned(OutboundEmail, agency_id, email_id, "E-mail not found")


def pending_email(email_id: uuid.UUID) -> OutboundEmail | None:
    """The message locked for sending, or None when it was sent (or given up) meanwhile."""
    email = db.session.get(OutboundEmail, email_id, with_for_update=True)
    return email if email is not None and email.status == "pending" else None


def record_sent(email_id: uuid.UUID) -> None:
    email = db.session.get(OutboundEmail, email_id, with_for_update=True)
    email.status, email.sent_at, email.last_error = "sent", datetime.now(timezone.utc), None
    email.attempts += 1
    db.session.flush()


def record_failure(email_id: uuid.UUID, error: str, final: bool) -> None:
    """Count the failed attempt; after the last one the message is `failed` (still readable, can be resent)."""
    email = db.session.get(OutboundEmail, email_id, with_for_update=True)
    email.attempts += 1
    email.last_error = error[:ERROR_MAX]
    if final:
        email.status = "failed"
    db.session.flush()


def resend(agency_id: uuid.UUID, email_id: uuid.UUID) -> OutboundEmail:
    """Put a failed (or stuck pending) message back to pending for another round of attempts."""
    email = get_owned(OutboundEmail, agency_id, email_id, "E-mail not found", for_update=True)
    if email.status != "sent":
        email.status = "pending"
        db.session.flush()
    return email
