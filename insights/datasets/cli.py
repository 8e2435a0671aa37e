"""`insights datasets …`: the starter catalogue, imports, suggestions and their measure."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.datasets.catalogue_imports import (
    import_catalogue,
    preview_catalogue,
    report_heading,
)
from insights.datasets.evaluation import (
    evaluate,
    read_corpus_gold,
    starter_profiles,
    strength_precision,
)
from insights.datasets.harvest import due_sources, find_or_add_source, plan_for_url, run_harvest
from insights.datasets.importers import MAX_IMPORT_BYTES, CatalogueImportError, read_catalogue
from insights.datasets.models import Dataset
from insights.datasets.services import load_starter_catalogue
from insights.datasets.suggestions import (
    after_catalogue_change,
    refresh_all_suggestions,
    refresh_workshop_suggestions,
)
from insights.extensions import db
from insights.workshops.models import Workshop
from nlp.corpus import SPLITS


@click.group("datasets")
def datasets_cli() -> None:
    """The dataset catalogue and the links from needs to datasets."""


@datasets_cli.command("load-starter")
@with_appcontext
def load_starter_command() -> None:
    """Load the starter catalogue of UK civil-society datasets (running it again updates)."""
    summary = load_starter_catalogue(db.session)
    after_catalogue_change(db.session)
    db.session.commit()
    click.echo(summary.message())


@datasets_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--portal", default="", help="The portal a CKAN dump came from (its address).")
@click.option("--preview", is_flag=True, help="Say what the import would do; store nothing.")
@with_appcontext
def import_command(file: Path, portal: str, preview: bool) -> None:
    """Import datasets from CSV/XLSX, CKAN API JSON, data.json or DCAT-AP RDF (all or nothing)."""
    if file.stat().st_size > MAX_IMPORT_BYTES:
        raise click.ClickException("The file is larger than 10 MB.")
    try:
        catalogue = read_catalogue(file.read_bytes(), file.name, portal=portal.rstrip("/"))
    except CatalogueImportError as error:
        raise click.ClickException(f"Nothing was imported. {error}") from error
    click.echo(report_heading(file.name, catalogue.kind))
    if preview:
        lines = preview_catalogue(db.session, catalogue).lines()
        db.session.rollback()
    else:
        summary = import_catalogue(db.session, catalogue, file.name, None)
        after_catalogue_change(db.session)
        db.session.commit()
        lines = summary.report().lines()
    for line in lines:
        click.echo(f"  {line}")


@datasets_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List the catalogue: id, granularity, access and title."""
    for dataset in db.session.scalars(
        sa.select(Dataset).where(Dataset.deleted_at.is_(None)).order_by(Dataset.title)
    ):
        click.echo(f"{dataset.id}\t{dataset.granularity or '-'}\t{dataset.access}\t{dataset.title}")


@datasets_cli.command("suggest")
@click.option("--workshop", "slug", help="Only this workshop's needs (default: every need).")
@with_appcontext
def suggest_command(slug: str | None) -> None:
    """Recompute the suggested datasets of post-its that name a data need; decisions stay."""
    if slug:
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        if workshop is None:
            raise click.ClickException(f"No workshop {slug!r}.")
        count = refresh_workshop_suggestions(db.session, workshop)
    else:
        count = refresh_all_suggestions(db.session)
    db.session.commit()
    click.echo(f"{count} suggestions stored.")


@datasets_cli.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    help="GOLD is a corpus statements.csv (pages.csv beside it): only this split's needs.",
)
def evaluate_command(gold: Path, split: str | None) -> None:
    """Measure suggestions on a `need,datasets` CSV against the starter catalogue and BM25;
    with --split, also how often a first suggestion of each strength is right."""
    if split is not None and not (gold.parent / "pages.csv").is_file():
        raise click.ClickException(f"--split needs a pages.csv beside {gold}.")
    for name, figures in evaluate(gold, split).items():
        click.echo(figures.line(name))
    if split is not None:
        needs = read_corpus_gold(gold, split)
        for strength, (right, total) in strength_precision(needs, starter_profiles()).items():
            click.echo(f"first suggestion {strength:<8} {right:3d} right of {total:3d}")


@datasets_cli.command("harvest")
@click.argument("url")
@click.option("--organisation", default="", help="Only this CKAN organisation (its name).")
@click.option("--tag", default="", help="Only datasets with this CKAN tag.")
@click.option("--kind", type=click.Choice(["ckan", "dcat"]), help="Default: from the URL.")
@click.option(
    "--every-hours",
    type=click.IntRange(0, 24 * 365),
    help="Harvest again on a schedule (0: never).",
)
@with_appcontext
def harvest_command(
    url: str, organisation: str, tag: str, kind: str | None, every_hours: int | None
) -> None:
    """Harvest a CKAN portal (package_search, paged) or a data.json / DCAT URL now."""
    try:
        plan = plan_for_url(url, organisation, tag, kind or "")
        source = find_or_add_source(db.session, plan, every_hours=every_hours, user_id=None)
        summary = run_harvest(db.session, source)
    except CatalogueImportError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    after_catalogue_change(db.session)
    db.session.commit()
    click.echo(f"{plan.url} ({plan.kind}):")
    for line in summary.report().lines():
        click.echo(f"  {line}")


@datasets_cli.command("harvest-due")
@with_appcontext
def harvest_due_command() -> None:
    """Harvest every scheduled source whose time has come (run it from cron or a timer)."""
    for source in due_sources(db.session):
        try:
            summary = run_harvest(db.session, source)
        except CatalogueImportError as error:
            db.session.rollback()
            click.echo(f"{source.url}: {error}", err=True)
            continue
        after_catalogue_change(db.session)
        db.session.commit()
        click.echo(f"{source.url}: {summary.message()}")
