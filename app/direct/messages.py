"""The e-mails of a website request, in the language the guest used (German or English)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, format_currency, format_date, gettext as _

from app.inventory.models import Booking, Property


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def stay_summary(booking: Booking, prop: Property) -> str:
    quote = booking.quote
    lines = [_("Accommodation: %(name)s", name=prop.name),
             _("Arrival: %(day)s", day=format_date(booking.check_in, "medium")),
             _("Departure: %(day)s", day=format_date(booking.check_out, "medium")),
             _("Guests: %(adults)s adults, %(children)s children", adults=booking.adults, children=booking.children),
             _("Price: %(total)s", total=format_currency(quote.total, quote.currency))]
    if quote.on_site_total:
        lines.append(_("Payable on site: %(total)s", total=format_currency(quote.on_site_total, quote.currency)))
    return "\n".join(lines)


def next_step(booking: Booking, pending_hours: int) -> str:
    if booking.status == "pending":
        return _("We are holding these dates for you and will confirm your booking within %(hours)s hours.",
                 hours=pending_hours)
    return _("We will check availability and reply shortly. Your booking is only made once we confirm it.")


def request_received(booking: Booking, prop: Property, agency_name: str, guest_name: str, language: str,
                     pending_hours: int) -> Message:
    """To the guest: what was asked for and what happens next."""
    with force_locale(language):
        subject = _("Your booking request for %(name)s", name=prop.name)
        body = "\n\n".join([_("Hello %(name)s,", name=guest_name),
                            _("thank you for your request. We have received the following:"),
                            stay_summary(booking, prop), next_step(booking, pending_hours),
                            _("Kind regards\n%(agency)s", agency=agency_name)])
    return Message(str(subject), str(body))


def new_request(booking: Booking, prop: Property, guest_name: str, guest_email: str, phone: str | None,
                message: str) -> Message:
    """To the agency's admins and managers (in English, as the back office)."""
    with force_locale("en"):
        subject = f"New direct {'booking' if booking.status == 'pending' else 'request'}: {prop.name}, " \
                  f"{booking.check_in} to {booking.check_out}"
        what = ("The dates are held until you confirm or decline (or the request expires)."
                if booking.status == "pending" else "Nothing is blocked until you confirm it.")
        body = "\n\n".join([f"{guest_name} <{guest_email}>{', ' + phone if phone else ''} asks for:",
                            stay_summary(booking, prop), f"Message:\n{message or '(none)'}",
                            f"{what} Confirm or decline it on the dashboard."])
    return Message(subject, body)
