"""Domains service: the only code that writes `agency_domains` (agency admins in the back office).

Functions take the agency id first, flush but never commit, and raise
DomainErrors (404 NotFound, 409 Conflict, 422 ValidationFailed).
"""
from __future__ import annotations

import re
import uuid

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.public.hosts import forget_hosts
from app.public.models import AgencyDomain
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.tenancy import get_owned

MAX_HOST_LENGTH = 253
# Host names as browsers send them: dot-separated labels of letters, digits and inner hyphens (IDNs as punycode).
HOST_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
NOT_FOUND = "Domain not found"


def list_domains(agency_id: uuid.UUID) -> list[AgencyDomain]:
    query = select(AgencyDomain).where(AgencyDomain.agency_id == agency_id)
    return list(db.session.scalars(query.order_by(AgencyDomain.is_primary.desc(), AgencyDomain.host)))


def get_domain(agency_id: uuid.UUID, domain_id: uuid.UUID) -> AgencyDomain:
    return get_owned(AgencyDomain, agency_id, domain_id, NOT_FOUND)


def normalized_host(raw: str) -> str:
    """`raw` as a bare lower-case host name; 422 for URLs, ports, paths and back-office hosts."""
    host = (raw or "").strip().lower().rstrip(".")
    if not host:
        raise ValidationFailed.field("host", "Enter a host name, e.g. www.example.com")
    if len(host) > MAX_HOST_LENGTH or not HOST_PATTERN.match(host):
        raise ValidationFailed.field("host", "Enter a bare host name such as www.example.com "
                                             "(no https://, port or path)")
    if host in current_app.config["BACKOFFICE_HOSTS"]:
        raise ValidationFailed.field("host", "This host serves the back office")
    return host


def add_domain(agency_id: uuid.UUID, raw_host: str, is_primary: bool = False) -> AgencyDomain:
    """A new host of the agency's website; the first one becomes the primary host."""
    host = normalized_host(raw_host)
    is_primary = is_primary or not list_domains(agency_id)
    if is_primary:
        clear_primary(agency_id)
    domain = AgencyDomain(agency_id=agency_id, host=host, is_primary=is_primary)
    try:
        with db.session.begin_nested():
            db.session.add(domain)
    except IntegrityError:
        raise Conflict("This host is already in use by a website") from None
    forget_hosts()
    return domain


def clear_primary(agency_id: uuid.UUID) -> None:
    db.session.execute(update(AgencyDomain).where(AgencyDomain.agency_id == agency_id, AgencyDomain.is_primary)
                       .values(is_primary=False))
    db.session.flush()


def make_primary(agency_id: uuid.UUID, domain_id: uuid.UUID) -> AgencyDomain:
    domain = get_owned(AgencyDomain, agency_id, domain_id, NOT_FOUND, for_update=True)
    clear_primary(agency_id)
    domain.is_primary = True
    db.session.flush()
    return domain


def remove_domain(agency_id: uuid.UUID, domain_id: uuid.UUID) -> None:
    """The host stops serving the site (at once here, within PUBLIC_HOST_CACHE_SECONDS elsewhere)."""
    domain = get_owned(AgencyDomain, agency_id, domain_id, NOT_FOUND, for_update=True)
    db.session.delete(domain)
    db.session.flush()
    forget_hosts()
