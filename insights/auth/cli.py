"""`insights users …`: create and list accounts."""

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.audit.services import record
from insights.auth.models import ROLES, User
from insights.auth.services import AccountError, create_user
from insights.extensions import db


@click.group("users")
def users_cli() -> None:
    """Create and list accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--name", default="", help="The person's name (default: from the email).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account; the password comes from a prompt, or stdin with --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email, name, role, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.flush()
    record(db.session, "user.create", "user", user.id, after={"email": user.email, "role": role})
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List accounts with their roles."""
    for user in db.session.scalars(sa.select(User).order_by(User.email)):
        click.echo(f"{user.email}\t{user.role}\t{user.name}")
