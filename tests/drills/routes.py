"""Every registered route as concrete requests, for the security drills.

The drills iterate `app.url_map`, so endpoints and pages added later are covered
without editing a list: uuid arguments are filled with the ids of a `World`
(resources created through the API), other arguments with harmless samples.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.routing import IntegerConverter, PathConverter, Rule

from app.core.errors import LenientUuidConverter

# Reachable without signing in (spec 20/50): health, login, token, API docs, static files, property photos
# (shown on the agencies' websites; their names are ids).
PUBLIC_ENDPOINTS = {"static", "health.health", "health.health_ready", "auth.login", "auth_api.issue_token",
                    "openapi_document", "openapi_apidoc", "api_docs", "auth.accept_invitation", "media.file"}
# Public by design: feeds authenticated by the token in their URL, and the agencies' websites
# (anonymous, served only on the agencies' own hosts: the back-office host answers 404 there).
PUBLIC_PREFIXES = ("/ical/", "/feeds/", "/unterkuenfte", "/seiten/", "/api/public/")
ROLES = ("admin", "manager", "owner", "staff", "accountant")
# Query parameters that views read before looking up the resource in the path.
SAMPLE_QUERY = {"from_date": "2030-01-01", "to_date": "2030-01-05", "retention_days": "30"}
# Valid bodies (JSON for the API, form fields for pages) where an empty one would be refused
# before the resource is looked up.
SAMPLE_BODIES = {
    "channels_api.trigger_sync": {"sync_type": "availability"},
    "channels_api.purge_sync_logs": {"retention_days": 30, "confirm_phrase": "PURGE", "dry_run": True},
    "channels.trigger_sync": {"sync_type": "availability"},
    "channels.purge_sync_logs": {"retention_days": "30", "confirm_phrase": "PURGE", "dry_run": "1"},
    "channels.resolve_conflict": {"note": "drill"},
    "channels_api.resolve_conflict": {"resolution": "ignore", "note": "drill"},
    "team.change_member_role": {"role": "manager"},
    "team.invite_member": {"email": "drill@example.com", "role": "staff"},
    "pricing_api.create_season": {"name": "Summer", "start_date": "2030-06-01", "end_date": "2030-06-05",
                                  "nightly_rate": 100},
    "pricing.create_season": {"name": "Summer", "start_date": "2030-06-01", "end_date": "2030-06-05",
                              "nightly_rate": "100"},
    "pricing_api.set_property_extra_services": [],
    "listing_api.update_photo": {"caption": "drill"},
    "listing_api.reorder_photos": {"photo_ids": []},
    "listing_api.set_property_amenities": {"amenity_ids": []},
}
SAMPLE_ARGUMENTS = {"action": "cancel", "resolution": "ignore"}
# Roles a whole blueprint admits (its own before_request gate).
BLUEPRINT_ROLES = {"ops": ("admin",), "channels": ("admin", "manager"), "pages": ("admin", "manager")}
# Blueprints for platform operators only (a user flag, not a role): 404 to everyone else.
OPERATOR_BLUEPRINTS = ("rq_dashboard",)
# Views that check roles inside (their answer depends on what the role may do there).
INLINE_GUARDS = {"inventory.calendar_range": ("admin", "manager", "staff")}


@dataclass
class World:
    """One agency's resources: ids by the URL argument names that refer to them."""
    agency: object
    admin: object
    headers: dict
    ids: dict = field(default_factory=dict)


def is_public(rule: Rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS or rule.rule.startswith(PUBLIC_PREFIXES)


def site_host(world) -> str:
    """The host of the world agency's public website (the drills' World adds it as a domain)."""
    return f"drill-{world.agency.slug}.example"


def site_headers(path: str, world) -> dict:
    """The public website's routes answer only on the agency's own host."""
    return {"Host": site_host(world)} if path.startswith(PUBLIC_PREFIXES) else {}


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def has_id_argument(rule: Rule) -> bool:
    return any(isinstance(conv, LenientUuidConverter) for conv in rule._converters.values())


def argument_value(name: str, converter, ids: dict):
    if isinstance(converter, LenientUuidConverter):
        if name not in ids:
            raise AssertionError(f"the drills' World has no resource for URL argument <{name}>: add it")
        return ids[name]
    if isinstance(converter, IntegerConverter):
        return 0
    if isinstance(converter, PathConverter):
        return "sample.txt"
    return SAMPLE_ARGUMENTS.get(name, "sample")


def build_path(rule: Rule, ids: dict) -> str:
    values = {name: argument_value(name, conv, ids) for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def requests_for(app, ids: dict, select=lambda rule: True):
    """(method, path, rule) for every method of every selected rule, in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not select(rule):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, build_path(rule, ids), rule


def body_for(method: str, rule: Rule) -> dict:
    """Request keyword arguments with the sample body: JSON for the API, a form for pages."""
    if method == "GET":
        return {}
    body = SAMPLE_BODIES.get(rule.endpoint, {})
    return {"json": body} if is_api(rule) else {"data": body}


def operator_only(app, rule: Rule) -> bool:
    """Platform operators only: the operator blueprints and views guarded by `require_operator`."""
    return (rule.endpoint.split(".")[0] in OPERATOR_BLUEPRINTS
            or getattr(app.view_functions[rule.endpoint], "operator_only", False))


def allowed_roles(app, rule: Rule) -> tuple | None:
    """Roles an endpoint admits (blueprint gate, `require_role`, inline checks); None = every member."""
    declared = [roles for roles in (BLUEPRINT_ROLES.get(rule.endpoint.split(".")[0]),
                                    INLINE_GUARDS.get(rule.endpoint),
                                    getattr(app.view_functions[rule.endpoint], "allowed_roles", None))
                if roles is not None]
    if not declared:
        return None
    return tuple(role for role in ROLES if all(role in roles for roles in declared))
