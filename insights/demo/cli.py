"""`insights demo load`: the demo workshops and their accounts."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.demo.services import load_demo_workshops, share_demo
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.retag import tag_now
from insights.workshops.models import Workshop


@click.group("demo")
def demo_cli() -> None:
    """The demo workshops."""


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no workshop yet.")
@with_appcontext
def load_command(if_empty: bool) -> None:
    """Load the demo workshops and accounts; running it again changes nothing."""
    if if_empty and db.session.scalar(sa.select(Workshop.id).limit(1)) is not None:
        click.echo("The database already has workshops: demo not loaded.")
        return
    workshops = load_demo_workshops(db.session)
    db.session.flush()
    for workshop in workshops:
        statements = db.session.scalars(
            sa.select(Statement).where(Statement.workshop_id == workshop.id)
        ).all()
        tag_now(db.session, [s.id for s in statements])  # so the demo board shows theme chips
    share_demo(db.session, workshops)
    db.session.commit()
    if not workshops:
        click.echo("The demo is already loaded.")
    for workshop in workshops:
        click.echo(f"Loaded the demo workshop {workshop.slug!r}.")
