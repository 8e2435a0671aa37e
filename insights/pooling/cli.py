"""`insights pool export`: the pooled, suppressed data of a standard as CSV or XLSX."""

from pathlib import Path

import click
import pandas as pd
from flask.cli import with_appcontext

from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.extensions import db
from insights.pooling.opendata import COLUMNS
from insights.pooling.services import DEFAULT_THRESHOLD, pool, published_rows
from insights.standards.services import find_standard


@click.group("pool")
def pool_cli() -> None:
    """Pooled data of a data standard."""


@pool_cli.command("export")
@click.option("--standard", required=True, help="The standard's slug or id.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--threshold", type=click.IntRange(2, 100), default=DEFAULT_THRESHOLD, show_default=True
)
@with_appcontext
def export_command(standard: str, out: Path, threshold: int) -> None:
    """Write the pooled data (counts under the threshold suppressed) as .csv or .xlsx."""
    found = find_standard(db.session, standard)
    if found is None:
        raise click.ClickException(f"There is no data standard {standard!r}.")
    frame = pd.DataFrame(
        published_rows(pool(db.session, found), threshold), columns=[c[0] for c in COLUMNS]
    )
    if out.suffix.lower() == ".xlsx":
        out.write_bytes(frames_to_xlsx({"Pooled data": frame}))
    else:
        out.write_bytes(frame_to_csv(frame.astype(object).where(frame.notna(), "")))
    click.echo(f"Wrote {len(frame)} rows of pooled data to {out}.")
