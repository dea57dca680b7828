"""Module setup of the public website: languages, host routing and the templates' helpers."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import Babel, get_locale

from app.public import pages
from app.public.formatting import site_currency, site_gettext, site_ngettext
from app.public.hosts import START_PAGE_VIEW, public_cache_headers, route_by_host, site_agency
from app.public.labels import line_label
from app.public.language import DEFAULT_LANGUAGE, LANGUAGES, site_locale, site_url
from app.public.site_pages import home

TRANSLATIONS = Path(__file__).resolve().parent / "translations"

log = logging.getLogger(__name__)


def site_home_url() -> str:
    """The start page `/` (answered by `site_pages.home` on a public host), in the chosen language."""
    chosen = request.args.get("lang")
    return "/?" + urlencode({"lang": chosen}) if chosen in LANGUAGES else "/"


def site_navigation() -> list[pages.NavItem]:
    return pages.site_navigation(site_agency().id)


def language_url(language: str) -> str:
    """The current page in another language."""
    pairs = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode([*pairs, ("lang", language)])


def setup_public_site(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=site_locale)
    app.jinja_env.globals.update(site_url=site_url, language_url=language_url, site_locale=get_locale,
                                 site_languages=LANGUAGES, site_home_url=site_home_url,
                                 site_navigation=site_navigation)
    app.jinja_env.filters["site_line_label"] = line_label
    # the same texts as Flask-Babel's callables and filter, without its per-call lookups (formatting.py)
    app.jinja_env.install_gettext_callables(gettext=site_gettext, ngettext=site_ngettext, newstyle=True)
    app.jinja_env.filters["currencyformat"] = site_currency
    app.extensions[START_PAGE_VIEW] = home
    app.before_request(route_by_host)
    app.after_request(public_cache_headers)
    log.info("Public websites: the back office answers on %s (BACKOFFICE_HOSTS); every other host is an "
             "agency's website or a 404", ", ".join(app.config["BACKOFFICE_HOSTS"]))
