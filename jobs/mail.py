"""Mail job: `send_outbound_email(email_id)` sends one outbox message over SMTP.

A failed attempt is recorded on the row and raised, so RQ retries the job after
MAIL_RETRY_INTERVALS seconds; after the last interval the message is `failed`
(still in the outbox; an admin can send it again). A message already sent is
skipped, so a repeated job never sends twice in sequence.
"""
from __future__ import annotations

import logging
import smtplib
import uuid

from flask import current_app
from rq import get_current_job

from app.db import commit_with_retry
from app.mail import service
from app.mail.smtp import SmtpUrlInvalid, build_message, send
from jobs import app_context

log = logging.getLogger("jobs.mail")


def is_last_attempt() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def pending_message(message_id: uuid.UUID):
    """The message of a pending outbox row, or None when it was sent already (or is gone)."""
    email = service.pending_email(message_id)
    if email is None:
        return None
    return build_message(current_app.config["MAIL_FROM"], email.recipient, email.subject, email.body)


def send_outbound_email(email_id: str) -> str:
    """Send one pending message; returns "sent" or "skipped", raises after a failed attempt."""
    with app_context():
        config, message_id = current_app.config, uuid.UUID(email_id)
        message = commit_with_retry(lambda: pending_message(message_id))
        if message is None:
            return "skipped"
        try:
            send(config["SMTP_URL"], message, config["MAIL_SMTP_TIMEOUT_SECONDS"])
        except (smtplib.SMTPException, OSError, SmtpUrlInvalid) as exc:
            final = isinstance(exc, SmtpUrlInvalid) or is_last_attempt()
            log.warning("Sending e-mail %s failed%s: %s", email_id, "" if final else " (will retry)", exc)
            commit_with_retry(lambda: service.record_failure(message_id, f"{type(exc).__name__}: {exc}", final))
            if final:
                return "failed"
            raise
        commit_with_retry(lambda: service.record_sent(message_id))
        return "sent"
