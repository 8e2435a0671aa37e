"""`insights statements …`: import post-its from CSV / XLSX, export them as CSV / XLSX."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from insights.extensions import db
from insights.statements.exports import EXPORT_FORMATS, export_statements
from insights.statements.imports import (
    ImportRejected,
    import_file,
    limits_from_config,
    plan_for,
)
from insights.themes.cli import run_with_progress
from insights.themes.retag import retag_params
from insights.workshops.models import STATEMENT_KINDS, Workshop


@click.group("statements")
def statements_cli() -> None:
    """Import and export a workshop's statements (post-its)."""


def _workshop(slug: str) -> Workshop:
    """The workshop with this slug, or a clear error."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"There is no workshop {slug!r}: see `insights workshops list`.")
    return workshop


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """--map "Post-it=text" options as column -> field."""
    overrides = {}
    for pair in pairs:
        column, equals, name = pair.rpartition("=")
        if not equals or not column:
            raise click.BadParameter(f"{pair!r} is not COLUMN=FIELD.", param_hint="--map")
        overrides[column] = name.strip().lower()
    return overrides


@statements_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workshop", "slug", required=True, help="The workshop's slug.")
@click.option("--kind", type=click.Choice(STATEMENT_KINDS), help="Kind of rows that name none.")
@click.option("--map", "pairs", multiple=True, metavar="COLUMN=FIELD", help="Map a column.")
@click.option("--no-tag", is_flag=True, help="Leave theme tagging for `insights nlp retag`.")
@with_appcontext
def import_command(
    file: Path, slug: str, kind: str | None, pairs: tuple[str, ...], no_tag: bool
) -> None:
    """Import a CSV or XLSX file of post-its: every row, or none when any row is bad."""
    workshop = _workshop(slug)
    limits = limits_from_config(current_app.config)
    if file.stat().st_size > limits.max_bytes:
        raise click.ClickException(f"{file.name} is larger than {limits.max_bytes:,} bytes.")
    plan = plan_for(db.session, workshop, kind=kind)
    try:
        result = import_file(
            db.session,
            plan,
            file.read_bytes(),
            file.name,
            overrides=_overrides(pairs),
            limits=limits,
        )
    except ImportRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        count = len(rejected.problems)
        noun = "problem" if count == 1 else "problems"
        raise click.ClickException(f"Nothing was imported: {count} {noun}.") from None
    db.session.commit()
    click.echo(f"Imported {result.count} statements into {workshop.slug}.")
    if not no_tag and result.statement_ids:
        params = retag_params(statement_ids=result.statement_ids)
        title = f"Tag {result.count:,} imported post-its"
        run_with_progress(workshop.id, params, len(result.statement_ids), title)


@statements_cli.command("export")
@click.option("--workshop", "slug", required=True, help="The workshop's slug.")
@click.option("--format", "file_format", type=click.Choice(list(EXPORT_FORMATS)), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_command(slug: str, file_format: str, out: Path) -> None:
    """Write a workshop's statements to a CSV (UTF-8 with BOM) or XLSX file."""
    workshop = _workshop(slug)
    out.write_bytes(export_statements(db.session, workshop, file_format))
    click.echo(f"Exported {workshop.slug} to {out}.")
