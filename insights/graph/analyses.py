"""What the graph says: gaps, coverage per theme, datasets by reach, clusters of needs,
pooling opportunities and a draft data request for each gap."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from insights.datasets.scoring import POSSIBLE, STRONG, WEAK
from insights.graph.build import node_id
from insights.graph.snapshot import GraphData, Link, Need

UNTHEMED = ""
EXACT_BETWEENNESS_LIMIT = 500
BETWEENNESS_SAMPLES = 12
SMALL_GRAPH = 5000  # below this, themes join the clustering; above, links alone keep it fast


@dataclass(frozen=True)
class Gap:
    """A need no confirmed dataset serves."""

    need: Need
    themes: tuple[str, ...]
    workshop: str
    organisation: str
    borough: str
    suggested: tuple[int, ...]
    best_strength: str = WEAK  # of its best suggestion ("weak" when it has none)

    @property
    def no_good_match(self) -> bool:
        """True when not even the best suggestion is better than a weak match."""
        return self.best_strength == WEAK


@dataclass(frozen=True)
class ThemeCoverage:
    """How many of a theme's needs a confirmed dataset serves."""

    slug: str
    name: str
    needs: int
    served: int

    @property
    def share(self) -> float:
        """The share of the theme's needs that are served (0 when it has none)."""
        return self.served / self.needs if self.needs else 0.0


@dataclass(frozen=True)
class Reach:
    """A dataset's reach: needs it serves (confirmed), suggested for, and its betweenness."""

    dataset_id: int
    title: str
    served: int
    suggested: int
    betweenness: float


@dataclass(frozen=True)
class Pooling:
    """Data that could be pooled, or a gap several places share."""

    kind: str
    theme: str
    boroughs: tuple[str, ...]
    items: tuple[str, ...]


@dataclass
class Analysis:
    """Every analysis of a graph, computed together."""

    gaps: list[Gap] = field(default_factory=list)
    gaps_by_theme: dict[str, list[Gap]] = field(default_factory=dict)
    coverage: list[ThemeCoverage] = field(default_factory=list)
    reach: list[Reach] = field(default_factory=list)
    clusters: list[list[int]] = field(default_factory=list)
    pooling: list[Pooling] = field(default_factory=list)


def themes_by_need(data: GraphData) -> dict[int, list[str]]:
    """Each need's theme slugs."""
    themes: dict[int, list[str]] = defaultdict(list)
    for need_id, slug in data.need_themes:
        themes[need_id].append(slug)
    return themes


def served_needs(data: GraphData) -> set[int]:
    """Needs with at least one confirmed dataset."""
    return {link.need_id for link in data.links if link.status == "confirmed"}


def find_gaps(data: GraphData) -> list[Gap]:
    """Needs that no confirmed dataset serves, with who raised them and what was suggested."""
    served = served_needs(data)
    themes = themes_by_need(data)
    suggested: dict[int, list[int]] = defaultdict(list)
    best: dict[int, str] = {}
    for link in sorted(data.links, key=lambda link: -link.score):
        if link.status == "suggested":
            suggested[link.need_id].append(link.dataset_id)
            best[link.need_id] = _stronger(best.get(link.need_id, WEAK), link.strength or WEAK)
    return [
        Gap(
            need=need,
            themes=tuple(themes.get(need.id, ())),
            workshop=data.workshops.get(need.workshop_id, ""),
            organisation=_organisation_name(data, need),
            borough=data.boroughs.get(_borough_code(data, need) or "", ""),
            suggested=tuple(suggested.get(need.id, ())),
            best_strength=best.get(need.id, WEAK),
        )
        for need in data.needs
        if need.id not in served
    ]


def _stronger(one: str, other: str) -> str:
    """The stronger of two strengths."""
    order = {STRONG: 0, POSSIBLE: 1, WEAK: 2}
    return min(one, other, key=lambda strength: order.get(strength, 2))


def _organisation_name(data: GraphData, need: Need) -> str:
    """The name of the organisation that raised the need, if known."""
    if need.organisation_id is None:
        return ""
    return data.organisations.get(need.organisation_id, ("", None))[0]


def _borough_code(data: GraphData, need: Need) -> str | None:
    """The need's borough, else its organisation's borough."""
    if need.borough_code:
        return need.borough_code
    if need.organisation_id is None:
        return None
    return data.organisations.get(need.organisation_id, ("", None))[1]


def group_by_theme(gaps: list[Gap]) -> dict[str, list[Gap]]:
    """Gaps under each of their themes ("" for gaps without a theme), biggest group first."""
    groups: dict[str, list[Gap]] = defaultdict(list)
    for gap in gaps:
        for slug in gap.themes or (UNTHEMED,):
            groups[slug].append(gap)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def coverage_by_theme(data: GraphData) -> list[ThemeCoverage]:
    """For each theme, its needs and how many of them are served."""
    served = served_needs(data)
    needs: Counter[str] = Counter()
    met: Counter[str] = Counter()
    for need_id, slug in data.need_themes:
        needs[slug] += 1
        met[slug] += need_id in served
    return [
        ThemeCoverage(slug, data.themes.get(slug, slug), needs[slug], met[slug])
        for slug in data.themes
        if needs[slug]
    ]


def dataset_reach(data: GraphData) -> list[Reach]:
    """Datasets by needs served, then betweenness among needs and what serves them."""
    served: Counter[int] = Counter()
    suggested: Counter[int] = Counter()
    for link in data.links:
        (served if link.status == "confirmed" else suggested)[link.dataset_id] += 1
    centrality = betweenness(links_graph(data, confirmed_only=True))
    reach = [
        Reach(
            d.id,
            d.title,
            served[d.id],
            suggested[d.id],
            round(centrality.get(node_id("dataset", d.id), 0.0), 6),
        )
        for d in data.datasets
    ]
    reach.sort(key=lambda r: (-r.served, -r.betweenness, -r.suggested, r.title))
    return reach


def betweenness(graph: nx.Graph) -> dict[str, float]:
    """Betweenness centrality: exact on small graphs, from k sampled sources on big ones."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT:
        return dict(nx.betweenness_centrality(graph))
    return dict(nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLES, seed=7))


def links_graph(data: GraphData, *, confirmed_only: bool = False) -> nx.Graph:
    """Needs and datasets joined by their links (built straight from the facts: faster)."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        (node_id("need", link.need_id), node_id("dataset", link.dataset_id), _weight(link))
        for link in data.links
        if link.status == "confirmed" or not confirmed_only
    )
    return graph


def _weight(link: Link) -> float:
    """A confirmed link counts fully; a suggestion by its score, capped at one."""
    return 1.0 if link.status == "confirmed" else min(max(link.score, 0.05), 1.0)


def need_clusters(data: GraphData) -> list[list[int]]:
    """Groups of related needs: Louvain communities over needs, their datasets (and themes)."""
    core = links_graph(data)
    if len(data.needs) + len(data.datasets) <= SMALL_GRAPH:
        core.add_edges_from(
            ((node_id("need", n), node_id("theme", t)) for n, t in data.need_themes), weight=0.5
        )
    if core.number_of_edges() == 0:
        return []
    # Two levels of aggregation find the same communities here at half the time of the full run.
    communities = nx.community.louvain_communities(
        core, weight="weight", seed=7, threshold=0.01, max_level=2
    )
    clusters = []
    for community in communities:
        needs = sorted(int(n.split(":", 1)[1]) for n in community if n.startswith("need:"))
        if len(needs) >= 2:
            clusters.append(needs)
    clusters.sort(key=lambda c: (-len(c), c[0]))
    return clusters


def pooling_opportunities(data: GraphData, gaps: list[Gap]) -> list[Pooling]:
    """Similar data held in two or more boroughs, and gaps raised in two or more places."""
    return _held_data_to_pool(data) + _shared_gaps(gaps)


def _held_data_to_pool(data: GraphData) -> list[Pooling]:
    """Datasets on the same theme held by organisations in two or more boroughs."""
    themes: dict[int, list[str]] = defaultdict(list)
    for dataset_id, slug in data.dataset_themes:
        themes[dataset_id].append(slug)
    held: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for dataset in data.datasets:
        if dataset.holder_id is None:
            continue
        name, borough = data.organisations.get(dataset.holder_id, ("", None))
        place = data.boroughs.get(borough or "", "")
        for slug in themes.get(dataset.id) or [UNTHEMED]:
            held[slug][place].append(f"{dataset.title} ({name})")
    return [
        Pooling("held-data", slug, tuple(sorted(p for p in places if p)), _flatten(places))
        for slug, places in held.items()
        if len([p for p in places if p]) >= 2
    ]


def _shared_gaps(gaps: list[Gap]) -> list[Pooling]:
    """Gaps on the same theme raised in two or more boroughs or workshops."""
    places: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for gap in gaps:
        where = gap.borough or gap.workshop
        for slug in gap.themes:
            places[slug][where].append(gap.need.text)
    return [
        Pooling("shared-gap", slug, tuple(sorted(p for p in by_place if p)), _flatten(by_place))
        for slug, by_place in places.items()
        if len([p for p in by_place if p]) >= 2
    ]


def _flatten(groups: dict[str, list[str]]) -> tuple[str, ...]:
    """The items of every group, without repeats, in a stable order."""
    return tuple(dict.fromkeys(item for key in sorted(groups) for item in groups[key]))


def data_request(gap: Gap, data: GraphData) -> str:
    """A draft request for the data a gap is missing: what, who asked, where, what is close."""
    asked = ", ".join(p for p in (gap.organisation, gap.borough) if p) or "a participant"
    themes = ", ".join(data.themes.get(s, s) for s in gap.themes) or "not yet themed"
    titles = {d.id: d.title for d in data.datasets}
    close = (
        "; ".join(titles[i] for i in gap.suggested[:3] if i in titles) or "none in our catalogue"
    )
    return (
        f"What is missing: {gap.need.text}\n"
        f"Who asked: {asked}, at {gap.workshop or 'a workshop'}.\n"
        f"Boroughs: {gap.borough or 'not stated'}. Themes: {themes}.\n"
        f"Closest datasets we know of: {close}.\n"
        "Request: please tell us whether you hold or publish data that meets this need, "
        "at borough level or finer, and on what terms it could be shared."
    )


def analyse(data: GraphData) -> Analysis:
    """Run every analysis on the graph's facts."""
    gaps = find_gaps(data)
    return Analysis(
        gaps=gaps,
        gaps_by_theme=group_by_theme(gaps),
        coverage=coverage_by_theme(data),
        reach=dataset_reach(data),
        clusters=need_clusters(data),
        pooling=pooling_opportunities(data, gaps),
    )
