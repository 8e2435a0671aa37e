"""Graph build and every analysis for 10,000 needs, 2,000 datasets and 50,000 links: < 3 s.

Run: .venv/bin/python benchmarks/bench_graph.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from insights.graph.analyses import analyse  # noqa: E402
from insights.graph.build import build_graph  # noqa: E402
from insights.graph.layout import layout  # noqa: E402
from insights.graph.snapshot import DatasetFact, GraphData, Link, Need  # noqa: E402

TARGET_SECONDS = 3.0
NEEDS, DATASETS, LINKS = 10_000, 2_000, 50_000
THEMES = [f"theme-{i}" for i in range(13)]
BOROUGHS = [f"E090000{i:02d}" for i in range(1, 34)]


def synthetic_data(seed: int = 1) -> GraphData:
    """A realistic-shaped graph: skewed dataset popularity, 1–3 themes a need."""
    rng = random.Random(seed)
    data = GraphData(
        themes={slug: slug.title() for slug in THEMES},
        boroughs={code: f"Borough {code[-2:]}" for code in BOROUGHS},
        workshops={w: f"Workshop {w}" for w in range(1, 41)},
    )
    data.organisations = {o: (f"Org {o}", rng.choice(BOROUGHS)) for o in range(1, 301)}
    data.needs = [
        Need(i, f"Need {i}", rng.randint(1, 40), rng.randint(1, 300), rng.choice(BOROUGHS))
        for i in range(1, NEEDS + 1)
    ]
    data.datasets = [
        DatasetFact(
            i, f"Dataset {i}", "borough", "open", rng.randint(1, 300) if i % 5 == 0 else None
        )
        for i in range(1, DATASETS + 1)
    ]
    data.need_themes = [
        (n.id, t) for n in data.needs for t in rng.sample(THEMES, rng.randint(1, 3))
    ]
    data.dataset_themes = [(d.id, t) for d in data.datasets for t in rng.sample(THEMES, 2)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < LINKS:
        pairs.add((rng.randint(1, NEEDS), int(rng.paretovariate(1.2)) % DATASETS + 1))
    data.links = [
        Link(n, d, "confirmed" if rng.random() < 0.3 else "suggested", "serves", rng.random())
        for n, d in sorted(pairs)
    ]
    data.next_steps = {s: f"Step {s}" for s in range(1, 51)}
    data.step_edges = [(s, "need", str(rng.randint(1, NEEDS))) for s in range(1, 51)]
    return data


def main() -> int:
    """Time build + analyses (and, apart, the page layout); print the figure and the ratio."""
    data = synthetic_data()
    started = time.perf_counter()
    graph = build_graph(data)
    built = time.perf_counter()
    result = analyse(data)
    elapsed = time.perf_counter() - started
    print(
        f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges; "
        f"build {built - started:.2f} s, analyses {elapsed - (built - started):.2f} s; "
        f"{len(result.gaps)} gaps, {len(result.clusters)} clusters, {len(result.pooling)} pooling"
    )
    print(
        f"build + every analysis: {elapsed:.2f} s (target {TARGET_SECONDS:.0f} s, "
        f"ratio {elapsed / TARGET_SECONDS:.2f})"
    )
    started = time.perf_counter()
    layout(graph)
    print(f"page layout (not in the target): {time.perf_counter() - started:.2f} s")
    return 0 if elapsed < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
