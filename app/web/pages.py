"""Page-wide helpers: navigation by role, template globals and security headers."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, url_for

from app.auth.models import Agency
from app.extensions import db

from app.web.auth import current_principal, is_operator

# Stands for "platform operators only" in the navigation's roles.
OPERATOR = "operator"
# (label, endpoint, roles allowed or None for every member, config flag or None)
NAVIGATION = (
    ("Dashboard", "dashboard.index", None, None),
    ("Properties", "inventory.properties", None, None),
    ("Bookings", "inventory.bookings", None, None),
    ("Calendar", "inventory.calendar", None, None),
    ("Guests", "guests.guests", None, None),
    ("Pricing", "pricing.rates", None, None),
    ("Website", "pages.page_list", ("admin", "manager"), "PUBLIC_SITE_ENABLED"),
    ("Connections", "channels.connections", ("admin", "manager"), "CHANNELS_ENABLED"),
    ("Channel Sync", "channels.channel_sync", ("admin", "manager"), "CHANNELS_ENABLED"),
    ("Ops", "ops.ops_index", ("admin",), "ENABLE_OPS_CONSOLE"),
    ("RQ", "rq_dashboard.queues_overview", (OPERATOR,), None),
)

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                           "base-uri 'self'; form-action 'self'")


def may_open(endpoint: str) -> bool:
    """The page is mounted and the caller's role may use it (the navigation's rules)."""
    principal = current_principal()
    if principal is None or endpoint not in current_app.view_functions:
        return False
    roles, flag = next(((roles, flag) for _, name, roles, flag in NAVIGATION if name == endpoint), (None, None))
    allowed = not roles or principal.role in roles or (OPERATOR in roles and is_operator())
    return allowed and (not flag or current_app.config[flag])


def navigation_items() -> list[dict]:
    return [{"label": label, "url": url_for(endpoint), "endpoint": endpoint}
            for label, endpoint, _, _ in NAVIGATION if may_open(endpoint)]


def way_back(path: str) -> dict | None:
    """Where an error page leads back to: the section of `path` the user may open, else the dashboard."""
    items = navigation_items()
    if not items:
        return None
    sections = [item for item in items if item["url"] != "/" and (path + "/").startswith(item["url"] + "/")]
    item = max(sections, key=lambda entry: len(entry["url"]), default=items[0])
    return {"label": f"Back to {item['label']}", "url": item["url"]}


def agency_timezone() -> ZoneInfo:
    """Times are shown in the agency's timezone (spec 40)."""
    if "agency_tz" not in g:
        principal = current_principal()
        agency = db.session.get(Agency, principal.agency_id) if principal else None
        g.agency_tz = ZoneInfo(agency.timezone if agency else "Europe/Berlin")
    return g.agency_tz


def format_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """In the agency's time zone, named after the time ("2026-05-01 14:30 CEST"); null shows an em dash."""
    if value is None:
        return "—"
    local = value.astimezone(agency_timezone())
    return f"{local.strftime(fmt)} {local.tzname()}"


def format_money(value: Decimal | None, currency: str = "") -> str:
    """Amounts with two decimals and thousands separators; missing amounts show "N/A"."""
    if value is None:
        return "N/A"
    return f"{value:,.2f} {currency}".strip()


def register_page_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(navigation_items=navigation_items, current_principal=current_principal,
                                 way_back=way_back)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["money"] = format_money

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
