"""Write the graph as GraphML, GEXF, node-link JSON or Kumu JSON, and gaps and links as CSV."""

import json

import networkx as nx

from insights.core.exports import csv_bytes
from insights.graph.analyses import Gap, data_request
from insights.graph.snapshot import GraphData

GRAPH_FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "json": ("application/json", "json"),
    "kumu": ("application/json", "kumu.json"),
}


def export_graph(graph: nx.Graph, fmt: str) -> bytes:
    """The graph in one of GRAPH_FORMATS."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)).encode("utf-8")
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(graph)).encode("utf-8")
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links")).encode("utf-8")
    if fmt == "kumu":
        return json.dumps(kumu_blueprint(graph), ensure_ascii=False).encode("utf-8")
    raise ValueError(f"Unknown graph format {fmt!r}: choose one of {', '.join(GRAPH_FORMATS)}.")


def kumu_blueprint(graph: nx.Graph) -> dict[str, list[dict[str, object]]]:
    """Kumu's JSON import: elements (label, type, …) and connections (from, to, type)."""
    labels = _unique_labels(graph)
    elements = [
        {
            "label": labels[node],
            "type": attrs.get("type", ""),
            "id": node,
            "tags": [t for t in str(attrs.get("themes", "")).split(";") if t],
        }
        for node, attrs in graph.nodes(data=True)
    ]
    connections = [
        {"from": labels[u], "to": labels[v], "type": attrs.get("kind", "")}
        for u, v, attrs in graph.edges(data=True)
    ]
    return {"elements": elements, "connections": connections}


def _unique_labels(graph: nx.Graph) -> dict[str, str]:
    """Kumu joins connections by label, so repeated labels get their node id added."""
    seen: dict[str, int] = {}
    for _, label in graph.nodes(data="label"):
        seen[str(label)] = seen.get(str(label), 0) + 1
    return {
        node: (str(label) if seen[str(label)] == 1 else f"{label} ({node})")
        for node, label in graph.nodes(data="label")
    }


def gaps_csv(gaps: list[Gap], data: GraphData) -> bytes:
    """One row per gap: the need, its workshop, place, themes, suggestions and a data request."""
    titles = {d.id: d.title for d in data.datasets}
    return csv_bytes(
        [
            "need_id",
            "need",
            "workshop",
            "organisation",
            "borough",
            "themes",
            "suggested_datasets",
            "data_request",
        ],
        (
            [
                gap.need.id,
                gap.need.text,
                gap.workshop,
                gap.organisation,
                gap.borough,
                "; ".join(data.themes.get(s, s) for s in gap.themes),
                "; ".join(titles[i] for i in gap.suggested if i in titles),
                data_request(gap, data),
            ]
            for gap in gaps
        ),
    )


def links_csv(data: GraphData) -> bytes:
    """One row per link between a need and a dataset (confirmed or suggested)."""
    needs = {n.id: n for n in data.needs}
    titles = {d.id: d.title for d in data.datasets}
    return csv_bytes(
        ["need_id", "need", "workshop", "dataset_id", "dataset", "status", "coverage", "score"],
        (
            [
                link.need_id,
                needs[link.need_id].text,
                data.workshops.get(needs[link.need_id].workshop_id, ""),
                link.dataset_id,
                titles.get(link.dataset_id, ""),
                link.status,
                link.coverage or "",
                round(link.score, 4),
            ]
            for link in sorted(data.links, key=lambda k: (k.need_id, k.status, -k.score))
            if link.need_id in needs
        ),
    )
