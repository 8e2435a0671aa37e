"""`insights submissions validate|import FILE --standard S --borough B --year Y`."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from insights.extensions import db
from insights.organisations.models import Borough
from insights.standards.cli import standard_version
from insights.statements.imports import limits_from_config
from insights.submissions.services import Slot, confirm_replacement, process, start
from insights.submissions.validation import SubmissionRejected


@click.group("submissions")
def submissions_cli() -> None:
    """Check and import data submitted against a data standard."""


def borough_code(value: str) -> str:
    """A borough's ONS code from its code or name (any case)."""
    wanted = " ".join(value.split()).lower()
    for code, name in db.session.execute(sa.select(Borough.code, Borough.name)):
        if wanted in (code.lower(), name.lower()):
            return str(code)
    raise click.BadParameter(
        f"{value!r} is not a London borough (a name or an ONS code).", param_hint="--borough"
    )


def options(command):  # type: ignore[no-untyped-def]
    """The options both commands take."""
    for option in reversed(
        [
            click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
            click.option("--standard", required=True, help="The standard's slug or id."),
            click.option(
                "--version", "number", type=int, help="Version (default: newest published)."
            ),
            click.option("--borough", required=True, help="Borough name or ONS code."),
            click.option("--year", required=True, type=int),
            click.option(
                "--organisation",
                default="",
                help="Submitting organisation (default: the borough's name + CVS).",
            ),
            click.option(
                "--aggregates", is_flag=True, help="The file holds counts: field, value, count."
            ),
            click.option(
                "--map",
                "pairs",
                multiple=True,
                metavar="HEADING=FIELD",
                help="Map one of the file's headings.",
            ),
        ]
    ):
        command = option(command)
    return with_appcontext(command)


def run(
    file: Path,
    standard: str,
    number: int | None,
    borough: str,
    year: int,
    organisation: str,
    pairs: tuple[str, ...],
    replace: bool,
    aggregates: bool = False,
):  # type: ignore[no-untyped-def]
    """Start and process a submission; prints every problem and fails when it is refused."""
    _, version = standard_version(standard, number)
    code = borough_code(borough)
    name = db.session.get(Borough, code).name  # type: ignore[union-attr]
    choices = dict(pair.rsplit("=", 1) for pair in pairs if "=" in pair) or None
    try:
        submission = start(
            db.session,
            Slot(version, code, year),
            organisation or f"{name} CVS",
            None,
            (file.read_bytes(), file.name),
            "aggregates" if aggregates else "rows",
        )
        outcome = process(
            db.session,
            submission,
            choices=choices,
            limits=limits_from_config(current_app.config),
            may_replace=True,
        )
    except SubmissionRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        count = len(rejected.problems)
        raise click.ClickException(
            f"Refused: {count} problem{'s' if count != 1 else ''}; nothing was stored."
        ) from None
    if outcome.state == "needs-mapping":
        db.session.rollback()
        missing = ", ".join(outcome.mapping.missing) if outcome.mapping else ""
        raise click.ClickException(
            f"No column holds {missing}: map headings with --map HEADING=FIELD."
        )
    if outcome.state == "needs-confirmation" and replace:
        confirm_replacement(db.session, outcome.submission)
    elif outcome.state == "needs-confirmation":
        db.session.rollback()
        raise click.ClickException(
            f"{name} {year} already has a submission: add --replace to replace it."
        )
    return outcome.submission


@submissions_cli.command("validate")
@options
def validate_command(**values) -> None:  # type: ignore[no-untyped-def]
    """Check a file against the standard and say what is wrong; nothing is stored."""
    submission = run(**values, replace=True)
    count = submission.response_count
    db.session.rollback()
    click.echo(f"Valid: {count} responses fit the standard.")


@submissions_cli.command("import")
@options
@click.option("--replace", is_flag=True, help="Replace an earlier submission (kept as history).")
def import_command(replace: bool, **values) -> None:  # type: ignore[no-untyped-def]
    """Check a file and store it whole, for a borough and a year."""
    submission = run(**values, replace=replace)
    db.session.commit()
    click.echo(
        f"Accepted {submission.response_count} responses "
        f"for {submission.borough.name}, {submission.year}."
    )
