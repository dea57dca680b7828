"""The agency's website under gunicorn: `/unterkuenfte` with many properties and one property's page,
each next to a static file served by the same gunicorn in the same run (spec 85 / 60).

The static file (`/static/public/site.css`, the site's stylesheet) is the floor of what a request
through this server costs (routing, WSGI, the socket); the pages add host resolution (cached per
process), the queries and the templates.
"""
from __future__ import annotations

import requests

from bench.measure import Outcome, latency_rows
from bench.stack import Stack
from bench.workload import make_properties, timed_loop

NAME = "public"
HOST = "www.bench-site.example"
STATIC_PATH = "/static/public/site.css"


def site_with_properties(stack: Stack, count: int) -> str:
    """`count` active properties on a website at HOST; the slug of the first one."""
    from app.extensions import db
    from app.inventory.models import Property
    from app.public import domains

    ids = make_properties(stack, count, "Ferienhaus")
    with stack.app.app_context():
        domains.add_domain(stack.agency_id, HOST)
        db.session.commit()
        return db.session.get(Property, ids[0]).slug


def measure(session: requests.Session, url: str, count: int) -> list[float]:
    def get(_number: int) -> None:
        response = session.get(url, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:300]}")
    get(0)  # warm the connection, the worker's pool and its host cache
    return timed_loop(count, get)["latencies"]


def run(stack: Stack, scale) -> Outcome:
    slug = site_with_properties(stack, scale.public_properties)
    base = stack.web().url
    with requests.Session() as session:
        session.headers.update({"Host": HOST, "Accept-Language": "de-DE,de;q=0.9"})
        static = measure(session, base + STATIC_PATH, scale.public_requests)
        listing = measure(session, base + "/unterkuenfte", scale.public_requests)
        detail = measure(session, f"{base}/unterkuenfte/{slug}", scale.public_requests)
    outcome = Outcome(rows=[
        *latency_rows(NAME, f"/unterkuenfte ({scale.public_properties} properties)", listing, static),
        *latency_rows(NAME, "/unterkuenfte/<slug>", detail, static)])
    outcome.notes.append(f"public: baseline = GET {STATIC_PATH} from the same gunicorn, same Host, same run; "
                         f"{scale.public_requests} sequential requests each")
    return outcome
