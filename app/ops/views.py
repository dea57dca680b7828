"""The ops console (`/ops/*`): admin only and behind ENABLE_OPS_CONSOLE.

It never redirects silently: a switched-off console and a non-admin each get a page
that says why (runbook "Ops Console (Admin UI)"). An agency admin sees the agency's
figures and the components' statuses; platform operators also see the global parts:
workers and their versions, queues, and the figures of all agencies.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, redirect, render_template, url_for
from redis.exceptions import RedisError

from app.ops import service
from app.ops.diagnostics import diagnostics_json, system_status
from app.ops.queues import oldest_queued_age, queue_stats
from app.ops.runbook import INCIDENTS, troubleshooting_template
from app.queue import redis_connection
from app.web.auth import current_agency_id, current_principal, has_role, is_operator, protect_pages
from app.web.htmx import render_page_or_partial

bp = protect_pages(Blueprint("ops", __name__, url_prefix="/ops"))


def access_diagnostics() -> dict:
    """What the Access Denied page shows so an operator can see why."""
    principal = current_principal()
    user = principal.user
    return {"user_id": user.id, "email": user.email,
            "memberships": sum(1 for m in user.memberships if m.is_active), "role": principal.role,
            "agency_id": principal.agency_id, "last_active_agency_id": user.last_active_agency_id}


@bp.before_request
def console_gate():
    if not current_app.config["ENABLE_OPS_CONSOLE"]:
        return render_template("ops/disabled.html"), 404
    if not has_role("admin"):
        return render_template("ops/access_denied.html", diagnostics=access_diagnostics()), 403
    return None


@bp.get("")
def ops_index():
    return redirect(url_for("ops.status"))


@bp.get("/status")
def status():
    return render_template("ops/status.html", system=None)


@bp.get("/status/panel")
def status_panel():
    system = system_status(details=is_operator())
    diagnostics = diagnostics_json(system, url_for("ops.status", _external=True), current_principal().role)
    body, code = render_page_or_partial("ops/status.html", "ops/partials/_status_panel.html",
                                        system=system, diagnostics=diagnostics)
    return body, code, {"Cache-Control": "no-store"}


def queue_overview() -> dict:
    try:
        stats = queue_stats(redis_connection(current_app.config["HEALTH_CHECK_TIMEOUT_SECONDS"]))
    except RedisError as exc:
        return {"error": f"Redis unavailable: {str(exc)[:120]}"}
    return {"queues": stats, "oldest_age_seconds": oldest_queued_age(stats)}


@bp.get("/sync")
def sync():
    """The agency's sync figures; for platform operators also every agency's and the queues."""
    now = datetime.now(timezone.utc)
    stale_minutes = current_app.config.get("CHANNELS_SYNC_LOG_STALE_MINUTES", 60)  # channel manager setting
    agency_id = current_agency_id()
    operator = is_operator()
    return render_template(
        "ops/sync.html", rates=service.failure_rates(agency_id, now),
        stale_count=service.stale_log_count(agency_id, now - timedelta(minutes=stale_minutes)),
        stale_minutes=stale_minutes, active_count=service.active_log_count(agency_id),
        global_rates=service.failure_rates(None, now) if operator else None,
        queues=queue_overview() if operator else None)


@bp.get("/runbook")
def runbook():
    template = troubleshooting_template(current_principal().role,
                                        datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return render_template("ops/runbook.html", incidents=INCIDENTS, template=template)


def optional_url(endpoint: str) -> str | None:
    return url_for(endpoint) if endpoint in current_app.view_functions else None


@bp.context_processor
def console_links() -> dict:
    """Links to Channel Sync and RQ only when those modules are mounted."""
    return {"channel_sync_url": optional_url("channels.channel_sync"),
            "rq_url": optional_url("rq_dashboard.queues_overview") if is_operator() else None}
