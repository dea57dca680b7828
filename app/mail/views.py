"""Outbox page (admins): the agency's e-mails with their delivery state; a message can be sent again."""
from __future__ import annotations

import uuid

from flask import Blueprint, redirect, render_template, request, url_for

from app.core.pagination import MAX_OFFSET
from app.db import commit_with_retry
from app.mail import service
from app.web.auth import current_agency_id, protect_pages, require_role
from app.web.htmx import hx_response, is_htmx, render_page_or_partial, toast

bp = protect_pages(Blueprint("mail", __name__))
PAGE_SIZE = 50


@bp.get("/outbox")
@require_role("admin")
def outbox():
    raw = request.args.get("offset", "")
    page = service.list_outbox(current_agency_id(), PAGE_SIZE, min(int(raw), MAX_OFFSET) if raw.isdigit() else 0)
    return render_page_or_partial("mail/outbox.html", "mail/partials/_outbox_table.html", page=page,
                                  page_url=lambda offset: url_for("mail.outbox", offset=offset),
                                  smtp_configured=service.smtp_configured())


@bp.get("/outbox/<uuid:email_id>")
@require_role("admin")
def email_detail(email_id: uuid.UUID):
    return render_page_or_partial("mail/email_detail.html", "mail/partials/_email_dialog.html",
                                  email=service.get_email(current_agency_id(), email_id),
                                  smtp_configured=service.smtp_configured())


@bp.post("/outbox/<uuid:email_id>/send")
@require_role("admin")
def resend_email(email_id: uuid.UUID):
    """Another round of delivery attempts for a failed or stuck message (with SMTP configured)."""
    email = commit_with_retry(lambda: service.resend(current_agency_id(), email_id))
    service.deliver(email.id)
    if not is_htmx():
        return redirect(url_for("mail.outbox"), 303)
    configured = service.smtp_configured()
    message = "Sending again" if configured else "SMTP is not configured: the message stays here"
    return hx_response(render_template("mail/partials/_outbox_row.html", email=email, smtp_configured=configured),
                       trigger=toast(message, "success" if configured else "error"))
