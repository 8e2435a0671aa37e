"""`insights standards …`: export a version as a Table Schema, import one into a workshop."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.extensions import db
from insights.standards.interchange import import_standard
from insights.standards.models import DataStandard, StandardVersion
from insights.standards.outputs import schema_json
from insights.standards.services import (
    StandardError,
    find_standard,
    latest_version,
    publish,
    version_numbered,
)
from insights.workshops.models import Workshop


@click.group("standards")
def standards_cli() -> None:
    """Data standards (minimum data sets) as Table Schema files."""


def standard_version(reference: str, number: int | None) -> tuple[DataStandard, StandardVersion]:
    """The standard (slug or id) and its version (the newest published one by default)."""
    standard = find_standard(db.session, reference)
    if standard is None:
        raise click.ClickException(f"There is no data standard {reference!r}.")
    if number is None:
        version = latest_version(standard, published_only=True) or latest_version(
            standard, published_only=False
        )
    else:
        version = version_numbered(standard, number)
    if version is None:
        raise click.ClickException(f"{standard.slug} has no version {number}.")
    return standard, version


@standards_cli.command("export")
@click.argument("standard")
@click.option("--version", "number", type=int, help="Version number (default: newest published).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(standard: str, number: int | None, out: Path) -> None:
    """Write a version of a standard as a Frictionless Table Schema (JSON)."""
    found, version = standard_version(standard, number)
    out.write_bytes(schema_json(version))
    click.echo(
        f"Wrote {found.slug} version {version.number} ({len(version.fields)} fields) to {out}."
    )


@standards_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workshop", "slug", required=True, help="The workshop the standard belongs to.")
@click.option("--publish", "publish_now", is_flag=True, help="Publish version 1 at once.")
@with_appcontext
def import_command(file: Path, slug: str, publish_now: bool) -> None:
    """Make a new standard from a Table Schema file (version 1, a draft unless --publish)."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"There is no workshop {slug!r}: see `insights workshops list`.")
    try:
        standard = import_standard(db.session, workshop, file.read_bytes(), None)
        if publish_now:
            publish(db.session, standard.versions[0], standard.versions[0].version, None)
    except StandardError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    state = "published" if publish_now else "a draft"
    click.echo(
        f"Imported {standard.slug}: version 1 is {state} "
        f"with {len(standard.versions[0].fields)} fields."
    )
