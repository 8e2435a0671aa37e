"""`insights compare needs`: the network-wide needs register as a file."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.compare.register import REGISTER_FORMATS, build_register, export_register
from insights.extensions import db
from insights.workshops.models import Workshop


@click.group("compare")
def compare_cli() -> None:
    """Compare workshops: the network-wide needs register."""


@compare_cli.command("needs")
@click.option(
    "--workshop", "slugs", multiple=True, help="A workshop's slug (repeat); all by default."
)
@click.option("--format", "file_format", type=click.Choice(REGISTER_FORMATS), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def needs_command(slugs: tuple[str, ...], file_format: str, out: Path) -> None:
    """Group the same need across workshops and write the register (CSV: a row per need;
    XLSX: needs and every wording)."""
    query = sa.select(Workshop)
    if slugs:
        query = query.where(Workshop.slug.in_(slugs))
    workshops = list(db.session.scalars(query))
    missing = sorted(set(slugs) - {w.slug for w in workshops})
    if missing:
        raise click.ClickException(f"No workshop has the slug {', '.join(missing)}.")
    if not workshops:
        raise click.ClickException("There are no workshops yet.")
    register = build_register(db.session, workshops)
    out.write_bytes(export_register(register, file_format))
    shared = register.count("shared")
    click.echo(f"Wrote {len(register.needs)} needs ({shared} shared) to {out}.")
