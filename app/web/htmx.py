"""Small htmx helpers shared by every domain's views."""
from __future__ import annotations

from flask import redirect, render_template, request
from htmx_flask import make_response

# htmx 2 stops a poller when the server answers 286.
STOP_POLLING = 286


def is_htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def is_boosted() -> bool:
    return bool(request.headers.get("HX-Boosted"))


def hx_response(body, *, trigger=None, push_url=None, status: int = 200, headers=None):
    response = make_response(body, status, trigger=trigger, push_url=push_url)
    response.headers.update(headers or {})
    return response


def go_to(url: str, *, trigger=None):
    """After a successful form post: htmx follows HX-Redirect, a plain form a 303."""
    if is_htmx():
        return hx_response("", trigger=trigger, headers={"HX-Redirect": url})
    return redirect(url, 303)


def render_page_or_partial(page: str, partial: str, /, status: int = 200, **context):
    """Same route, same context: the partial for htmx swaps, the page otherwise."""
    template = partial if is_htmx() and not is_boosted() else page
    return render_template(template, **context), status


def toast(message: str, level: str = "success") -> dict:
    """HX-Trigger events of a toast, to merge with others: `{**toast("Saved"), "booking-created": True}`."""
    return {"toast": {"message": message, "level": level}}
