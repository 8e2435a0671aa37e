"""`insights graph …`: export the needs-to-datasets graph, its gaps and links, and a summary."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from insights.extensions import db
from insights.graph.analyses import analyse, find_gaps
from insights.graph.build import build_graph
from insights.graph.exports import GRAPH_FORMATS, export_graph, gaps_csv, links_csv
from insights.graph.snapshot import GraphData, load_graph_data
from insights.workshops.models import Workshop

workshop_option = click.option("--workshop", "slug", help="Only this workshop's needs.")
out_option = click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
)


@click.group("graph")
def graph_cli() -> None:
    """The graph of needs, themes, datasets, organisations, boroughs and next steps."""


def _data(slug: str | None) -> GraphData:
    """The graph's facts for one workshop, or for all."""
    if not slug:
        return load_graph_data(db.session)
    workshop_id = db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug))
    if workshop_id is None:
        raise click.ClickException(f"No workshop {slug!r}.")
    return load_graph_data(db.session, [workshop_id])


@graph_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(list(GRAPH_FORMATS)), default="graphml")
@out_option
@workshop_option
@with_appcontext
def export_command(fmt: str, out: Path, slug: str | None) -> None:
    """Write the graph as GraphML, GEXF, node-link JSON or Kumu JSON."""
    graph = build_graph(_data(slug))
    out.write_bytes(export_graph(graph, fmt))
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges → {out}")


@graph_cli.command("gaps")
@out_option
@workshop_option
@with_appcontext
def gaps_command(out: Path, slug: str | None) -> None:
    """Write the gaps (needs no confirmed dataset serves) as CSV, with draft data requests."""
    data = _data(slug)
    gaps = find_gaps(data)
    out.write_bytes(gaps_csv(gaps, data))
    click.echo(f"{len(gaps)} gaps → {out}")


@graph_cli.command("links")
@out_option
@workshop_option
@with_appcontext
def links_command(out: Path, slug: str | None) -> None:
    """Write the links between needs and datasets (confirmed and suggested) as CSV."""
    data = _data(slug)
    out.write_bytes(links_csv(data))
    click.echo(f"{len(data.links)} links → {out}")


@graph_cli.command("summary")
@workshop_option
@with_appcontext
def summary_command(slug: str | None) -> None:
    """Print gaps, coverage per theme, the datasets of widest reach, clusters and pooling."""
    result = analyse(_data(slug))
    click.echo(f"gaps: {len(result.gaps)}")
    for row in result.coverage:
        click.echo(f"coverage\t{row.name}\t{row.served}/{row.needs}\t{row.share:.0%}")
    for reach in result.reach[:10]:
        click.echo(f"reach\t{reach.served}\t{reach.betweenness:.4f}\t{reach.title}")
    click.echo(f"clusters: {len(result.clusters)}; pooling opportunities: {len(result.pooling)}")
