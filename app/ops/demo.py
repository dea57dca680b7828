"""`flask seed-demo`: idempotent demo data for a first look at the product."""
from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from app.auth import service as auth_service
from app.auth.models import Agency
from app.extensions import db
from app.inventory.demo import seed_inventory

DEMO_AGENCY = ("Demo Ferienwohnungen", "demo")
DEMO_USERS = (("admin@example.com", "admin"), ("manager@example.com", "manager"),
              ("staff@example.com", "staff"))


def seed_users(agency: Agency, password: str) -> list[str]:
    created = []
    for email, role in DEMO_USERS:
        if auth_service.find_user_by_email(email) is None:
            created.append(email)
        auth_service.create_user(email, password, agency, role)
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
    db.session.commit()
    for email in created:
        click.echo(f"Created demo user {email} with password {password}")
    if not created:
        click.echo("Demo data already present (passwords unchanged).")
    click.echo(f"Demo agency: {agency.name} ({agency.slug})")
    click.echo(inventory_summary)
