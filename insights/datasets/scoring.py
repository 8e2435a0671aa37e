"""Rank datasets for a need: field-weighted BM25 over Snowball stems and related-term concepts,
closeness in meaning (sentence embeddings of the need and of each dataset's title, description
and keywords), shared themes, fit of geography and granularity, and datasets named on the
post-it.

Plain values in (no database, no spaCy; the embedding model is passed in as an encoder), every
score out with its reasons in words.
"""

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import snowballstemmer

from insights.reference import london_boroughs

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.json")
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "description": 1.0, "publisher": 1.0}
K1, B = 1.2, 0.75
CONCEPT_WEIGHT = 0.6
SHORTLIST = 60  # only the best text matches are weighed for themes and geography
# Finest first: record-level data (grants, organisations) can be summed to any area.
LEVEL_RANK = {
    "point": 0,
    "grant": 0,
    "organisation": 0,
    "oa": 1,
    "lsoa": 2,
    "msoa": 3,
    "ward": 4,
    "borough": 5,
    "region": 6,
    "national": 7,
}
NEED_LEVEL_RANK = {"small-area": 4, "borough": 5, "region": 6, "national": 7}
NEED_LEVEL_WORDS = {
    "small-area": "neighbourhood-level",
    "borough": "borough-level",
    "region": "London-wide",
    "national": "national",
}
NATIONAL_COVERAGES = {"uk", "united kingdom", "great britain", "gb", "england", "england and wales"}


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts; the defaults were tuned on a labelled set."""

    text: float = 1.0
    theme: float = 0.12
    theme_cap: float = 0.24
    level_fit: float = 0.08
    level_miss: float = 0.18
    coverage_miss: float = 0.6
    coverage_match: float = 0.15
    named: float = 1.0
    min_text: float = 0.05
    # Times the cosine of the need's and the dataset's embeddings; chosen on the tune pages of
    # the real corpus by page-wise cross-validation (benchmarks/README.md).
    semantic: float = 1.5


@dataclass(frozen=True)
class DatasetProfile:
    """What the scorer reads of a dataset."""

    id: int
    title: str
    publisher: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    themes: frozenset[str] = frozenset()
    granularity: str = ""
    spatial_coverage: str = ""


@dataclass(frozen=True)
class NeedProfile:
    """What the scorer reads of a need: its words, themes and the datasets it names."""

    id: int
    text: str
    themes: frozenset[str] = frozenset()
    named_datasets: frozenset[str] = frozenset()
    # Set by SuggestionScorer.prepare, which encodes many needs in one batch: the text's
    # embedding, and its cosine with each dataset of that scorer's catalogue.
    vector: Any = field(default=None, compare=False, repr=False)
    closeness: Any = field(default=None, compare=False, repr=False)


# Text → unit-length vectors, one row per text (nlp.embeddings.encode in the app).
Encoder = Callable[[Sequence[str]], np.ndarray]
SEMANTIC_SHORTLIST = 20  # the datasets closest in meaning are weighed even with no word shared,
SEMANTIC_FLOOR = 0.3  # if they are at least this close (the cosine of the two embeddings)
CLOSE_IN_MEANING = 0.5  # a cosine from which "close in meaning" is given as a reason


STRONG, POSSIBLE, WEAK = "strong", "possible", "weak"
STRENGTHS = (STRONG, POSSIBLE, WEAK)
# Calibrated on the tune pages of the real corpus (tests/data/real_corpus): how much of
# the need's rarer words (by inverse document frequency) a dataset shares, and the score
# (with closeness in meaning). On the 58 tune pages, 23 of 27 strong first suggestions were
# right, 23 of 45 possible ones and 2 of 24 weak ones.
STRONG_COVERAGE, STRONG_SCORE = 0.35, 1.75
POSSIBLE_COVERAGE, POSSIBLE_SCORE = 0.15, 1.5


@dataclass(frozen=True)
class Suggestion:
    """A dataset proposed for a need, with its score, strength and the reasons in words."""

    dataset_id: int
    score: float
    reasons: tuple[str, ...] = ()
    coverage: float = 0.0
    strength: str = WEAK


def match_strength(score: float, coverage: float, *, named: bool = False) -> str:
    """How good a match is, in words: "strong", "possible" or "weak".

    ``coverage`` is the share of the need's words, weighted by rarity in the catalogue, that
    the dataset matches; a dataset named on the post-it is always strong."""
    if named or (coverage >= STRONG_COVERAGE and score >= STRONG_SCORE):
        return STRONG
    if coverage >= POSSIBLE_COVERAGE and score >= POSSIBLE_SCORE:
        return POSSIBLE
    return WEAK


@dataclass(frozen=True)
class Vocabulary:
    """Stop words, related-term concepts, level words and place containment."""

    stopwords: frozenset[str]
    concepts: Mapping[tuple[str, ...], str]
    concept_names: Mapping[str, str]
    levels: Mapping[tuple[str, ...], str]
    places: Mapping[str, frozenset[str]]
    boroughs: Mapping[tuple[str, ...], str]
    borough_names: frozenset[str]


_STEMMER = snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem, so volunteers ~ volunteering ~ volunteer."""
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """Lower-case word tokens; apostrophes dropped, hyphens split."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("\u2019", ""))


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (insights/datasets/vocabulary.json)."""
    data = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))
    concepts: dict[tuple[str, ...], str] = {}
    names: dict[str, str] = {}
    for number, group in enumerate(data["related"]):
        concept = f"~{number}"
        names[concept] = group[0]
        for phrase in group:
            concepts[tuple(stem(w) for w in words(phrase))] = concept
    levels = {tuple(words(p)): level for level, ps in data["levels"].items() for p in ps}
    places = {name: frozenset(inner) for name, inner in data["places"].items()}
    boroughs = {tuple(words(name)): name for _, name in london_boroughs()}
    borough_names = frozenset(name.lower() for name in boroughs.values())
    return Vocabulary(
        frozenset(data["stopwords"]), concepts, names, levels, places, boroughs, borough_names
    )


def phrases(tokens: Sequence[str], table: Mapping[tuple[str, ...], str]) -> list[str]:
    """The values of the table whose phrases (1 to 4 tokens) occur in the token sequence."""
    found = []
    for size in (1, 2, 3, 4):
        for start in range(len(tokens) - size + 1):
            value = table.get(tuple(tokens[start : start + size]))
            if value is not None:
                found.append(value)
    return found


def analyse(text: str, vocab: Vocabulary) -> tuple[list[str], dict[str, str]]:
    """Index terms of a text (stems and concepts) and, for each, a surface word it came from."""
    raw = words(text)
    stems = [stem(w) for w in raw]
    terms: list[str] = []
    surface: dict[str, str] = {}
    for word, term in zip(raw, stems, strict=True):
        if word not in vocab.stopwords and len(word) > 1:
            terms.append(term)
            surface.setdefault(term, word)
    for concept in phrases(stems, vocab.concepts):
        terms.append(concept)
        surface.setdefault(concept, vocab.concept_names[concept])
    return terms, surface


@dataclass
class _Indexed:
    """One dataset as the index holds it."""

    profile: DatasetProfile
    title_tokens: tuple[str, ...]
    level: int | None
    coverage: str


@dataclass
class SuggestionScorer:
    """An index over a catalogue that ranks datasets for needs."""

    datasets: Sequence[DatasetProfile]
    theme_names: Mapping[str, str] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    encoder: Encoder | None = None

    def __post_init__(self) -> None:
        self.vocab = vocabulary()
        self.vectors: np.ndarray | None = None
        if self.encoder is not None and self.datasets:
            self.vectors = self.encoder([semantic_text(d) for d in self.datasets])
        self.items = [self._item(d) for d in self.datasets]
        self.postings = self._postings()
        self.titles: dict[tuple[str, ...], list[int]] = {}
        for index, item in enumerate(self.items):
            self.titles.setdefault(item.title_tokens, []).append(index)
        self.by_title = {item.profile.title: i for i, item in enumerate(self.items)}
        self.longest_title = max((len(t) for t in self.titles), default=0)

    def _item(self, profile: DatasetProfile) -> _Indexed:
        """Precompute what ranking reads of one dataset."""
        return _Indexed(
            profile=profile,
            title_tokens=tuple(words(profile.title)),
            level=LEVEL_RANK.get(profile.granularity),
            coverage=profile.spatial_coverage.strip().lower(),
        )

    def _postings(self) -> dict[str, list[tuple[int, float]]]:
        """term → [(dataset index, BM25 weight)], with field weights folded into the counts."""
        counts: list[dict[str, float]] = []
        for item in self.items:
            counter: dict[str, float] = {}
            for name, weight in FIELD_WEIGHTS.items():
                for term in analyse(_field_text(item.profile, name), self.vocab)[0]:
                    counter[term] = counter.get(term, 0.0) + weight
            counts.append(counter)
        lengths = [sum(c.values()) for c in counts]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        frequency = Counter(term for c in counts for term in c)
        total = len(counts)
        self.idf = {
            term: math.log(1 + (total - df + 0.5) / (df + 0.5)) for term, df in frequency.items()
        }
        postings: dict[str, list[tuple[int, float]]] = {}
        for index, counter in enumerate(counts):
            norm = K1 * (1 - B + B * lengths[index] / (average or 1.0))
            for term, tf in counter.items():
                idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
                postings.setdefault(term, []).append((index, idf * tf * (K1 + 1) / (tf + norm)))
        return postings

    def prepare(self, needs: Sequence[NeedProfile]) -> list[NeedProfile]:
        """The needs with their embeddings encoded, and compared with every dataset's, in one
        batch (one matrix product: much cheaper than one per need). Unchanged without an
        encoder."""
        if self.encoder is None or self.vectors is None or not needs:
            return list(needs)
        vectors = self.encoder([need.text for need in needs])
        close = vectors @ self.vectors.T
        return [
            replace(need, vector=vector, closeness=row)
            for need, vector, row in zip(needs, vectors, close, strict=True)
        ]

    def closeness(self, need: NeedProfile) -> np.ndarray | None:
        """The cosine of the need's embedding with every dataset's (None without an encoder)."""
        if self.vectors is None or self.encoder is None:
            return None
        if need.closeness is not None and len(need.closeness) == len(self.vectors):
            return np.asarray(need.closeness)
        vector = need.vector if need.vector is not None else self.encoder([need.text])[0]
        return np.asarray(self.vectors @ vector)

    def rank(
        self, need: NeedProfile, *, limit: int = 5, exclude: Iterable[int] = ()
    ) -> list[Suggestion]:
        """The best datasets for a need, best first, leaving out the excluded dataset ids."""
        context = NeedContext.read(need, self.vocab)
        text_scores, matched = self._text_scores(context)
        named = self._named(need, context)
        top_text = max(text_scores.values(), default=0.0)
        excluded = set(exclude)
        results = []
        coverage = self._coverage(context, matched)
        shortlist = sorted(text_scores, key=text_scores.__getitem__, reverse=True)
        candidates = set(shortlist[: max(limit * 10, SHORTLIST)]) | named
        close = self.closeness(need)
        nearest: set[int] = set()
        if close is not None:
            wanted = min(max(limit * 4, SEMANTIC_SHORTLIST), len(close))
            nearest = {
                int(i)
                for i in np.argpartition(-close, wanted - 1)[:wanted]
                if close[i] >= SEMANTIC_FLOOR
            }
            candidates |= nearest
        for index in candidates:
            item = self.items[index]
            if item.profile.id in excluded:
                continue
            if (
                index not in named
                and index not in nearest
                and text_scores[index] < self.weights.min_text * top_text
            ):
                continue
            relative = text_scores.get(index, 0.0) / top_text if top_text else 0.0
            words = [context.surface[term] for term in matched.get(index, [])]
            score, reasons = self._combine(item, context, relative, words)
            if close is not None:
                score += self.weights.semantic * float(close[index])
                if close[index] >= CLOSE_IN_MEANING:
                    reasons.insert(bool(words), "Close in meaning to the need.")
            if index in named:
                score += self.weights.named
                reasons.insert(0, "Named on the post-it.")
            share = round(coverage.get(index, 0.0), 4)
            strength = match_strength(score, share, named=index in named)
            results.append(
                Suggestion(item.profile.id, round(score, 4), tuple(reasons), share, strength)
            )
        results.sort(key=lambda s: (-s.score, s.dataset_id))
        return results[:limit]

    def _coverage(
        self, context: "NeedContext", matched: Mapping[int, list[str]]
    ) -> dict[int, float]:
        """Per dataset, the share of the need's term weight (part weight times idf) it matches;
        a word no dataset has counts as the rarest, so unknown asks lower every share."""
        rarest = math.log(1 + (len(self.items) + 0.5) / 0.5)
        weight = {term: part * self.idf.get(term, rarest) for term, part in context.terms.items()}
        total = sum(weight.values()) or 1.0
        return {
            index: sum(weight[term] for term in set(terms)) / total
            for index, terms in matched.items()
        }

    def _named(self, need: NeedProfile, context: "NeedContext") -> set[int]:
        """Datasets the need names: a tagger mention, or a whole title in its words."""
        named = {self.by_title[t] for t in need.named_datasets if t in self.by_title}
        tokens = context.tokens
        for size in range(1, min(self.longest_title, len(tokens)) + 1):
            for start in range(len(tokens) - size + 1):
                named.update(self.titles.get(tokens[start : start + size], ()))
        return named

    def _text_scores(self, context: "NeedContext") -> tuple[dict[int, float], dict[int, list[str]]]:
        """BM25 of the need's terms against every dataset sharing one, and the terms shared."""
        scores: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term, part_weight in context.terms.items():
            weight = part_weight * (CONCEPT_WEIGHT if term.startswith("~") else 1.0)
            for index, value in self.postings.get(term, ()):
                scores[index] = scores.get(index, 0.0) + weight * value
                matched.setdefault(index, []).append(term)
        return scores, matched

    def _combine(
        self, item: _Indexed, context: "NeedContext", relative: float, matched: list[str]
    ) -> tuple[float, list[str]]:
        """Text, themes, geography and granularity as one score and its reasons."""
        weights = self.weights
        score = weights.text * relative
        reasons = []
        if matched:
            reasons.append("Matching terms: " + ", ".join(dict.fromkeys(matched)) + ".")
        shared = sorted(context.themes & item.profile.themes)
        if shared:
            score += min(weights.theme * len(shared), weights.theme_cap)
            names = [self.theme_names.get(slug, slug) for slug in shared]
            reasons.append("Shared themes: " + ", ".join(names) + ".")
        geo_score, geo_reasons = geography_fit(item, context, weights, self.vocab)
        return score + geo_score, reasons + geo_reasons


def semantic_text(profile: DatasetProfile) -> str:
    """What the embedding of a dataset reads: its title, description and keywords."""
    text = f"{profile.title}. {profile.description}".strip()
    if profile.keywords:
        text += " Keywords: " + ", ".join(profile.keywords) + "."
    return text


def _field_text(profile: DatasetProfile, name: str) -> str:
    """One field of a dataset as text."""
    if name == "keywords":
        return " . ".join(profile.keywords)
    return str(getattr(profile, name))


STORY = re.compile(
    r"^\s*as an? (?P<role>[^,]+?),?\s+(?:i|we) (?:really )?(?:need|want|would like)s?"
    r"(?: to)?\s+(?P<goal>.+?)(?:,?\s+so that\s+(?P<benefit>.+))?$",
    re.IGNORECASE | re.DOTALL,
)
BENEFIT = re.compile(
    r"^(?P<goal>.+?),?\s+(?:so that|so we can|in order to)\s+(?P<benefit>.+)$", re.I
)
PART_WEIGHTS = {"role": 0.25, "goal": 1.0, "benefit": 0.5}


def story_parts(text: str) -> list[tuple[str, float]]:
    """A need's text in weighted parts: in "As a … I need … so that …" the goal counts most."""
    match = STORY.match(text) or BENEFIT.match(text)
    if match is None:
        return [(text, 1.0)]
    return [(part, PART_WEIGHTS[name]) for name, part in match.groupdict().items() if part]


@dataclass(frozen=True)
class NeedContext:
    """What a need's text says: its terms, the level of geography and the places it names."""

    tokens: tuple[str, ...]
    terms: Mapping[str, float]
    surface: Mapping[str, str]
    themes: frozenset[str]
    level: str | None
    national: bool
    boroughs: frozenset[str]

    @property
    def borough_keys(self) -> frozenset[str]:
        """The named boroughs in lower case."""
        return frozenset(b.lower() for b in self.boroughs)

    @classmethod
    def read(cls, need: NeedProfile, vocab: Vocabulary) -> "NeedContext":
        """Analyse a need once for every dataset it is scored against."""
        tokens = tuple(words(need.text))
        terms: dict[str, float] = {}
        surface: dict[str, str] = {}
        for part, weight in story_parts(need.text):
            part_terms, part_surface = analyse(part, vocab)
            for term in part_terms:
                terms[term] = max(terms.get(term, 0.0), weight)
                surface.setdefault(term, part_surface[term])
        levels = set(phrases(tokens, vocab.levels))
        boroughs = frozenset(phrases(tokens, vocab.boroughs))
        if boroughs:
            levels.add("borough")
        finest = min(levels, key=NEED_LEVEL_RANK.__getitem__, default=None)
        return cls(
            tokens=tokens,
            terms=terms,
            surface=surface,
            themes=need.themes,
            level=finest,
            national="national" in levels,
            boroughs=boroughs,
        )


def geography_fit(
    item: _Indexed, context: NeedContext, weights: Weights, vocab: Vocabulary
) -> tuple[float, list[str]]:
    """Does the dataset cover the need's place, at the need's level or finer?"""
    score, reasons = coverage_fit(item.coverage, context, weights, vocab)
    if context.level is None or item.level is None:
        return score, reasons
    wanted = NEED_LEVEL_RANK[context.level]
    need_words = NEED_LEVEL_WORDS[context.level]
    granularity = item.profile.granularity
    if item.level <= wanted:
        score += weights.level_fit
        reasons.append(f"A {need_words} need; this dataset is at {granularity} level, fine enough.")
    else:
        score -= weights.level_miss
        reasons.append(f"A {need_words} need, but this dataset is only at {granularity} level.")
    return score, reasons


def coverage_fit(
    coverage: str, context: NeedContext, weights: Weights, vocab: Vocabulary
) -> tuple[float, list[str]]:
    """Whether the dataset's spatial coverage holds the places the need is about."""
    if not coverage:
        return 0.0, []
    if coverage in vocab.borough_names:
        if coverage in context.borough_keys:
            return weights.coverage_match, [f"Covers {coverage.title()}, the borough asked about."]
        return -weights.coverage_miss / 2, [f"Covers {coverage.title()} only."]
    if context.national and coverage not in NATIONAL_COVERAGES:
        return -weights.coverage_miss / 2, [f"A national need; this dataset covers {coverage}."]
    if not covers_london(coverage, vocab):
        return -weights.coverage_miss, [f"Covers {coverage}, not London."]
    return 0.0, []


def covers_london(coverage: str, vocab: Vocabulary) -> bool:
    """Whether a coverage such as "UK", "England and Wales" or "London" includes London."""
    if coverage == "london":
        return True
    return "london" in vocab.places.get(coverage, frozenset())
