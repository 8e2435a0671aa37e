"""`insights nlp …`: re-tag statements, evaluate the tagger on a gold CSV, train the classifier,
list emerging themes."""

import json
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from insights.core.enums import JobStatus
from insights.extensions import db
from insights.jobs import Job
from insights.themes.classifier import predicted_theme_sets
from insights.themes.emerging import emerging_themes, weakly_tagged
from insights.themes.retag import BATCH_SIZE, retag_here, retag_params, stale_statement_ids
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from insights.themes.training import DEFAULT_EPOCHS, MIN_REVIEWED, NotEnoughReviews
from insights.themes.training import train_classifier as train_theme_classifier
from insights.workshops.models import Workshop
from nlp import format_table, score_themes
from nlp.corpus import SPLITS, read_corpus
from nlp.evaluate import evaluate_needs, read_gold_csv


@click.group("nlp")
def nlp_cli() -> None:
    """Theme tagging: re-tag, evaluate, train, emerging themes."""


def workshop_id_for(slug: str | None) -> int | None:
    """The id of the workshop with this slug (None for every workshop); exits if unknown."""
    if slug is None:
        return None
    workshop_id = db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug))
    if workshop_id is None:
        raise click.ClickException(f"No workshop with the slug {slug!r}.")
    return workshop_id


@nlp_cli.command("retag")
@click.option("--workshop", "slug", help="Only this workshop's statements (by slug).")
@click.option("--force", is_flag=True, help="Re-tag even statements whose tags are up to date.")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(1))
@with_appcontext
def retag_command(slug: str | None, force: bool, batch_size: int) -> None:
    """Tag statements whose text, taxonomy or classifier changed; people's decisions stay."""
    workshop_id = workshop_id_for(slug)
    ids = stale_statement_ids(db.session, workshop_id, force=force)
    if not ids:
        click.echo("Every statement is up to date: nothing to re-tag.")
        return
    params = retag_params(force=force, batch_size=batch_size)
    job = run_with_progress(workshop_id, params, len(ids), "Re-tag from the command line")
    click.echo(f"Re-tagged {job.done} statement(s).")


def run_with_progress(
    workshop_id: int | None, params: dict[str, Any], count: int, title: str
) -> Job:
    """Run a retag job here with a progress bar; exits with the error if it failed."""
    with click.progressbar(length=count, label="Tagging statements") as bar:
        shown = [0]

        def show(done: int, total: int) -> None:
            bar.update(done - shown[0])
            shown[0] = done

        job = retag_here(
            db.session, workshop_id=workshop_id, params=params, title=title, on_progress=show
        )
    if job.status != JobStatus.DONE:
        raise click.ClickException(f"Job {job.id} {job.status}: {job.error}")
    return job


@nlp_cli.command("evaluate")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--split",
    type=click.Choice(SPLITS),
    help="Only the statements of this split's pages (a corpus with pages.csv beside it).",
)
@with_appcontext
def evaluate_command(csv_file: Path, as_json: bool, split: str | None) -> None:
    """Score the current tagger (taxonomy in the database, plus any classifier in use) on a CSV
    with columns text and themes (slugs separated by ";")."""
    rows = gold_rows(csv_file, split)
    predicted = predicted_theme_sets(db.session, [text for text, _ in rows])
    slugs = current_taxonomy(db.session).slugs
    scores = score_themes([gold for _, gold in rows], predicted, slugs)
    if as_json:
        click.echo(json.dumps(scores | {"texts": len(rows)}, indent=2))
    else:
        click.echo(format_table(scores))
        click.echo(f"({len(rows)} texts)")


@nlp_cli.command("evaluate-needs")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(SPLITS), help="Only this split's pages.")
@click.option("--show", is_flag=True, help="Print each draft that is not sensible, and why.")
@with_appcontext
def evaluate_needs_command(csv_file: Path, split: str | None, show: bool) -> None:
    """How many needs of a corpus statements.csv (pages.csv beside it) get a sensible
    "As a / I need / so that" draft."""
    if not (csv_file.parent / "pages.csv").is_file():
        raise click.ClickException(f"evaluate-needs needs a pages.csv beside {csv_file}.")
    needs = [(s.text, s.role) for s in read_corpus(csv_file.parent, split) if s.kind == "need"]
    pipeline = pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))
    results = evaluate_needs(needs, pipeline)
    if show:
        for text, draft, problems in results:
            if problems:
                click.echo(f"{text}\n  {draft}\n  {'; '.join(problems)}")
    sensible = sum(not problems for _, _, problems in results)
    share = sensible / max(len(results), 1)
    click.echo(f"sensible drafts: {sensible} of {len(results)} needs ({share:.1%})")


def gold_rows(csv_file: Path, split: str | None) -> list[tuple[str, set[str]]]:
    """The (text, themes) rows of a gold CSV, or of one split of a page-split corpus."""
    try:
        if split is None:
            return read_gold_csv(csv_file)
        if not (csv_file.parent / "pages.csv").is_file():
            raise click.ClickException(f"--split needs a pages.csv beside {csv_file}.")
        return [(s.text, set(s.themes)) for s in read_corpus(csv_file.parent, split)]
    except (KeyError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{csv_file} needs UTF-8 columns text and themes.") from error


@nlp_cli.command("train")
@click.option("--epochs", default=DEFAULT_EPOCHS, show_default=True, type=click.IntRange(1))
@click.option("--min-reviewed", default=MIN_REVIEWED, show_default=True, type=click.IntRange(2))
@with_appcontext
def train_command(epochs: int, min_reviewed: int) -> None:
    """Train a classifier on reviewed tags and use it where it beats the rules on held-out
    statements. Re-tag afterwards to apply it."""
    models_dir = Path(
        current_app.config.get("THEMES_MODELS_DIR") or Path(current_app.instance_path, "models")
    )
    try:
        classifier = train_theme_classifier(
            db.session, models_dir, epochs=epochs, min_reviewed=min_reviewed
        )
    except NotEnoughReviews as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(
        f"Trained on {classifier.train_count} reviewed statements, "
        f"evaluated on {classifier.heldout_count} held out."
    )
    click.echo(comparison_table(classifier.scores))
    used = sorted(slug for slug, mode in classifier.modes().items() if mode != "rules")
    click.echo("Model used for: " + (", ".join(used) if used else "no theme (rules are better)"))


def comparison_table(scores: dict[str, Any]) -> str:
    """F1 of the rules, the model and either per theme, and the choice made."""
    width = max(len(slug) for slug in scores)
    lines = [f"{'theme':<{width}}  rules  model  either  support  used"]
    for slug, row in scores.items():
        if slug == "micro":
            continue
        rules, model, either = (row[name]["f1"] for name in ("rules", "model", "either"))
        support = int(row["rules"]["support"])
        lines.append(
            f"{slug:<{width}}  {rules:5.3f}  {model:5.3f}  {either:6.3f}  "
            f"{support:7d}  {row['mode']}"
        )
    micro = scores["micro"]
    lines.append(f"micro F1: rules {micro['rules']['f1']:.3f}, chosen {micro['chosen']['f1']:.3f}")
    return "\n".join(lines)


@nlp_cli.command("emerging")
@click.option("--workshop", "slug", help="Only this workshop's statements (by slug).")
@click.option("--min-statements", default=2, show_default=True, type=click.IntRange(2))
@with_appcontext
def emerging_command(slug: str | None, min_statements: int) -> None:
    """List phrases recurring among weakly tagged statements: candidate new themes."""
    workshop_id = workshop_id_for(slug)
    ids = (
        [workshop_id]
        if workshop_id is not None
        else list(db.session.scalars(sa.select(Workshop.id)))
    )
    statements = weakly_tagged(db.session, ids)
    for candidate in emerging_themes(db.session, statements, min_statements=min_statements):
        click.echo(f"{len(candidate.statements):4d}  {candidate.label}")
