"""Suggestions for 1,000 needs against 2,000 datasets: < 10 s. Also prints the quality of the
suggestions on the labelled needs against a plain BM25 baseline.

The timed part is what a refresh of 1,000 needs costs: the word index, encoding the needs (in
batches) and ranking. Encoding the 2,000 datasets is printed apart: the app does it once per
state of the catalogue (and once per dataset text per process), not on each refresh.

Run: .venv/bin/python benchmarks/bench_suggestions.py
"""

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from insights.datasets.evaluation import evaluate, read_gold, starter_profiles  # noqa: E402
from insights.datasets.scoring import NeedProfile, SuggestionScorer, semantic_text  # noqa: E402
from nlp import embeddings  # noqa: E402

TARGET_SECONDS = 10.0
NEEDS, DATASETS = 1_000, 2_000
GOLD = ROOT / "tests" / "data" / "needs_datasets_gold.csv"
STORIES = ROOT / "tests" / "data" / "datasets" / "needs_user_stories.csv"


def synthetic_catalogue(rng: random.Random):  # type: ignore[no-untyped-def]
    """2,000 datasets made from the starter ones, each with shuffled words and keywords."""
    starter = starter_profiles()
    catalogue = []
    for number in range(1, DATASETS + 1):
        base = starter[number % len(starter)]
        words = base.description.split()
        rng.shuffle(words)
        keywords = list(base.keywords) + [rng.choice(words) for _ in range(3)]
        catalogue.append(
            replace(
                base,
                id=number,
                title=f"{base.title} {number}",
                description=" ".join(words),
                keywords=tuple(keywords),
            )
        )
    return catalogue


def synthetic_needs(rng: random.Random) -> list[NeedProfile]:
    """1,000 needs made from the labelled ones, with extra words and themes."""
    texts = [g.text for g in read_gold(GOLD)] + [g.text for g in read_gold(STORIES)]
    extras = ["in Hackney", "for each ward", "across London", "so that we can plan", "urgently"]
    themes = ["volunteering", "funding-finance", "community-need", "sector-size-shape"]
    return [
        NeedProfile(
            i, f"{rng.choice(texts)} {rng.choice(extras)}", frozenset(rng.sample(themes, 2))
        )
        for i in range(NEEDS)
    ]


def main() -> int:
    """Time the index and the ranking of every need; print quality and speed."""
    rng = random.Random(3)
    catalogue, needs = synthetic_catalogue(rng), synthetic_needs(rng)
    embeddings.model()  # loading the model is once per process
    began = time.perf_counter()
    embeddings.encode([semantic_text(d) for d in catalogue])
    catalogue_seconds = time.perf_counter() - began
    started = time.perf_counter()
    scorer = SuggestionScorer(catalogue, encoder=embeddings.encode)  # dataset vectors remembered
    indexed = time.perf_counter()
    prepared = scorer.prepare(needs)
    encoded = time.perf_counter()
    for need in prepared:
        scorer.rank(need, limit=5)
    elapsed = time.perf_counter() - started
    for path in (GOLD, STORIES):
        print(f"quality on {path.name} (starter catalogue):")
        for name, figures in evaluate(path).items():
            print(f"  {figures.line(name)}  ({figures.answerable} needs with a dataset)")
    print(f"encoding the {DATASETS} datasets (once per catalogue state): {catalogue_seconds:.2f} s")
    print(
        f"index {indexed - started:.2f} s, encoding the needs {encoded - indexed:.2f} s, "
        f"ranking {elapsed - (encoded - started):.2f} s"
    )
    print(
        f"suggestions, {NEEDS} needs x {DATASETS} datasets: {elapsed:.2f} s "
        f"(target {TARGET_SECONDS:.0f} s, ratio {elapsed / TARGET_SECONDS:.2f})"
    )
    return 0 if elapsed < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
