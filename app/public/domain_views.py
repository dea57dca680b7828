"""Domains page (admins): the host names of the agency's public website."""
from __future__ import annotations

import uuid

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from app.auth.models import Agency
from app.core.errors import DomainError
from app.db import commit_with_retry
from app.extensions import db
from app.inventory.views.base import close_modal
from app.public import domains
from app.web.auth import current_agency_id, protect_pages, require_role
from app.web.forms import field_errors, form_status
from app.web.htmx import hx_response, is_htmx, toast

bp = protect_pages(Blueprint("domains", __name__))


def dev_site_url(agency_slug: str) -> str | None:
    """In development every agency's site also answers at <slug>.localhost on this port."""
    if current_app.config["APP_ENV"] != "development":
        return None
    port = request.host.rsplit(":", 1)[1] if ":" in request.host else ""
    return f"http://{agency_slug}.localhost{':' + port if port else ''}/"


def domains_context(values=None, errors=None, oob: bool = False) -> dict:
    agency = db.session.get(Agency, current_agency_id())
    return {"domains": domains.list_domains(agency.id), "values": values or {}, "errors": errors or {},
            "dev_url": dev_site_url(agency.slug), "oob": oob}


def render_domains(status: int = 200, trigger=None, values=None, errors=None):
    context = domains_context(values, errors)
    if not is_htmx():
        return render_template("public/domains.html", **context), status
    return hx_response(render_template("public/partials/_domains.html", **context), status=status, trigger=trigger)


@bp.get("/settings/domains")
@require_role("admin")
def domains_page():
    return render_domains()


@bp.post("/settings/domains")
@require_role("admin")
def add_domain():
    values = {"host": request.form.get("host", "")[:300], "is_primary": request.form.get("is_primary") == "on"}
    try:
        domain = commit_with_retry(lambda: domains.add_domain(current_agency_id(), values["host"],
                                                              values["is_primary"]))
    except DomainError as exc:
        return render_domains(form_status(exc), values=values, errors=field_errors(exc))
    if not is_htmx():
        return redirect(url_for("domains.domains_page"), 303)
    return render_domains(trigger=toast(f"{domain.host} added"))


@bp.post("/settings/domains/<uuid:domain_id>/primary")
@require_role("admin")
def make_primary(domain_id: uuid.UUID):
    domain = commit_with_retry(lambda: domains.make_primary(current_agency_id(), domain_id))
    if not is_htmx():
        return redirect(url_for("domains.domains_page"), 303)
    return render_domains(trigger=toast(f"{domain.host} is the primary host"))


@bp.get("/settings/domains/<uuid:domain_id>/delete")
@require_role("admin")
def remove_domain_confirm(domain_id: uuid.UUID):
    return render_template("public/partials/_confirm_domain_delete.html",
                           domain=domains.get_domain(current_agency_id(), domain_id))


@bp.post("/settings/domains/<uuid:domain_id>/delete")
@require_role("admin")
def remove_domain(domain_id: uuid.UUID):
    commit_with_retry(lambda: domains.remove_domain(current_agency_id(), domain_id))
    if not is_htmx():
        return redirect(url_for("domains.domains_page"), 303)
    return close_modal(render_template("public/partials/_domains.html", **domains_context(oob=True)),
                       trigger=toast("Domain removed"))
