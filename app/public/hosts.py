"""Which website a request is for: the back office or one agency's public site (spec 85).

The request's host (Flask's `request.host`, so `X-Forwarded-Host` only when
`TRUSTED_PROXY_HOPS` trusts the proxy) is looked up once per process per
`PUBLIC_HOST_CACHE_SECONDS` in `agency_domains` (one indexed query). With
`APP_ENV=development` only, `<agency-slug>.localhost` also resolves. A public
host serves the public blueprints and nothing else; an unknown host answers a
plain 404, never a default agency.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, render_template, request
from sqlalchemy import select

from app.auth.models import Agency
from app.extensions import db
from app.public.models import AgencyDomain

PUBLIC_BLUEPRINTS = ("public", "public_api", "public_pages")
# Reachable on every host: assets, property photos and the load balancer's health checks.
SHARED_BLUEPRINTS = ("health", "media")
DEV_SUFFIX = ".localhost"
# app.extensions key of the view that answers `/` on a public host (set by `setup.setup_public_site`).
START_PAGE_VIEW = "public_start_page"
HOST_CACHE = "public_hosts"
# Resolutions kept per process; made-up Host headers cannot grow the cache beyond this.
MAX_CACHED_HOSTS = 1000


@dataclass(frozen=True)
class SiteAgency:
    """The agency a public host belongs to (a plain value: safe to cache across requests)."""
    id: uuid.UUID
    name: str
    slug: str
    timezone: str
    hosts: tuple[str, ...]  # its website's host names (CORS origins of the public API)


def request_hostname() -> str:
    """The request's host name, lower-case, without port."""
    host = request.host.lower()
    if host.startswith("["):  # IPv6 literal
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def is_backoffice_host(host: str) -> bool:
    return host in current_app.config["BACKOFFICE_HOSTS"]


def lookup_agency(host: str) -> SiteAgency | None:
    """The agency whose domain is `host` (in development also `<slug>.localhost`); None when unknown."""
    query = select(Agency).join(AgencyDomain, AgencyDomain.agency_id == Agency.id).where(AgencyDomain.host == host)
    agency = db.session.scalar(query)
    if agency is None and current_app.config["APP_ENV"] == "development" and host.endswith(DEV_SUFFIX):
        agency = db.session.scalar(select(Agency).where(Agency.slug == host[:-len(DEV_SUFFIX)]))
    if agency is None:
        return None
    hosts = tuple(db.session.scalars(select(AgencyDomain.host).where(AgencyDomain.agency_id == agency.id)))
    return SiteAgency(agency.id, agency.name, agency.slug, agency.timezone, hosts)


def host_cache() -> dict:
    return current_app.extensions.setdefault(HOST_CACHE, {})


def remembered(cache_name: str, key, load):
    """`load()`, remembered per process for PUBLIC_HOST_CACHE_SECONDS under `key` (at most
    MAX_CACHED_HOSTS keys per cache, so made-up keys cannot grow it)."""
    cache, now = current_app.extensions.setdefault(cache_name, {}), time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    if len(cache) >= MAX_CACHED_HOSTS:
        cache.clear()
    cache[key] = (now + current_app.config["PUBLIC_HOST_CACHE_SECONDS"], value)
    return value


def resolve_agency(host: str) -> SiteAgency | None:
    """`lookup_agency`, remembered per process for PUBLIC_HOST_CACHE_SECONDS (unknown hosts too)."""
    return remembered(HOST_CACHE, host, lambda: lookup_agency(host))


def forget_hosts() -> None:
    """Drop this process's resolutions (after a domain change; other processes follow within the TTL)."""
    host_cache().clear()


def site_agency() -> SiteAgency:
    """The agency of the current public request (set before routing by `route_by_host`)."""
    return g.site_agency


def site_today() -> date:
    """Today where the site's agency is."""
    return datetime.now(ZoneInfo(site_agency().timezone)).date()


def is_public_request() -> bool:
    return "site_agency" in g


def plain_not_found():
    if request.path.startswith("/api/"):
        return {"detail": "Not Found"}, 404
    return render_template("public/not_found.html"), 404


def route_by_host():
    """Back-office hosts never serve the public site; public hosts serve only it."""
    host = request_hostname()
    if is_backoffice_host(host):
        if request.blueprint in PUBLIC_BLUEPRINTS:
            return plain_not_found()
        return None
    if request.blueprint in SHARED_BLUEPRINTS or request.endpoint == "static":
        return None
    agency = resolve_agency(host)
    if agency is None:
        return plain_not_found()
    g.site_agency = agency
    if request.path == "/":
        return current_app.extensions[START_PAGE_VIEW]()
    if request.blueprint not in PUBLIC_BLUEPRINTS:
        return plain_not_found()
    return None


def public_cache_headers(response):
    """Public GET 200s may be cached a minute; quotes posted, every error and every 404 never
    (a cached 404 hid a site once)."""
    if is_public_request() or request.blueprint in PUBLIC_BLUEPRINTS or response.status_code == 404:
        if response.status_code == 200 and request.method in ("GET", "HEAD"):
            response.headers["Cache-Control"] = "public, max-age=60"
            response.vary.add("Accept-Language")
            response.vary.add("HX-Request")
        else:
            response.headers["Cache-Control"] = "no-store"
    return response
