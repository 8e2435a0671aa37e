"""Theme patterns as data: the shipped starter set and patterns derived from a theme's words.

A pattern is a dict with an ``id``, an optional ``weight`` (0..1, default 1.0: how much one
match counts towards the theme's score) and exactly one of:

- ``lemma``: words in base form, matched on the token lemma ("volunteer" matches "volunteers");
- ``phrase``: words matched case-insensitively, exactly as written ("360Giving");
- ``tokens``: a raw spaCy ``Matcher`` token pattern, for context rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

Pattern = dict[str, Any]
PATTERN_KINDS = ("lemma", "phrase", "tokens")
STARTER_PATTERNS_PATH = Path(__file__).with_name("starter_patterns.jsonl")

# Words too general in a "data about civil society" workshop to signal any one theme.
GENERIC_WORDS = frozenset(
    """data datum information sector organisation organization group work people thing need
    use level way lot kind type number issue theme other new good better related including
    include whole part more most many much what where who how make get know about across
    various general different specific key main relevant such eg etc e.g. i.e.""".split()
)
DERIVED_NAME_WEIGHT = 0.8
DERIVED_WORD_WEIGHT = 0.6


def starter_patterns() -> dict[str, list[Pattern]]:
    """Return the shipped starter patterns keyed by theme slug (a fresh copy each call)."""
    return {slug: [dict(p) for p in patterns] for slug, patterns in _load_starter().items()}


@spacy.registry.misc("insights.theme_patterns.v1")
def theme_patterns_v1() -> dict[str, list[Pattern]]:
    """Registered, versioned access to the starter patterns for spaCy configs."""
    return starter_patterns()


@cache
def _load_starter() -> dict[str, list[Pattern]]:
    patterns: dict[str, list[Pattern]] = {}
    with STARTER_PATTERNS_PATH.open(encoding="utf-8") as lines:
        for line in filter(str.strip, lines):
            record = json.loads(line)
            slug = record.pop("theme")
            patterns.setdefault(slug, []).append(validate_pattern(record))
    return patterns


def validate_pattern(pattern: Pattern) -> Pattern:
    """Check a pattern has an id, exactly one kind and a weight in 0..1; return it."""
    kinds = [kind for kind in PATTERN_KINDS if kind in pattern]
    if not pattern.get("id") or len(kinds) != 1:
        raise ValueError(f"pattern needs an id and one of {PATTERN_KINDS}: {pattern!r}")
    if not 0.0 < float(pattern.get("weight", 1.0)) <= 1.0:
        raise ValueError(f"pattern weight must be in (0, 1]: {pattern!r}")
    return pattern


def derive_patterns(name: str, description: str, nlp: Language) -> list[Pattern]:
    """Derive patterns for a theme that has none, from its name and description.

    Content-word lemmas become lemma patterns (name words weigh more than description
    words); short multi-word fragments of the description become phrase patterns.
    """
    patterns: dict[str, Pattern] = {}
    for text, weight in ((description, DERIVED_WORD_WEIGHT), (name, DERIVED_NAME_WEIGHT)):
        for lemma in _content_lemmas(nlp, text):
            patterns[f"derived/lemma:{lemma}"] = {"lemma": lemma, "weight": weight}
    for phrase in _fragments(f"{name}, {description}"):
        patterns[f"derived/phrase:{phrase}"] = {"phrase": phrase}
    return [{"id": pattern_id, **pattern} for pattern_id, pattern in patterns.items()]


def _content_lemmas(nlp: Language, text: str) -> list[str]:
    doc = lemmatize(nlp, text)
    content_pos = {"NOUN", "PROPN", "ADJ", "VERB", ""}
    lemmas = [(tok.lemma_ or tok.text).lower() for tok in doc if tok.pos_ in content_pos]
    return [lemma for lemma in lemmas if _is_content(lemma, nlp)]


def _is_content(word: str, nlp: Language) -> bool:
    return (
        word.isalpha()
        and len(word) > 2
        and word not in GENERIC_WORDS
        and not nlp.vocab[word].is_stop
    )


def _fragments(text: str) -> list[str]:
    """Split a description into 2-4 word phrases at commas, semicolons, brackets, and/or."""
    parts = re.split(r"[,;:()…]|\band\b|\bor\b|\bversus\b", text.lower())
    words = (re.findall(r"[\w'-]+", part) for part in parts)
    trimmed = (_strip_stop_words(part) for part in words)
    return [" ".join(part) for part in trimmed if 2 <= len(part) <= 4]


def _strip_stop_words(words: list[str]) -> list[str]:
    stop = {"the", "a", "an", "of", "their", "its", "our", "whether", "how", "what"}
    while words and words[0] in stop:
        words = words[1:]
    while words and words[-1] in stop:
        words = words[:-1]
    return words


def lemmatize(nlp: Language, text: str) -> Any:
    """Run only the model's own components (not ours) on ``text`` and return the Doc."""
    doc = nlp.make_doc(text)
    for _name, component in _model_components(nlp):
        doc = component(doc)
    return doc


def lemmatize_all(nlp: Language, texts: Iterable[str]) -> dict[str, Any]:
    """`lemmatize` for many texts at once, batched through each model component: building a
    taxonomy's few hundred lemma patterns one by one took seconds, in batches a fraction."""
    unique = list(dict.fromkeys(texts))
    docs = [nlp.make_doc(text) for text in unique]
    for _name, component in _model_components(nlp):
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=256))
        else:
            docs = [component(doc) for doc in docs]
    return dict(zip(unique, docs, strict=True))


def _model_components(nlp: Language) -> Iterable[tuple[str, Any]]:
    ours = {"theme_tagger", "mention_ruler"}
    return [
        (name, component)
        for name, component in nlp.pipeline
        if nlp.get_pipe_meta(name).factory not in ours
    ]
