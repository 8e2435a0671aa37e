"""The gaps page, the interactive graph, its data and the downloads."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.downloads import attachment
from insights.core.enums import MANAGERS
from insights.datasets.forms import ActionForm
from insights.extensions import db
from insights.graph.analyses import analyse, find_gaps
from insights.graph.build import NODE_TYPES, build_graph
from insights.graph.exports import GRAPH_FORMATS, export_graph, gaps_csv, links_csv
from insights.graph.gap_cards import gap_cards
from insights.graph.layout import layout
from insights.graph.snapshot import GraphData, load_graph_data
from insights.nextsteps.services import can_manage
from insights.themes.models import Theme
from insights.workshops.models import Workshop
from insights.workshops.services import visible_workshops_query

bp = Blueprint("graph", __name__, url_prefix="/graph")


def chosen_workshops() -> tuple[list[Workshop], Workshop | None]:
    """The workshops the person may see, and the one picked with ?workshop=SLUG (404 if hidden)."""
    workshops = list(db.session.scalars(visible_workshops_query(current_user)))
    slug = request.args.get("workshop", "").strip()
    if not slug:
        return workshops, None
    chosen = next((w for w in workshops if w.slug == slug), None)
    if chosen is None:
        abort(404)
    return workshops, chosen


def visible_data() -> tuple[GraphData, list[Workshop], Workshop | None]:
    """The graph's facts for the chosen workshop, or for every workshop the person may see."""
    workshops, chosen = chosen_workshops()
    ids = [chosen.id] if chosen else [w.id for w in workshops]
    return load_graph_data(db.session, ids), workshops, chosen


@bp.route("/gaps")
@roles_required(*ROLES)
def gaps() -> str:
    """What a lead reads first: each gap once with its themes, who raised it and where, the
    closest datasets and why they fall short, and one click to a next step or a data request."""
    data, workshops, chosen = visible_data()
    result = analyse(data)
    theme = request.args.get("theme", "").strip()
    shown = [g for g in result.gaps if not theme or theme in g.themes]
    return render_template(
        "graph/gaps.html",
        result=result,
        data=data,
        cards=gap_cards(db.session, shown, data),
        theme=theme if theme in data.themes else "",
        slugs={w.id: w.slug for w in workshops},
        managed={w.id for w in workshops if can_manage(db.session, current_user, w)},
        workshops=workshops,
        chosen=chosen,
        may_manage=current_user.has_role(*MANAGERS),
        form=ActionForm(),
    )


@bp.route("/")
@roles_required(*ROLES)
def show() -> str:
    """The interactive graph: pan, zoom, hover, filter, highlight a node's neighbours."""
    workshops, chosen = chosen_workshops()
    themes = db.session.execute(sa.select(Theme.slug, Theme.name).order_by(Theme.position)).all()
    return render_template(
        "graph/show.html",
        workshops=workshops,
        chosen=chosen,
        themes=themes,
        node_types=NODE_TYPES,
        formats=GRAPH_FORMATS,
    )


@bp.route("/data.json")
@roles_required(*ROLES)
def data_json() -> Response:
    """Nodes with positions and edges as index pairs, for the graph page's script."""
    data, _, _ = visible_data()
    graph = build_graph(data)
    graph.remove_nodes_from(
        [
            n
            for n, kind in graph.nodes(data="type")
            if kind in ("organisation", "borough") and graph.degree(n) == 0
        ]
    )
    positions = layout(graph)
    index = {node: i for i, node in enumerate(graph.nodes)}
    nodes = [
        {
            "id": node,
            "type": attrs.get("type", ""),
            "label": str(attrs.get("label", "")),
            "x": positions[node][0],
            "y": positions[node][1],
            "themes": str(attrs.get("themes", "")),
            "workshop": str(attrs.get("workshop_title", "")),
        }
        for node, attrs in graph.nodes(data=True)
    ]
    edges = [[index[u], index[v], kind or ""] for u, v, kind in graph.edges(data="kind")]
    return jsonify(nodes=nodes, edges=edges)


def download(content: bytes, mimetype: str, filename: str) -> Response:
    """A file download response (text types say charset=utf-8 once)."""
    if mimetype.startswith("text/") and "charset" not in mimetype:
        mimetype += "; charset=utf-8"
    return attachment(content, filename, mimetype)


@bp.route("/export")
@roles_required(*ROLES)
def export() -> Response:
    """The graph as ?format=graphml | gexf | json | kumu."""
    fmt = request.args.get("format", "graphml")
    if fmt not in GRAPH_FORMATS:
        abort(404)
    data, _, chosen = visible_data()
    mimetype, extension = GRAPH_FORMATS[fmt]
    name = f"needs-datasets-{chosen.slug if chosen else 'all'}.{extension}"
    return download(export_graph(build_graph(data), fmt), mimetype, name)


@bp.route("/gaps.csv")
@roles_required(*ROLES)
def gaps_download() -> Response:
    """Gaps as CSV, each with a draft data request."""
    data, _, _ = visible_data()
    return download(gaps_csv(find_gaps(data), data), "text/csv", "gaps.csv")


@bp.route("/links.csv")
@roles_required(*ROLES)
def links_download() -> Response:
    """Links between needs and datasets as CSV."""
    data, _, _ = visible_data()
    return download(links_csv(data), "text/csv", "links.csv")
