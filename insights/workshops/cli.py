"""`insights workshops …`: create and list workshops."""

from datetime import datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.extensions import db
from insights.workshops.models import Workshop
from insights.workshops.services import WorkshopError, create_workshop


@click.group("workshops")
def workshops_cli() -> None:
    """Create and list workshops."""


@workshops_cli.command("create")
@click.option("--title", required=True, help="The workshop's title.")
@click.option("--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--slug", help="The short name used in links (default: from the title).")
@with_appcontext
def create_command(title: str, when: datetime | None, slug: str | None) -> None:
    """Create a draft workshop with the five template exercises; prints its slug."""
    try:
        workshop = create_workshop(
            db.session,
            title,
            when=when.date() if when else None,
            slug=slug,
        )
    except WorkshopError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(workshop.slug)


@workshops_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List workshops: slug, date, status and title."""
    for workshop in db.session.scalars(sa.select(Workshop).order_by(Workshop.date, Workshop.slug)):
        when = workshop.date.isoformat() if workshop.date else "-"
        click.echo(f"{workshop.slug}\t{when}\t{workshop.status}\t{workshop.title}")
