"""Price lines of a quote in the visitor's language (the engine's own labels are English)."""
from __future__ import annotations

from flask_babel import gettext as _, ngettext

from app.pricing.engine import Line
from app.public.formatting import site_currency


def nights_label(terms, currency: str) -> str:
    label = ngettext("%(num)s night at %(rate)s", "%(num)s nights at %(rate)s", terms["nights"],
                     rate=site_currency(terms["rate"], currency))
    return f"{label} ({terms['season']})" if terms.get("season") else label


def discount_label(terms) -> str:
    if terms["period"] == "monthly":
        return _("Monthly discount %(percent)s %%", percent=terms["percent"])
    return _("Weekly discount %(percent)s %%", percent=terms["percent"])


def visitor_tax_label(terms) -> str:
    people = (ngettext("%(num)s child", "%(num)s children", terms["people"]) if terms["guest_class"] == "child"
              else ngettext("%(num)s adult", "%(num)s adults", terms["people"]))
    nights = ngettext("%(num)s night", "%(num)s nights", terms["nights"])
    return f"{terms['rule']}: {people} × {nights}"


def line_label(line: Line, currency: str) -> str:
    """The line's label in the site's language; lines without terms (extras: the agency's own
    names) keep theirs."""
    if not line.terms:
        return line.label
    if line.kind == "nights":
        return nights_label(line.terms, currency)
    if line.kind == "discount":
        return discount_label(line.terms)
    if line.kind == "visitor_tax":
        return visitor_tax_label(line.terms)
    return line.label
