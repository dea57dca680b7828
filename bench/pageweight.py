"""Page weight: bytes of HTML + CSS + JS and the number of requests of a back-office page.

Logs in through the form like a browser and follows the page's stylesheets
and scripts (the assets a browser fetches before the page is usable).
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

from bench.measure import Outcome, Row
from bench.stack import BENCH_PASSWORD, Stack

NAME = "page weight"
CONNECTIONS_PAGE = "/connections"
FALLBACK_PAGES = ("/", "/login")


class Assets(HTMLParser):
    """Stylesheet and script URLs of a page, and the login form's CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.csrf_token = ""

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "input" and attrs.get("name") == "csrf_token":
            self.csrf_token = attrs.get("value", "")


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


def weigh(session: requests.Session, url: str) -> tuple[int, int, int, int]:
    """(HTML bytes, CSS+JS bytes, requests, status) of one page with its assets."""
    page = session.get(url, timeout=30)
    urls = list(dict.fromkeys(urljoin(url, asset) for asset in parsed(page.text).urls))
    asset_bytes = sum(len(session.get(asset, timeout=30).content) for asset in urls)
    return len(page.content), asset_bytes, 1 + len(urls), page.status_code


def run(stack: Stack, scale) -> Outcome:
    base, outcome = stack.web().url, Outcome()
    with logged_in_session(base, stack.user_email) as session, requests.Session() as visitor:
        pages = [CONNECTIONS_PAGE]
        if session.get(f"{base}{CONNECTIONS_PAGE}", timeout=30).status_code != 200:
            pages = list(FALLBACK_PAGES)
            outcome.notes.append(f"page weight: {CONNECTIONS_PAGE} does not exist in this build; "
                                 f"measured {', '.join(FALLBACK_PAGES)} instead")
        weights = {path: weigh(visitor if path == "/login" else session, f"{base}{path}") for path in pages}
    for path, (html, assets, count, status) in weights.items():
        outcome.rows += [Row(NAME, f"{path} (HTTP {status}): HTML + CSS + JS", html + assets, "bytes"),
                         Row(NAME, f"{path}: of which CSS + JS", assets, "bytes"),
                         Row(NAME, f"{path}: requests", count, "")]
    return outcome
