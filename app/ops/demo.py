"""`flask seed-demo`: idempotent demo data for a first look at the product."""
from __future__ import annotations

import secrets
from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth import service as auth_service
from app.auth.models import Agency
from app.core.tenancy import scoped
from app.extensions import db
from app.inventory.demo import seed_inventory
from app.listing.demo import seed_listing
from app.pricing.demo import seed_pricing
from app.public.demo import seed_pages

DEMO_AGENCY = ("Demo Ferienwohnungen", "demo")
DEMO_USERS = (("admin@example.com", "admin"), ("manager@example.com", "manager"),
              ("staff@example.com", "staff"))
# The demo admin is also a platform operator so `dev.py up` shows the RQ dashboard and global figures.
DEMO_OPERATOR = "admin@example.com"


def seed_demo_connections(agency: Agency) -> int:
    """One mock-mode channel connection per platform, spread over the demo properties.

    Runs after the properties exist (none yet: nothing to do); never touches a connection that
    already exists for that property and platform, even a deleted one, so restarts keep edits.
    """
    from app.channels import service as channel_service
    from app.channels.models import PLATFORMS, ChannelConnection
    from app.inventory.models import Property

    properties = list(db.session.scalars(scoped(Property, agency.id).order_by(Property.created_at, Property.id)))
    if not properties:
        return 0
    created = 0
    for index, platform in enumerate(PLATFORMS):
        prop = properties[index % len(properties)]
        exists = db.session.scalar(select(ChannelConnection.id).where(
            ChannelConnection.agency_id == agency.id, ChannelConnection.property_id == prop.id,
            ChannelConnection.platform_type == platform).limit(1))
        if exists is None:
            channel_service.create_connection(agency.id, prop.id, platform, skip_connection_test=True,
                                              platform_listing_id=f"demo_{platform}_{index + 1}",
                                              platform_metadata={"mock_mode": True})
            created += 1
    return created


def seed_users(agency: Agency, password: str) -> list[str]:
    created = []
    for email, role in DEMO_USERS:
        if auth_service.find_user_by_email(email) is None:
            created.append(email)
        user = auth_service.create_user(email, password, agency, role)
        if email == DEMO_OPERATOR:
            auth_service.grant_operator(user)
    return created


@click.command("seed-demo")
@click.option("--password", envvar="DEMO_PASSWORD", default=None,
              help="Password for new demo users (default: generated and printed).")
@with_appcontext
def seed_demo_command(password: str | None) -> None:
    """Create the demo agency, users, properties, bookings and connections (idempotent)."""
    password = password or secrets.token_urlsafe(9)
    agency = auth_service.create_agency(*DEMO_AGENCY)
    created = seed_users(agency, password)
    inventory_summary = seed_inventory(agency.id)
    pricing_summary = seed_pricing(agency.id, date.today())
    listing_summary = seed_listing(agency.id)
    new_pages = seed_pages(agency.id)
    connections = seed_demo_connections(agency)
    db.session.commit()
    for email in created:
        click.echo(f"Created demo user {email} with password {password}")
    if not created:
        click.echo("Demo data already present (passwords unchanged).")
    if connections:
        click.echo(f"Created {connections} demo channel connection(s)")
    click.echo(f"Demo agency: {agency.name} ({agency.slug})")
    click.echo(inventory_summary)
    click.echo(pricing_summary)
    click.echo(listing_summary)
    if new_pages:
        click.echo(f"Demo website: {new_pages} new page(s) (start page and Über uns)")
