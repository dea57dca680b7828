"""`flask create-user`, `flask grant-operator` and `flask reset-password`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.auth import service, team
from app.auth.models import ROLES
from app.core.errors import DomainError
from app.extensions import db


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--agency", "agency_slug", required=True, help="Agency slug (created when missing).")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--operator", is_flag=True, help="Also make the user a platform operator (/rq, global ops figures).")
@click.option("--password", envvar="USER_PASSWORD", prompt=True, hide_input=True,
              confirmation_prompt=True, help="Or set USER_PASSWORD.")
@with_appcontext
def create_user_command(email: str, agency_slug: str, role: str, operator: bool, password: str) -> None:
    """Create a user (or add an existing one) as a member of an agency."""
    if len(password) < 8:
        raise click.BadParameter("must have at least 8 characters", param_hint="--password")
    agency = service.create_agency(agency_slug.replace("-", " ").title(), agency_slug)
    user = service.create_user(email, password, agency, role)
    if operator:
        service.grant_operator(user)
    db.session.commit()
    operator_note = " and a platform operator" if operator else ""
    click.echo(f"User {user.email} is {role} of agency {agency.slug}{operator_note}")


@click.command("grant-operator")
@click.argument("email")
@with_appcontext
def grant_operator_command(email: str) -> None:
    """Make an existing user a platform operator: every agency's jobs (/rq) and global ops figures."""
    user = service.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}")
    service.grant_operator(user)
    db.session.commit()
    click.echo(f"User {user.email} is a platform operator")


@click.command("reset-password")
@click.argument("email")
@click.option("--password", envvar="USER_PASSWORD", prompt="New password", hide_input=True,
              confirmation_prompt=True, help="Or set USER_PASSWORD.")
@with_appcontext
def reset_password_command(email: str, password: str) -> None:
    """Set a user's password; all their browser sessions and API tokens end."""
    user = service.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}")
    try:
        team.check_new_password(password, password)
    except DomainError as exc:
        raise click.BadParameter(exc.detail[0]["msg"], param_hint="--password") from None
    revoked = team.reset_password(user, password)
    db.session.commit()
    click.echo(f"Password of {user.email} reset; their sessions ended and {revoked} API token(s) were revoked")
