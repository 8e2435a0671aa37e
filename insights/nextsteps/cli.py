"""`insights nextsteps …`: print the ranking, export it, set the weights."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.extensions import db
from insights.nextsteps.exports import EXPORT_FORMATS, export_next_steps
from insights.nextsteps.factors import ranked_steps, set_weights, workshop_weights
from insights.nextsteps.ranking import FACTORS, WeightError
from insights.workshops.models import Workshop


@click.group("nextsteps")
def nextsteps_cli() -> None:
    """Rank, export and weigh a workshop's next steps."""


def workshop_by_slug(slug: str) -> Workshop:
    """The workshop with this slug, or a clear error."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        raise click.ClickException(f"No workshop has the slug {slug!r}.")
    return workshop


@nextsteps_cli.command("rank")
@click.argument("slug")
@with_appcontext
def rank_command(slug: str) -> None:
    """Print the ranked next steps: rank, score, then each factor's value."""
    for row in ranked_steps(db.session, workshop_by_slug(slug)):
        values = " ".join(f"{p.name}={p.value}" for p in row.score.parts)
        click.echo(f"{row.rank:>3}  {row.score.total:5.1f}  {row.step.title}  [{values}]")


@nextsteps_cli.command("export")
@click.argument("slug")
@click.option("--format", "file_format", type=click.Choice(sorted(EXPORT_FORMATS)), default="csv")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@with_appcontext
def export_command(slug: str, file_format: str, output: Path | None) -> None:
    """Write the ranked next steps with scores and factors (to stdout without -o)."""
    data = export_next_steps(db.session, workshop_by_slug(slug), file_format)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"Wrote {output}")


@nextsteps_cli.command("weights")
@click.argument("slug")
@click.option("--set", "pairs", multiple=True, metavar="FACTOR=N", help="e.g. --set votes=5")
@with_appcontext
def weights_command(slug: str, pairs: tuple[str, ...]) -> None:
    """Change the ranking weights (whole numbers 0–10); prints the weights in force."""
    workshop = workshop_by_slug(slug)
    if pairs:
        chosen = dict(pair.partition("=")[::2] for pair in pairs)
        try:
            current = workshop_weights(db.session, workshop)
            set_weights(db.session, workshop, {**current, **chosen}, None)
        except WeightError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
    for name, weight in workshop_weights(db.session, workshop).items():
        click.echo(f"{name}={weight}  ({FACTORS[name][0]})")
