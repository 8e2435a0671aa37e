"""Measure the suggestions on a labelled set of needs, against a plain BM25 baseline."""

import csv
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insights.datasets.scoring import DatasetProfile, NeedProfile, SuggestionScorer
from insights.reference import read_json, starter_themes

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


def scorer_ranking(profiles: Sequence[DatasetProfile]) -> Callable[[str], list[str]]:
    """Our scorer, from the need's words alone (no tagged themes, no mentions)."""
    names = {t["slug"]: t["name"] for t in starter_themes()}
    scorer = SuggestionScorer(profiles, theme_names=names)
    titles = {p.id: p.title for p in profiles}

    def rank(text: str) -> list[str]:
        return [titles[s.dataset_id] for s in scorer.rank(NeedProfile(0, text), limit=5)]

    return rank


def baseline_ranking(profiles: Sequence[DatasetProfile]) -> Callable[[str], list[str]]:
    """Plain BM25 (Okapi, k1 1.5, b 0.75) over title, description and keywords."""
    docs = [_plain_tokens(" ".join([p.title, p.description, *p.keywords])) for p in profiles]
    counts = [Counter(d) for d in docs]
    average = sum(map(len, docs)) / len(docs)
    df = Counter(term for c in counts for term in c)
    total = len(docs)

    def bm25(query: list[str], index: int) -> float:
        tf, length = counts[index], len(docs[index])
        score = 0.0
        for term in query:
            if term in tf:
                idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf[term] * 2.5 / (tf[term] + 1.5 * (0.25 + 0.75 * length / average))
        return score

    def rank(text: str) -> list[str]:
        query = _plain_tokens(text)
        scored = [(bm25(query, i), -i) for i in range(total)]
        best = sorted((s for s in scored if s[0] > 0), reverse=True)
        return [profiles[-i].title for _, i in best]

    return rank


def _plain_tokens(text: str) -> list[str]:
    """Lower-case words without stop words: no stemming, no synonyms."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in BASELINE_STOPWORDS]


def evaluate(gold_path: str | Path) -> dict[str, Figures]:
    """Our scorer and the BM25 baseline on a labelled set, against the starter catalogue."""
    gold = read_gold(gold_path)
    profiles = starter_profiles()
    return {
        "suggestions": measure(gold, scorer_ranking(profiles)),
        "bm25": measure(gold, baseline_ranking(profiles)),
    }
