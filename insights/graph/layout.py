"""A fast server-side layout: themes on a ring, everything else drawn towards its neighbours.

A force-directed layout of 5,000 nodes takes many seconds in Python; anchoring on the
themes takes milliseconds and keeps the picture readable: needs and datasets gather
around the themes they share, organisations and boroughs sit near what they touch.
"""

import math
import random

import networkx as nx

RING = 1000.0
JITTER = 90.0
SMOOTHING_ROUNDS = 2


def layout(graph: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions for every node, deterministic for a given graph."""
    rng = random.Random(seed)
    themes = sorted(n for n, kind in graph.nodes(data="type") if kind == "theme")
    positions: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(themes):
        angle = 2 * math.pi * index / max(len(themes), 1)
        positions[node] = (RING * math.cos(angle), RING * math.sin(angle))
    others = [n for n in graph.nodes if n not in positions]
    for _ in range(SMOOTHING_ROUNDS):
        placed = dict(positions)
        for node in others:
            placed[node] = _towards_neighbours(graph, node, positions, rng)
        positions.update(placed)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}


def _towards_neighbours(
    graph: nx.Graph,
    node: str,
    positions: dict[str, tuple[float, float]],
    rng: random.Random,
) -> tuple[float, float]:
    """The mean position of the node's placed neighbours, pulled inwards a little, jittered."""
    xs, ys = [], []
    for neighbour in graph.adj[node]:
        point = positions.get(neighbour)
        if point is not None:
            xs.append(point[0])
            ys.append(point[1])
    if not xs:
        angle = rng.random() * 2 * math.pi
        radius = RING * (1.35 + 0.2 * rng.random())
        return (radius * math.cos(angle), radius * math.sin(angle))
    spread = JITTER * (1.0 + 2.0 / len(xs))
    return (
        0.8 * sum(xs) / len(xs) + rng.gauss(0, spread),
        0.8 * sum(ys) / len(ys) + rng.gauss(0, spread),
    )
