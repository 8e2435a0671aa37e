"""The ``theme_tagger`` spaCy component: explainable, rule-based theme tags."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain, product
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from nlp.patterns import Pattern, derive_patterns, lemmatize, lemmatize_all, validate_pattern
from nlp.taxonomy import Taxonomy, ThemeSpec

DEFAULT_THRESHOLD = 0.5

# The tagger's output is plain data, so Docs travel between processes (nlp.pipe with
# n_process > 1 serialises them with msgpack): doc.cats holds every theme's score and
# doc._.theme_evidence, for the themes kept, the words and pattern ids that triggered them.
# doc._.themes reads both back as ThemeHit values.
if not Doc.has_extension("theme_evidence"):
    Doc.set_extension("theme_evidence", default=None)
if not Doc.has_extension("themes"):
    Doc.set_extension("themes", getter=lambda doc: themes_of(doc))


@dataclass(frozen=True)
class ThemeHit:
    """A theme suggested for a text, with the words and patterns that triggered it."""

    slug: str
    score: float
    evidence: list[str] = field(default_factory=list)
    pattern_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Rule:
    slug: str
    pattern_id: str
    weight: float


@dataclass(frozen=True)
class _Match:
    rule: _Rule
    start: int
    end: int

    def inside(self, other: _Match) -> bool:
        """True when this match lies strictly inside a longer match of another theme."""
        longer = (other.end - other.start) > (self.end - self.start)
        within = other.start <= self.start and self.end <= other.end
        return longer and within and other.rule.slug != self.rule.slug


@Language.factory(
    "theme_tagger",
    assigns=["doc.cats", "doc._.theme_evidence"],
    default_config={
        "threshold": DEFAULT_THRESHOLD,
        "fallback_patterns": {"@misc": "insights.theme_patterns.v1"},
    },
)
def make_theme_tagger(
    nlp: Language, name: str, threshold: float, fallback_patterns: dict[str, list[Pattern]]
) -> ThemeTagger:
    """Create a theme tagger; give it a taxonomy with `set_taxonomy` or `initialize`."""
    return ThemeTagger(nlp, name, threshold=threshold, fallback_patterns=fallback_patterns)


class ThemeTagger:
    """Match theme patterns; set ``doc.cats`` to each theme's score and
    ``doc._.theme_evidence`` to what triggered the themes that reach the threshold.

    A theme's score is the noisy-or of the weights of its distinct matched patterns, so
    one strong word is enough and several weak ones add up. A theme without patterns
    takes the fallback (starter) patterns for its slug, or patterns derived from its words.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "theme_tagger",
        *,
        threshold: float = DEFAULT_THRESHOLD,
        fallback_patterns: Mapping[str, list[Pattern]] | None = None,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.threshold = threshold
        self.fallback_patterns = dict(fallback_patterns or {})
        self.set_taxonomy(Taxonomy())

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        nlp: Language | None = None,
        *,
        taxonomy_records: list[dict[str, Any]] | None = None,
    ) -> None:
        """Load the taxonomy from plain records (as `Taxonomy.from_records` takes)."""
        if taxonomy_records is not None:
            self.set_taxonomy(Taxonomy.from_records(taxonomy_records))

    def set_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Use ``taxonomy`` from now on, rebuilding the matchers."""
        self.taxonomy = taxonomy
        self._rules: dict[str, _Rule] = {}
        self._matcher = Matcher(self.nlp.vocab)
        self._phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._lemma_attr = "LEMMA" if _has_lemmatizer(self.nlp) else "LOWER"
        self._lemma_matcher = PhraseMatcher(self.nlp.vocab, attr=self._lemma_attr)
        self._tokens_need_tags = False
        patterns = [
            (theme.slug, validate_pattern(pattern))
            for theme in taxonomy.themes
            for pattern in self.patterns_for(theme)
        ]
        self._fingerprints = {
            theme.slug: _fingerprint(self.patterns_for(theme)) for theme in taxonomy.themes
        }
        self._lemmatized: dict[str, Any] = {}
        if self._lemma_attr == "LEMMA":
            texts = [pattern["lemma"] for _, pattern in patterns if "lemma" in pattern]
            self._lemmatized = lemmatize_all(self.nlp, texts)
        for slug, pattern in patterns:
            self._add(slug, pattern)

    def fingerprint(self, slug: str) -> str:
        """A hash of the patterns used for a theme ("" for an unknown slug), so a trained
        combination fitted on them can tell when a person has changed them."""
        return self._fingerprints.get(slug, "")

    def patterns_for(self, theme: ThemeSpec) -> list[Pattern]:
        """The patterns used for ``theme``: its own, else the fallback, else derived."""
        if theme.patterns:
            return theme.patterns
        if theme.slug in self.fallback_patterns:
            return self.fallback_patterns[theme.slug]
        return derive_patterns(theme.name, theme.description, self.nlp)

    def __call__(self, doc: Doc) -> Doc:
        """Score every theme into ``doc.cats`` and record the evidence of those kept."""
        found = chain.from_iterable(matcher(doc) for matcher in self._matchers_for(doc))
        matches = [_Match(self._rules[self.nlp.vocab.strings[key]], s, e) for key, s, e in found]
        kept = [m for m in matches if not any(m.inside(other) for other in matches)]
        hits = _score(_strongest_per_span(kept), doc)
        doc.cats.update(dict.fromkeys(self.taxonomy.slugs, 0.0))
        doc.cats.update({hit.slug: hit.score for hit in hits})
        doc._.theme_evidence = {
            hit.slug: {"evidence": hit.evidence, "patterns": hit.pattern_ids}
            for hit in hits
            if hit.score >= self.threshold
        }
        return doc

    def _matchers_for(self, doc: Doc) -> list[Matcher | PhraseMatcher]:
        """The matchers with patterns, leaving out token rules the Doc cannot support."""
        matchers: list[Matcher | PhraseMatcher] = [self._phrase_matcher, self._lemma_matcher]
        if not self._tokens_need_tags or doc.has_annotation("POS"):
            matchers.append(self._matcher)
        return [matcher for matcher in matchers if len(matcher)]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the threshold and the taxonomy (with its patterns) to a directory."""
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        srsly.write_json(directory / "cfg.json", {"threshold": self.threshold})
        srsly.write_json(directory / "taxonomy.json", self.taxonomy.to_records())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ThemeTagger:
        """Load what `to_disk` saved."""
        directory = Path(path)
        self.threshold = float(srsly.read_json(directory / "cfg.json")["threshold"])
        self.set_taxonomy(Taxonomy.from_records(srsly.read_json(directory / "taxonomy.json")))
        return self

    def _add(self, slug: str, pattern: Pattern) -> None:
        key = f"{slug}|{pattern['id']}"
        self._rules[key] = _Rule(slug, pattern["id"], float(pattern.get("weight", 1.0)))
        if "phrase" in pattern:
            self._phrase_matcher.add(key, [self.nlp.make_doc(pattern["phrase"])])
        elif "lemma" in pattern:
            self._lemma_matcher.add(key, self._lemma_docs(pattern["lemma"]))
        else:
            self._matcher.add(key, [pattern["tokens"]])
            self._tokens_need_tags |= _uses_tags(pattern["tokens"])

    def _lemma_docs(self, text: str) -> list[Doc]:
        """Pattern docs for a lemma pattern: the words as written and as the model lemmatises
        them, in the casings and plural forms a proper-noun lemma can keep ("CICs")."""
        words = [token.lower_ for token in self.nlp.make_doc(text)]
        if self._lemma_attr == "LOWER":
            return [Doc(self.nlp.vocab, words=words)]
        doc = self._lemmatized.get(text) or lemmatize(self.nlp, text)
        lemmas = [token.lemma_.lower() for token in doc]
        options = [
            _forms(word, lemma, len(words) == 1) for word, lemma in zip(words, lemmas, strict=True)
        ]
        sequences = {cased for combo in product(*options) for cased in _casings(list(combo))}
        return [Doc(self.nlp.vocab, words=list(seq), lemmas=list(seq)) for seq in sorted(sequences)]


def _forms(word: str, lemma: str, single: bool) -> list[str]:
    plurals = _plurals(word) if single else []
    return sorted({word, lemma, *plurals})


def _casings(words: list[str]) -> list[tuple[str, ...]]:
    first_upper = [words[0].capitalize(), *words[1:]]
    return [
        tuple(words),
        tuple(first_upper),
        tuple(word.capitalize() for word in words),
        tuple(word.upper() for word in words),
    ]


def _plurals(word: str) -> list[str]:
    if word.endswith("y") and len(word) > 2:
        return [word[:-1] + "ies"]
    return [word + "s", word + "es"] if word[-1:].isalpha() else []


def _fingerprint(patterns: list[Pattern]) -> str:
    text = json.dumps(sorted(patterns, key=lambda p: str(p.get("id"))), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _uses_tags(tokens: list[dict[str, Any]]) -> bool:
    tagged = {"POS", "TAG", "LEMMA", "MORPH", "DEP"}
    return any(attr.upper() in tagged for spec in tokens for attr in spec)


def _has_lemmatizer(nlp: Language) -> bool:
    return any("lemmatizer" in nlp.get_pipe_meta(name).factory for name in nlp.pipe_names)


def _strongest_per_span(matches: list[_Match]) -> list[_Match]:
    """Keep one match per theme and span, so two patterns on one word do not add up."""
    best: dict[tuple[str, int, int], _Match] = {}
    for match in matches:
        key = (match.rule.slug, match.start, match.end)
        if key not in best or match.rule.weight > best[key].rule.weight:
            best[key] = match
    return list(best.values())


def themes_of(doc: Doc) -> list[ThemeHit]:
    """The themes kept on a tagged Doc, best first, read from its cats and evidence."""
    evidence = doc._.theme_evidence or {}
    hits = [
        ThemeHit(
            slug,
            round(float(doc.cats.get(slug, 0.0)), 4),
            list(found["evidence"]),
            list(found["patterns"]),
        )
        for slug, found in evidence.items()
    ]
    return sorted(hits, key=lambda hit: (-hit.score, hit.slug))


def _score(matches: list[_Match], doc: Doc) -> list[ThemeHit]:
    """One scored hit per theme with any match, whatever its score."""
    by_slug: dict[str, list[_Match]] = {}
    for match in sorted(matches, key=lambda m: (m.start, -m.end)):
        by_slug.setdefault(match.rule.slug, []).append(match)
    return [_hit(slug, found, doc) for slug, found in by_slug.items()]


def _hit(slug: str, matches: list[_Match], doc: Doc) -> ThemeHit:
    rules = {match.rule.pattern_id: match.rule for match in matches}
    miss = math.prod(1.0 - rule.weight for rule in rules.values())
    evidence = list(dict.fromkeys(doc[m.start : m.end].text for m in matches))
    return ThemeHit(slug, round(1.0 - miss, 4), evidence, sorted(rules))
