"""Direct booking service: the only code that writes `booking_requests`.

A website request becomes a booking through the inventory service (property
lock, exclusion constraints, engine price lines, guest found or created by
e-mail), source `direct`: an `inquiry` that blocks nothing for a property in
`request` mode, a `pending` booking that holds the dates in `instant` mode.
The e-mails to the guest and the agency are queued in the same transaction.
Answers (confirm, decline, expiry) go through `update_booking`, so a confirm
whose dates went meanwhile is the usual 409.

Functions take the agency id first, flush but never commit.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Agency, TeamMember, User
from app.core.errors import NotFound
from app.extensions import db
from app.guests.models import Guest
from app.inventory import service as inventory
from app.inventory.errors import BookingConflict
from app.inventory.models import Booking, Property
from app.direct import messages
from app.direct.models import BookingRequest
from app.mail.service import queue_email
from app.pricing import engine

REQUEST_NOT_FOUND = "Booking request not found"
JUST_BOOKED = "These dates were just booked. Please choose other dates."
NOTIFIED_ROLES = ("admin", "manager")
OPEN_STATUSES = ("inquiry", "pending")
MAX_LISTED = 20


@dataclass(frozen=True)
class RequestDetails:
    """What a guest sends from the website (already validated)."""
    stay: inventory.Stay
    adults: int
    children_ages: tuple[int, ...]
    extras: tuple[engine.ExtraRequest, ...]
    name: str
    email: str
    phone: str | None
    message: str
    language: str


@dataclass(frozen=True)
class Submitted:
    booking: Booking
    email_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class OpenRequest:
    request: BookingRequest
    booking: Booking
    property_name: str
    guest_name: str


def split_name(name: str) -> tuple[str, str]:
    """"Anna Maria Schmidt" -> ("Anna Maria", "Schmidt"); a single word is the last name."""
    first, _, last = name.strip().rpartition(" ")
    return first.strip(), last


def submit_request(agency_id: uuid.UUID, prop: Property, details: RequestDetails) -> Submitted:
    """Book the stay as the property's mode says and queue both e-mails.

    Raises BookingConflict when the dates are taken (also for an inquiry, which would
    otherwise ask for dates nobody can confirm), ValidationFailed for the stay rules.
    """
    instant = prop.direct_booking_mode == "instant"
    first_name, last_name = split_name(details.name)
    guest = inventory.GuestDetails(first_name, last_name, details.email, details.phone, details.language)
    booking = inventory.create_booking(
        agency_id, prop.id, details.stay, status="pending" if instant else "inquiry", guest=guest, source="direct",
        adults=details.adults, children=len(details.children_ages), children_ages=list(details.children_ages),
        extras=details.extras)
    if not booking.quote.available:
        raise BookingConflict(JUST_BOOKED)
    db.session.add(BookingRequest(agency_id=agency_id, booking_id=booking.id, language=details.language,
                                  message=details.message))
    return Submitted(booking, queue_messages(agency_id, booking, prop, details))


def queue_messages(agency_id: uuid.UUID, booking: Booking, prop: Property,
                   details: RequestDetails) -> tuple[uuid.UUID, ...]:
    agency = db.session.get(Agency, agency_id)
    to_guest = messages.request_received(booking, prop, agency.name, details.name, details.language,
                                         current_app.config["DIRECT_BOOKING_PENDING_HOURS"])
    to_agency = messages.new_request(booking, prop, details.name, details.email, details.phone, details.message)
    emails = [queue_email(agency_id, details.email, to_guest.subject, to_guest.body)]
    emails += [queue_email(agency_id, recipient, to_agency.subject, to_agency.body)
               for recipient in staff_recipients(agency_id)]
    return tuple(email.id for email in emails)


def staff_recipients(agency_id: uuid.UUID) -> list[str]:
    """The e-mail addresses of the agency's active admins and managers."""
    query = (select(User.email).join(TeamMember, TeamMember.user_id == User.id)
             .where(TeamMember.agency_id == agency_id, TeamMember.role.in_(NOTIFIED_ROLES), User.is_active)
             .order_by(User.email))
    return list(db.session.scalars(query))


def open_requests_query(agency_id: uuid.UUID):
    return (select(BookingRequest, Booking, Property.name, Guest.first_name, Guest.last_name)
            .join(Booking, Booking.id == BookingRequest.booking_id)
            .join(Property, Property.id == Booking.property_id)
            .outerjoin(Guest, Guest.id == Booking.guest_id)
            .where(BookingRequest.agency_id == agency_id, Booking.status.in_(OPEN_STATUSES)))


def open_request(row) -> OpenRequest:
    request, booking, property_name, first_name, last_name = row
    return OpenRequest(request, booking, property_name, " ".join(part for part in (first_name, last_name) if part))


@dataclass(frozen=True)
class OpenRequests:
    """The oldest open requests (at most MAX_LISTED) and how many are open in all."""
    items: list[OpenRequest]
    total: int


def list_open_requests(agency_id: uuid.UUID, limit: int = MAX_LISTED) -> OpenRequests:
    """Website requests still waiting for an answer, oldest first, with their total (one query)."""
    rows = db.session.execute(open_requests_query(agency_id).add_columns(func.count().over())
                              .order_by(BookingRequest.created_at).limit(limit)).all()
    return OpenRequests([open_request(row[:-1]) for row in rows], rows[0][-1] if rows else 0)


def get_open_request(agency_id: uuid.UUID, booking_id: uuid.UUID) -> OpenRequest:
    """A website request of the agency that still waits for an answer. Raises NotFound."""
    row = db.session.execute(open_requests_query(agency_id).where(Booking.id == booking_id)).first()
    if row is None:
        raise NotFound(REQUEST_NOT_FOUND)
    return open_request(row)


def confirm_request(agency_id: uuid.UUID, booking_id: uuid.UUID, actor_id: uuid.UUID | None = None) -> Booking:
    """Confirm through the locked path: an inquiry takes its dates now (409 if they went meanwhile)."""
    get_open_request(agency_id, booking_id)
    return inventory.update_booking(agency_id, booking_id, inventory.BookingChanges(status="confirmed"), actor_id)


def decline_request(agency_id: uuid.UUID, booking_id: uuid.UUID, actor_id: uuid.UUID | None = None) -> Booking:
    """Decline: a pending booking releases its dates, an inquiry held none. Sends nothing."""
    get_open_request(agency_id, booking_id)
    return inventory.update_booking(agency_id, booking_id, inventory.BookingChanges(status="declined"), actor_id)


def decline_expired(now: datetime) -> int:
    """Decline the website's pending bookings older than DIRECT_BOOKING_PENDING_HOURS; their dates become free."""
    cutoff = now - timedelta(hours=current_app.config["DIRECT_BOOKING_PENDING_HOURS"])
    expired = db.session.execute(
        select(Booking.agency_id, Booking.id).join(BookingRequest, BookingRequest.booking_id == Booking.id)
        .where(Booking.status == "pending", BookingRequest.created_at < cutoff)
        .order_by(BookingRequest.created_at)).all()
    for agency_id, booking_id in expired:
        inventory.update_booking(agency_id, booking_id, inventory.BookingChanges(status="declined"))
    return len(expired)
