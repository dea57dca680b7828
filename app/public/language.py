"""The website's language: chosen with `?lang=`, else the browser's, German by default."""
from __future__ import annotations

from flask import request, url_for

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


def site_locale() -> str:
    """`?lang=` first, then the browser's Accept-Language; German by default."""
    chosen = request.args.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def site_url(endpoint: str, **values) -> str:
    """`url_for` that keeps a language chosen with ?lang= (so a bookmark shows the same language)."""
    if request.args.get("lang") in LANGUAGES:
        values.setdefault("lang", request.args["lang"])
    return url_for(endpoint, **values)
