"""Page weight: compressed answers (not tiny, streamed or already encoded ones) and static files
under content-hashed URLs, cached for a year."""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

from flask import Response

STATIC = Path(__file__).resolve().parents[2] / "static"
GZIP = {"Accept-Encoding": "gzip"}


def test_pages_and_json_are_compressed_for_clients_that_accept_it(client, admin_api):
    plain = client.get("/login")
    packed = client.get("/login", headers=GZIP)
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert without_csrf_token(gzip.decompress(packed.get_data())) == without_csrf_token(plain.get_data())
    assert int(packed.headers["Content-Length"]) < len(plain.get_data()) / 2
    spec, packed_spec = admin_api.get("/openapi.json"), admin_api.get("/openapi.json", headers=GZIP)
    assert packed_spec.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed_spec.get_data()) == spec.get_data()


def without_csrf_token(html: bytes) -> bytes:
    return re.sub(rb'(name="csrf_token" type="hidden" value|name="csrf-token" content)="[^"]*"', b"", html)


def test_tiny_bodies_stay_as_they_are(client):
    health = client.get("/health", headers=GZIP)
    assert health.status_code == 200 and len(health.get_data()) < 500
    assert health.headers.get("Content-Encoding") is None and health.is_json


def test_streamed_and_already_encoded_answers_are_passed_on(app_config):
    from app import create_app

    app = create_app(app_config)
    body = b"<p>" + b"x" * 5000 + b"</p>"

    @app.get("/streamed")
    def streamed():
        return Response(iter([body]), mimetype="text/html")

    @app.get("/encoded")
    def encoded():
        return Response(gzip.compress(body), mimetype="text/html", headers={"Content-Encoding": "gzip"})

    client = app.test_client()
    stream = client.get("/streamed", headers=GZIP)
    assert stream.headers.get("Content-Encoding") is None and stream.get_data() == body
    once = client.get("/encoded", headers=GZIP)
    assert once.headers["Content-Encoding"] == "gzip" and gzip.decompress(once.get_data()) == body


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_urls_carry_the_content_hash_and_are_cached_for_good(logged_in):
    client = logged_in("staff")
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert any("css/app.css" in url for url in urls) and any("htmx" in url for url in urls)
    for url in urls:
        path, _, digest = url.partition("?v=")
        content = (STATIC / path.removeprefix("/static/")).read_bytes()
        assert digest == hashlib.sha256(content).hexdigest()[:16], url
        answer = client.get(url)
        assert answer.status_code == 200 and answer.get_data() == content
        assert {"public", "immutable", "max-age=31536000"} <= set(answer.headers["Cache-Control"].split(", "))


def test_a_stale_or_missing_hash_is_not_cached_for_good(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=0000000000000000"):
        answer = client.get(url)
        assert answer.status_code == 200 and "immutable" not in answer.headers.get("Cache-Control", "")
    assert client.get("/static/css/missing.css").status_code == 404


def test_stylesheets_and_scripts_are_compressed(client):
    url = next(url for url in static_urls(client.get("/login").get_data(as_text=True)) if "app.css" in url)
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == (STATIC / url.split("?")[0].removeprefix("/static/")).read_bytes()
