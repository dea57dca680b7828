"""Fast template helpers of the public pages: a list renders hundreds of translated and formatted
snippets per request, and Flask-Babel looks the catalogue and the locale up again on every call.

Here the catalogue is looked up once per request, and formatted amounts are remembered per
process (a site shows the same few prices again and again). Nothing here uses `force_locale`.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import numbers
from flask import g
from flask_babel import get_locale, get_translations

MAX_CACHED_AMOUNTS = 4096


def request_translations():
    """Flask-Babel's catalogue of this request's language, looked up once per request."""
    if "site_translations" not in g:
        g.site_translations = get_translations()
    return g.site_translations


def site_gettext(message: str) -> str:
    return request_translations().ugettext(message)


def site_ngettext(singular: str, plural: str, number: int) -> str:
    return request_translations().ungettext(singular, plural, number)


def request_locale() -> str:
    if "site_locale_name" not in g:
        g.site_locale_name = str(get_locale())
    return g.site_locale_name


@lru_cache(maxsize=MAX_CACHED_AMOUNTS)
def formatted_amount(amount: Decimal, currency: str, locale: str) -> str:
    return numbers.format_currency(amount, currency, locale=locale)


def site_currency(amount, currency: str) -> str:
    """Babel's `format_currency` in the request's language (the `currencyformat` filter)."""
    return formatted_amount(Decimal(amount), currency, request_locale())
