"""Page weight: bytes of HTML + CSS + JS and the number of requests of the connections pages.

Logs in through the form like a browser and follows the page's stylesheets,
scripts and the fragments htmx loads on page load (what a browser fetches
before the page is usable).
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from bench.measure import Outcome, Row
from bench.stack import BENCH_PASSWORD, Stack
from bench.workload import make_connections

NAME = "page weight"
PAGES = ("/connections",)


class Assets(HTMLParser):
    """Stylesheet, script and load-time htmx fragment URLs of a page, and the login form's CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.fragments: list[str] = []
        self.csrf_token = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif attrs.get("hx-get") and "load" in triggers(attrs.get("hx-trigger")):
            self.fragments.append(attrs["hx-get"])
        elif tag == "input" and attrs.get("name") == "csrf_token":
            self.csrf_token = attrs.get("value", "")


def triggers(spec: str | None) -> list[str]:
    """Event names of an hx-trigger attribute ("load, change from:#form" -> ["load", "change"])."""
    return [part.split()[0] for part in (spec or "").split(",") if part.strip()]


def parsed(html: str) -> Assets:
    assets = Assets()
    assets.feed(html)
    return assets


def logged_in_session(base: str, email: str) -> requests.Session:
    session = requests.Session()
    token = parsed(session.get(f"{base}/login", timeout=30).text).csrf_token
    response = session.post(f"{base}/login", data={"email": email, "password": BENCH_PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"login answered {response.status_code}")
    return session


def sizes(response: requests.Response) -> tuple[int, int]:
    """(bytes of the body, bytes on the wire: the compressed length when the answer was compressed)."""
    return len(response.content), int(response.headers.get("Content-Length", len(response.content)))


def weigh(session: requests.Session, url: str) -> tuple[int, int, int, int, int]:
    """(HTML bytes with load-time fragments, CSS+JS bytes, all of them as transferred, requests, status)
    of one page."""
    page = session.get(url, timeout=30)
    found = parsed(page.text)
    assets = list(dict.fromkeys(urljoin(url, asset) for asset in found.urls))
    fragments = [urljoin(url, fragment) for fragment in found.fragments]
    html = [sizes(page)] + [sizes(session.get(fragment, headers={"HX-Request": "true"}, timeout=30))
                            for fragment in fragments]
    styles_and_scripts = [sizes(session.get(asset, timeout=30)) for asset in assets]
    transferred = sum(wire for _, wire in html + styles_and_scripts)
    return (sum(body for body, _ in html), sum(body for body, _ in styles_and_scripts), transferred,
            1 + len(assets) + len(fragments), page.status_code)


def run(stack: Stack, scale) -> Outcome:
    (connection_id,) = make_connections(stack, 1, "Weighed")
    base, outcome = stack.web().url, Outcome()
    with logged_in_session(base, stack.user_email) as session:
        weights = {path: weigh(session, f"{base}{path}") for path in PAGES}
        weights["/connections/<id>"] = weigh(session, f"{base}/connections/{connection_id}")
    for path, (html, assets, transferred, count, status) in weights.items():
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        outcome.rows += [Row(NAME, f"{path}: HTML + CSS + JS", html + assets, "bytes"),
                         Row(NAME, f"{path}: of which CSS + JS", assets, "bytes"),
                         Row(NAME, f"{path}: transferred (compressed)", transferred, "bytes"),
                         Row(NAME, f"{path}: requests", count, "")]
    outcome.notes.append("page weight: uncompressed bytes, and the bytes transferred to a client that accepts "
                         "compressed answers (requests: gzip, deflate, and br/zstd when their decoders are installed); "
                         "requests = the page, its stylesheets and scripts, and the fragments htmx loads on page load")
    return outcome
