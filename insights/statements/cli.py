"""`insights statements …`: import post-its from CSV / XLSX, export them as CSV / XLSX."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from insights.extensions import db
from insights.ingest.boards import read_postit_file
from insights.ingest.limits import limits_from_config
from insights.ingest.problems import ImportRejected
from insights.ingest.reading import Table
from insights.ingest.report import ImportReport
from insights.statements.exports import EXPORT_FORMATS, export_statements
from insights.statements.import_dates import DATE_ORDERS
from insights.statements.imports import (
    PostitPlan,
    check_table,
    describe_guess,
    import_table,
    mapped_plan,
    plan_for,
    refuse_if_unfit,
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
@click.option("--dates", type=click.Choice(list(DATE_ORDERS)), help="dmy (UK) or mdy (US).")
@click.option("--sheet", help="The workbook sheet to read (default: the fullest).")
@click.option("--header-row", type=click.IntRange(1, 30), help="The row holding the headers.")
@click.option("--dry-run", is_flag=True, help="Check and report, store nothing.")
@click.option("--no-tag", is_flag=True, help="Leave theme tagging for `insights nlp retag`.")
@with_appcontext
def import_command(
    file: Path,
    slug: str,
    kind: str | None,
    pairs: tuple[str, ...],
    dates: str | None,
    sheet: str | None,
    header_row: int | None,
    dry_run: bool,
    no_tag: bool,
) -> None:
    """Import a CSV, XLSX or Trello board (JSON) file of post-its.

    Blank answers and post-its already in the workshop are skipped and counted; any other
    bad row refuses the whole file, with what to change (--map, --kind, --sheet, --header-row).
    """
    workshop = _workshop(slug)
    limits = limits_from_config(current_app.config)
    if file.stat().st_size > limits.max_bytes:
        raise click.ClickException(f"{file.name} is larger than {limits.max_bytes:,} bytes.")
    plan = plan_for(db.session, workshop, kind=kind, date_order=dates)
    try:
        table = read_postit_file(
            file.read_bytes(), file.name, limits, sheet=sheet, header_row=header_row
        )
        plan = mapped_plan(plan, table, _overrides(pairs))
        for line in describe_guess(table):
            click.echo(line)
        report = dry_run_report(plan, table) if dry_run else import_table(db.session, plan, table)
    except ImportRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        count = len(rejected.problems)
        noun = "problem" if count == 1 else "problems"
        raise click.ClickException(f"Nothing was imported: {count} {noun}.") from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)
    if not no_tag and not dry_run and report.ids:
        params = retag_params(statement_ids=list(report.ids))
        title = f"Tag {report.added:,} imported post-its"
        run_with_progress(workshop.id, params, len(report.ids), title)


def dry_run_report(plan: PostitPlan, table: Table) -> ImportReport:
    """What an import would do, as the report it would give; nothing is stored."""
    checked = check_table(db.session, plan, table)
    refuse_if_unfit(checked)
    return ImportReport(
        added=len(checked.rows),
        skipped_duplicates=checked.skipped_duplicates,
        skipped_blank=checked.skipped_blank,
        notes=(*table.notes, *checked.notes, "Dry run: nothing was stored."),
    )


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
