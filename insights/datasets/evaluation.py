"""Measure the suggestions on a labelled set of needs, against a plain BM25 baseline."""

import csv
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rank_bm25 import BM25Okapi  # type: ignore[import-untyped]

from insights.datasets.scoring import (
    STRENGTHS,
    DatasetProfile,
    NeedProfile,
    Suggestion,
    SuggestionScorer,
)
from insights.reference import read_json, starter_themes
from nlp import Taxonomy, embeddings, load_pipeline
from nlp.corpus import read_corpus

# A common English stop-word list, for the baseline only.
BASELINE_STOPWORDS = frozenset(
    "a an and are as at be by for from has have how i in is it its of on or our so that the "
    "their them they this to was we what when where which who will with".split()
)


@dataclass(frozen=True)
class GoldNeed:
    """A need and the exact titles of the datasets that serve it (none: a gap)."""

    text: str
    titles: frozenset[str]


@dataclass(frozen=True)
class Figures:
    """Top-1 accuracy over needs that have a dataset, and recall in the top five."""

    needs: int
    answerable: int
    top1: float
    recall5: float

    def line(self, name: str) -> str:
        """One line of a report."""
        return f"{name:<12} top-1 {self.top1:6.1%}   recall@5 {self.recall5:6.1%}"


def read_gold(path: str | Path) -> list[GoldNeed]:
    """Read a `need,datasets` CSV; datasets are `|`-separated exact titles."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            GoldNeed(row["need"], frozenset(t.strip() for t in row["datasets"].split("|") if t))
            for row in csv.DictReader(handle)
        ]


def read_corpus_gold(path: str | Path, split: str) -> list[GoldNeed]:
    """The labelled data needs (with datasets, or gaps) of one split of a page-split corpus,
    given its statements.csv (pages.csv beside it)."""
    statements = read_corpus(Path(path).parent, split)
    return [GoldNeed(s.text, s.datasets) for s in statements if s.is_need]


def starter_profiles() -> list[DatasetProfile]:
    """The shipped starter catalogue as scorer profiles, numbered from 1."""
    return [
        profile_from_entry(i, e)
        for i, e in enumerate(read_json("starter_datasets.json")["datasets"], 1)
    ]


def profile_from_entry(number: int, entry: dict[str, Any]) -> DatasetProfile:
    """A scorer profile from a starter-catalogue entry."""
    return DatasetProfile(
        id=number,
        title=entry["title"],
        publisher=entry.get("publisher") or "",
        description=entry.get("description") or "",
        keywords=tuple(entry.get("keywords") or ()),
        themes=frozenset(entry.get("themes") or ()),
        granularity=entry.get("granularity") or "",
        spatial_coverage=entry.get("spatial_coverage") or "",
    )


def measure(gold: Sequence[GoldNeed], ranked: Callable[[str], list[str]]) -> Figures:
    """Top-1 and recall@5 of a ranking function (need text → titles, best first)."""
    answerable = [g for g in gold if g.titles]
    hits = found = wanted = 0
    for need in answerable:
        titles = ranked(need.text)[:5]
        hits += bool(titles) and titles[0] in need.titles
        found += len(need.titles & set(titles))
        wanted += len(need.titles)
    return Figures(
        len(gold), len(answerable), hits / max(len(answerable), 1), found / max(wanted, 1)
    )


def app_scorer(profiles: Sequence[DatasetProfile]) -> Callable[[str], list[Suggestion]]:
    """Our scorer as the app runs it: the need's words, their embedding and the themes the
    starter tagger gives them (no mentions), returning the five best suggestions."""
    names = {t["slug"]: t["name"] for t in starter_themes()}
    scorer = SuggestionScorer(profiles, theme_names=names, encoder=embeddings.encode)
    tagger = load_pipeline(Taxonomy.from_records(starter_themes()))

    def suggest(text: str) -> list[Suggestion]:
        themes = frozenset(hit.slug for hit in tagger(text)._.themes)
        return scorer.rank(NeedProfile(0, text, themes), limit=5)

    return suggest


def scorer_ranking(profiles: Sequence[DatasetProfile]) -> Callable[[str], list[str]]:
    """Titles, best first, from `app_scorer`."""
    suggest = app_scorer(profiles)
    titles = {p.id: p.title for p in profiles}
    return lambda text: [titles[s.dataset_id] for s in suggest(text)]


def strength_precision(
    gold: Sequence[GoldNeed], profiles: Sequence[DatasetProfile]
) -> dict[str, tuple[int, int]]:
    """For each strength, how many first suggestions had it and how many of those were right
    (a gap's first suggestion is never right): (right, total)."""
    suggest = app_scorer(profiles)
    titles = {p.id: p.title for p in profiles}
    counts: Counter[tuple[str, bool]] = Counter()
    for need in gold:
        ranked = suggest(need.text)
        if ranked:
            counts[(ranked[0].strength, titles[ranked[0].dataset_id] in need.titles)] += 1
    return {s: (counts[(s, True)], counts[(s, True)] + counts[(s, False)]) for s in STRENGTHS}


def baseline_ranking(profiles: Sequence[DatasetProfile]) -> Callable[[str], list[str]]:
    """Plain BM25 (rank-bm25's Okapi, k1 1.5, b 0.75) over title, description and keywords."""
    docs = [_plain_tokens(" ".join([p.title, p.description, *p.keywords])) for p in profiles]
    index = BM25Okapi(docs)

    def rank(text: str) -> list[str]:
        scores = index.get_scores(_plain_tokens(text))
        best = sorted((i for i in range(len(profiles)) if scores[i] > 0), key=lambda i: -scores[i])
        return [profiles[i].title for i in best]

    return rank


def _plain_tokens(text: str) -> list[str]:
    """Lower-case words without stop words: no stemming, no synonyms."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in BASELINE_STOPWORDS]


def evaluate(gold_path: str | Path, split: str | None = None) -> dict[str, Figures]:
    """Our scorer and the BM25 baseline against the starter catalogue, on a `need,datasets`
    CSV or (with a split) on one split of a page-split corpus's statements.csv."""
    gold = read_gold(gold_path) if split is None else read_corpus_gold(gold_path, split)
    profiles = starter_profiles()
    return {
        "suggestions": measure(gold, scorer_ranking(profiles)),
        "bm25": measure(gold, baseline_ranking(profiles)),
    }
