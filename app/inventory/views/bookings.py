"""Booking pages: filtered list, create form with inline 409/422 reasons, detail with
status actions (confirm, check in, check out, cancel), each through an in-page dialog."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template, request, url_for

from app.core.errors import DomainError, NotFound, ValidationFailed
from app.db import commit_with_retry
from app.inventory import service
from app.inventory.api.base import BOOKING_EDITORS
from app.inventory.api.bookings import service_arguments
from app.inventory.models import BOOKING_STATUSES, Booking
from app.inventory.schemas import BookingIn, BookingListQuery, BookingPatch
from app.inventory.service import overview
from app.inventory.views.base import AVAILABILITY_CHANGED, LIST_PAGE_SIZE, bp, close_modal
from app.pricing import forms as pricing_forms, service as pricing
from app.pricing.api import PRICING_EDITORS
from app.web.auth import current_agency_id, current_principal, has_role, require_role
from app.web.forms import field_errors, form_error, form_status, form_values, validated
from app.web.htmx import go_to, render_page_or_partial, toast
from app.web.panels import load_list

BOOKING_FORM_FIELDS = ("property_id", "check_in", "check_out", "status", "adults", "children", "total_price", "notes")
GUEST_FORM_FIELDS = ("first_name", "last_name", "email", "phone")
FILTER_FIELDS = ("property_id", "status", "from_date", "to_date")
# the form starts with the API's defaults (status confirmed, 1 adult, 0 children)
BOOKING_DEFAULTS = {name: field.default for name, field in BookingIn.model_fields.items()
                    if name in BOOKING_FORM_FIELDS and field.default is not None and not field.is_required()}


@dataclass(frozen=True)
class StatusAction:
    name: str
    status: str
    label: str
    question: str
    danger: bool = False


# The actions the detail page offers; shown only where the transition table allows them.
STATUS_ACTIONS = {action.name: action for action in (
    StatusAction("confirm", "confirmed", "Confirm", "Confirm this booking?"),
    StatusAction("check_in", "checked_in", "Check in", "Mark the guest as checked in?"),
    StatusAction("check_out", "checked_out", "Check out", "Mark the guest as checked out?"),
    StatusAction("cancel", "cancelled", "Cancel booking", "Cancel this booking? Its dates become free at once.",
                 danger=True),
)}


def available_actions(booking: Booking) -> list[StatusAction]:
    allowed = service.TRANSITIONS.get(booking.status, ())
    return [action for action in STATUS_ACTIONS.values() if action.status in allowed]


def property_choices(agency_id: uuid.UUID):
    return service.list_properties(agency_id, limit=100).items


def form_options(properties) -> dict:
    """Choices of the booking form: the given properties and the statuses a booking may start in."""
    return {"property_options": [(prop.id, prop.name) for prop in properties],
            "status_options": [(status, status.capitalize()) for status in service.INITIAL_STATUSES]}


@bp.get("/bookings")
def bookings():
    agency_id, args = current_agency_id(), request.args.to_dict()
    filters = {name: args[name] for name in FILTER_FIELDS if args.get(name)}

    def fetch(query: BookingListQuery):
        page = service.list_bookings(agency_id, limit=query.limit, offset=query.offset,
                                     **query.model_dump(include=set(FILTER_FIELDS)))
        return page, overview.booking_rows(agency_id, page.items)

    loaded = load_list("bookings", BookingListQuery, args, fetch, LIST_PAGE_SIZE)
    return render_page_or_partial(
        "inventory/bookings.html", "inventory/partials/_booking_table.html", status=loaded.status,
        page=loaded.value[0] if loaded.value else None, rows=loaded.value[1] if loaded.value else [],
        error=loaded.error, filters=filters, statuses=BOOKING_STATUSES, properties=property_choices(agency_id),
        can_book=has_role(*BOOKING_EDITORS))


def render_booking_form(values, errors: dict, status: int = 200):
    return render_page_or_partial("inventory/booking_form.html", "inventory/partials/_booking_form.html",
                                  status=status, values=values, errors=errors,
                                  quote_panel=pricing_forms.quote_context(values),
                                  **form_options(property_choices(current_agency_id())))


@bp.get("/bookings/new")
@require_role(*BOOKING_EDITORS)
def booking_new():
    return render_booking_form({**BOOKING_DEFAULTS, **request.args.to_dict()}, {})


def stay_order(values) -> list[dict]:
    """Check-out after check-in, reported together with every other problem of the form."""
    try:
        check_in, check_out = date.fromisoformat(values["check_in"]), date.fromisoformat(values["check_out"])
    except (KeyError, TypeError, ValueError):
        return []  # missing or malformed dates have their own messages
    return [] if check_out > check_in else [form_error("check_out", "Check-out must be after check-in")]


def booking_input(form) -> BookingIn:
    values = form_values(BookingIn, form, BOOKING_FORM_FIELDS)
    guest = {name: form.get(f"guest_{name}", "").strip() for name in GUEST_FORM_FIELDS}
    if any(guest.values()):
        values["guest"] = {name: value for name, value in guest.items() if value}
    values.update(children_ages=pricing_forms.children_ages(form), extras=pricing_forms.booked_extras(form))
    return validated(BookingIn, values, stay_order)


@bp.post("/bookings")
@require_role(*BOOKING_EDITORS)
def create_booking():
    agency_id = current_agency_id()
    try:
        data = booking_input(request.form)
        if data.total_price is not None and not has_role(*PRICING_EDITORS):
            raise ValidationFailed.field("total_price", "Only admins and managers can set a price by hand")
        details = service_arguments(data.model_dump(exclude={"property_id", "check_in", "check_out", "guest"}))
        guest = service.GuestDetails(**data.guest.model_dump()) if data.guest else None
        stay = service.Stay(data.check_in, data.check_out)
        booking = commit_with_retry(
            lambda: service.create_booking(agency_id, data.property_id, stay, guest=guest, **details))
    except DomainError as exc:
        return render_booking_form(request.form, field_errors(exc), form_status(exc))
    if request.form.get("mode") == "dialog":  # opened from the calendar: close it, the grid refreshes itself
        return close_modal(trigger={**toast("Booking created"), AVAILABILITY_CHANGED: True})
    return go_to(url_for("inventory.booking_detail", booking_id=booking.id))


def guest_url(booking: Booking) -> str | None:
    """The guest's page, when the guests module is mounted (the fallback module list leaves it out)."""
    if booking.guest_id is None or "guests.guest_detail" not in current_app.view_functions:
        return None
    return url_for("guests.guest_detail", guest_id=booking.guest_id)


def detail_context(agency_id: uuid.UUID, booking: Booking) -> dict:
    row = overview.booking_rows(agency_id, [booking])[0]
    can_edit = has_role(*BOOKING_EDITORS)
    return {"row": row, "booking": booking, "actions": available_actions(booking) if can_edit else [],
            "guest_url": guest_url(booking), "price_lines": pricing.price_lines(booking.id)}


@bp.get("/bookings/<uuid:booking_id>")
def booking_detail(booking_id: uuid.UUID):
    agency_id = current_agency_id()
    booking = service.get_booking(agency_id, booking_id)
    return render_page_or_partial("inventory/booking_detail.html", "inventory/partials/_booking_summary.html",
                                  **detail_context(agency_id, booking))


def status_action(name: str) -> StatusAction:
    if name not in STATUS_ACTIONS:
        raise NotFound(f"Unknown booking action {name[:40]!r}")
    return STATUS_ACTIONS[name]


@bp.get("/bookings/<uuid:booking_id>/status/<action>")
@require_role(*BOOKING_EDITORS)
def booking_status_confirm(booking_id: uuid.UUID, action: str):
    booking = service.get_booking(current_agency_id(), booking_id)
    return render_template("inventory/partials/_confirm_booking_status.html", booking=booking,
                           action=status_action(action), errors={})


@bp.post("/bookings/<uuid:booking_id>/status/<action>")
@require_role(*BOOKING_EDITORS)
def change_booking_status(booking_id: uuid.UUID, action: str):
    agency_id, actor_id, chosen = current_agency_id(), current_principal().user.id, status_action(action)
    reason = request.form.get("cancellation_reason", "").strip()
    try:
        patch = validated(BookingPatch, {"status": chosen.status, **({"cancellation_reason": reason} if reason else {})})
        changes = service.BookingChanges(**patch.model_dump(exclude_unset=True))
        booking = commit_with_retry(lambda: service.update_booking(agency_id, booking_id, changes, actor_id))
    except DomainError as exc:
        booking = service.get_booking(agency_id, booking_id)
        return render_template("inventory/partials/_confirm_booking_status.html", booking=booking, action=chosen,
                               errors=field_errors(exc)), form_status(exc)
    summary = render_template("inventory/partials/_booking_summary.html", oob=True,
                              **detail_context(agency_id, booking))
    return close_modal(summary, trigger=toast(f"Booking {booking.status.replace('_', ' ')}"))
