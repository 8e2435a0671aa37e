"""`insights roundup …`: export a workshop's round-up from the command line."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.extensions import db
from insights.roundups.exports import FORMATS, export
from insights.roundups.services import generate, latest
from insights.workshops.models import Workshop


@click.group("roundup")
def roundup_cli() -> None:
    """Round-ups of workshops."""


@roundup_cli.command("export")
@click.option("--workshop", "slug", required=True, help="The workshop's slug.")
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(slug: str, fmt: str, out: Path) -> None:
    """Write the newest version of the round-up (drawing a draft first if there is none)."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"No workshop has the slug {slug!r}.")
    roundup = latest(db.session, workshop, published_only=False)
    if roundup is None:
        roundup = generate(db.session, workshop, None)
        db.session.commit()
        click.echo(f"No round-up yet: drew version {roundup.number} as a draft.", err=True)
    out.write_bytes(export(db.session, roundup, workshop, fmt))
    click.echo(f"Wrote version {roundup.number} ({roundup.status}) as {fmt} to {out}")
