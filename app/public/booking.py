"""Booking requests from the website, shared by the request form and the public JSON API.

Both answer the same way: the same per-IP limits (quotes and requests each
counted across form and API), the honeypot (a filled one gets a success-looking
answer and nothing is written), the booking through the direct-booking service
and its e-mails handed to the outbox job after the commit.
"""
from __future__ import annotations

import uuid
from datetime import date

from flask import current_app

from app.core.errors import ValidationFailed
from app.db import commit_with_retry
from app.direct import service as direct
from app.extensions import limiter
from app.inventory.service import Stay
from app.mail.service import deliver
from app.pricing import engine
from app.public import service
from app.public.hosts import site_agency

quote_rate_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_QUOTE_RATE_LIMIT"], scope="public-quotes")
booking_rate_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_BOOKING_RATE_LIMIT"],
                                          scope="public-booking-requests")


def is_spam(honeypot: str | None) -> bool:
    """The hidden `website` field: people leave it empty, form-filling robots do not."""
    return bool((honeypot or "").strip())


def offered_extras(prop, extra_ids: list[uuid.UUID]) -> tuple[engine.ExtraRequest, ...]:
    """The chosen optional extras; 422 on `extras` for any the property does not offer."""
    offered = {extra.id for extra in service.bookable_extras(prop)}
    if any(extra_id not in offered for extra_id in extra_ids):
        raise ValidationFailed.field("extras", "Choose only optional extras offered at this property")
    return tuple(engine.ExtraRequest(extra_id) for extra_id in dict.fromkeys(extra_ids))


def submit(slug: str, check_in: date, check_out: date, contact, adults: int, children_ages: list[int],
           extra_ids: list[uuid.UUID], language: str) -> direct.Submitted:
    """Book the request in one committed transaction, then queue the e-mails for sending.

    Raises NotFound (property), ValidationFailed (fields, stay rules) and BookingConflict (dates taken).
    """
    agency_id = site_agency().id

    def work() -> direct.Submitted:
        prop = service.get_property(agency_id, slug)
        details = direct.RequestDetails(
            Stay(check_in, check_out), adults, tuple(children_ages), offered_extras(prop, extra_ids),
            contact.name.strip(), str(contact.email), contact.phone, contact.message.strip(), language)
        return direct.submit_request(agency_id, prop, details)

    submitted = commit_with_retry(work)
    deliver(*submitted.email_ids)
    return submitted
