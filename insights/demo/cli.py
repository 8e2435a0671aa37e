"""`insights demo load`: the demo workshop and its accounts."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.demo.services import load_demo
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.services import tag_statements
from insights.workshops.models import Workshop


@click.group("demo")
def demo_cli() -> None:
    """The demo workshop."""


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no workshop yet.")
@with_appcontext
def load_command(if_empty: bool) -> None:
    """Load the demo workshop and accounts; running it again changes nothing."""
    if if_empty and db.session.scalar(sa.select(Workshop.id).limit(1)) is not None:
        click.echo("The database already has workshops: demo not loaded.")
        return
    workshop = load_demo(db.session)
    if workshop is not None:
        db.session.flush()
        statements = db.session.scalars(
            sa.select(Statement).where(Statement.workshop_id == workshop.id)
        ).all()
        tag_statements(db.session, statements)  # so the demo board shows theme chips
    db.session.commit()
    if workshop is None:
        click.echo("The demo is already loaded.")
    else:
        click.echo(f"Loaded the demo workshop {workshop.slug!r}.")
