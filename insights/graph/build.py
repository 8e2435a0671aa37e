"""Build the networkx graph of needs, themes, datasets, organisations, boroughs and next steps."""

import networkx as nx

from insights.graph.snapshot import GraphData

NODE_TYPES = ("need", "theme", "dataset", "organisation", "borough", "next-step")


def node_id(kind: str, key: object) -> str:
    """A node's id: its type and its key, e.g. "need:12" or "theme:volunteering"."""
    return f"{kind}:{key}"


def build_graph(data: GraphData) -> nx.Graph:
    """An undirected graph; every attribute is a plain string or number, as GraphML needs."""
    graph = nx.Graph()
    _add_themes_and_places(graph, data)
    _add_needs(graph, data)
    _add_datasets(graph, data)
    _add_next_steps(graph, data)
    return graph


def _add_themes_and_places(graph: nx.Graph, data: GraphData) -> None:
    """Theme, borough and organisation nodes; an organisation sits in its borough."""
    for slug, name in data.themes.items():
        graph.add_node(node_id("theme", slug), type="theme", label=name)
    for code, name in data.boroughs.items():
        graph.add_node(node_id("borough", code), type="borough", label=name)
    for org_id, (name, borough) in data.organisations.items():
        org = node_id("organisation", org_id)
        graph.add_node(org, type="organisation", label=name, borough=borough or "")
        if borough:
            graph.add_edge(org, node_id("borough", borough), kind="based-in")


def _add_needs(graph: nx.Graph, data: GraphData) -> None:
    """Need nodes, with edges to their themes, organisation and borough."""
    themes_of: dict[int, list[str]] = {}
    for need_id, slug in data.need_themes:
        themes_of.setdefault(need_id, []).append(slug)
    for need in data.needs:
        node = node_id("need", need.id)
        slugs = themes_of.get(need.id, [])
        graph.add_node(
            node,
            type="need",
            label=need.text,
            workshop=need.workshop_id,
            workshop_title=data.workshops.get(need.workshop_id, ""),
            themes=";".join(slugs),
            borough=need.borough_code or "",
        )
        graph.add_edges_from(((node, node_id("theme", s)) for s in slugs), kind="about")
        if need.organisation_id is not None:
            graph.add_edge(node, node_id("organisation", need.organisation_id), kind="raised-by")
        if need.borough_code:
            graph.add_edge(node, node_id("borough", need.borough_code), kind="in")


def _add_datasets(graph: nx.Graph, data: GraphData) -> None:
    """Dataset nodes with their themes and holders, and the links from needs."""
    themes_of: dict[int, list[str]] = {}
    for dataset_id, slug in data.dataset_themes:
        themes_of.setdefault(dataset_id, []).append(slug)
    for dataset in data.datasets:
        node = node_id("dataset", dataset.id)
        slugs = themes_of.get(dataset.id, [])
        graph.add_node(
            node,
            type="dataset",
            label=dataset.title,
            granularity=dataset.granularity,
            access=dataset.access,
            themes=";".join(slugs),
        )
        graph.add_edges_from(((node, node_id("theme", s)) for s in slugs), kind="about")
        if dataset.holder_id is not None:
            graph.add_edge(node, node_id("organisation", dataset.holder_id), kind="held-by")
    for link in data.links:
        graph.add_edge(
            node_id("need", link.need_id),
            node_id("dataset", link.dataset_id),
            kind="serves" if link.status == "confirmed" else "suggested",
            status=link.status,
            coverage=link.coverage or "",
            weight=float(link.score) if link.status == "suggested" else 1.0,
        )


def _add_next_steps(graph: nx.Graph, data: GraphData) -> None:
    """Next-step nodes and what each addresses."""
    for step_id, title in data.next_steps.items():
        graph.add_node(node_id("next-step", step_id), type="next-step", label=title)
    for step_id, kind, target in data.step_edges:
        other = node_id(kind, target)
        if graph.has_node(other):
            graph.add_edge(node_id("next-step", step_id), other, kind="addresses")
