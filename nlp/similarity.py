"""Needs that say the same thing: texts grouped by the words they share, weighed by how rare
each word is among the texts compared.

Each text becomes the lemmas of its content words ("volunteers" and "volunteering" meet as
"volunteer"), minus words every need uses ("data", "need"). Texts are compared by the cosine
of their TF-IDF vectors and grouped by average-link clustering: two groups join while the
mean similarity between their members stays above the threshold, so a group never chains
through one loose pair. Knows nothing of Flask or the database: texts in, groups out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import spacy
from spacy.language import Language

from nlp.pipeline import DEFAULT_MODEL, ModelNotInstalled

DEFAULT_THRESHOLD = 0.3
# Words nearly every need uses, which say nothing about what is needed.
GENERIC = frozenset(
    """need needs data datum information info want like able know use way thing get make
    good better more lot easy easier help understand find access have also would could
    should really well""".split()
)
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB", "ADV", "NUM", "X"})
# Endings the lemmatizer keeps on nouns ("volunteering", "Volunteers") that a reader would not
# count as a different word; longest first, each stripped only from a long enough word.
ENDINGS = (("ings", ""), ("ing", ""), ("ies", "y"), ("s", ""))
MIN_STEM = 4


@dataclass(frozen=True)
class TextGroup:
    """Texts that say the same thing: their indexes, the most central one first."""

    members: tuple[int, ...]
    cohesion: float  # mean similarity among the members (1.0 for a group of one)

    @property
    def central(self) -> int:
        """The index of the text closest to all the others."""
        return self.members[0]


@lru_cache(maxsize=2)
def load_lemmatizer(model_name: str = DEFAULT_MODEL) -> Language:
    """The model's tagger and lemmatizer only (no parser or entities), loaded once."""
    try:
        return spacy.load(model_name, exclude=["parser", "ner"])
    except OSError as error:
        raise ModelNotInstalled.for_model(model_name) from error


def stem(term: str) -> str:
    """The term without one ending that marks the same idea (volunteering → volunteer)."""
    for ending, replacement in ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM:
            return term[: -len(ending)] + replacement
    return term


def content_terms(texts: Sequence[str], nlp: Language | None = None) -> list[list[str]]:
    """Each text's content lemmas, lower-cased, without stop words or generic need words."""
    nlp = nlp or load_lemmatizer()
    found = []
    for doc in nlp.pipe(texts, batch_size=256):
        terms = [
            (token.lemma_ or token.text).lower()
            for token in doc
            if token.is_alpha and not token.is_stop and token.pos_ in CONTENT_POS
        ]
        found.append([stem(t) for t in terms if len(t) > 2 and t not in GENERIC])
    return found


def tfidf_matrix(terms: Sequence[Sequence[str]]) -> np.ndarray:
    """Unit-length TF-IDF rows (sublinear term counts, smoothed IDF)."""
    vocabulary: dict[str, int] = {}
    for text in terms:
        for term in text:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(terms), max(len(vocabulary), 1)))
    frequency = Counter(term for text in terms for term in set(text))
    for row, text in enumerate(terms):
        for term, count in Counter(text).items():
            idf = math.log((1 + len(terms)) / (1 + frequency[term])) + 1
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def similarity_matrix(terms: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine similarity of every pair of texts (1 on the diagonal where a text has terms)."""
    vectors = tfidf_matrix(terms)
    return vectors @ vectors.T


def average_link(similar: np.ndarray, threshold: float) -> list[list[int]]:
    """Clusters of indexes: join the two most similar clusters while their mean pairwise
    similarity is at least the threshold (Lance–Williams update for average linkage)."""
    size = similar.shape[0]
    between = similar.astype(float).copy()
    np.fill_diagonal(between, -np.inf)
    members: dict[int, list[int]] = {i: [i] for i in range(size)}
    while len(members) > 1:
        flat = int(np.argmax(between))
        a, b = divmod(flat, size)
        if between[a, b] < threshold:
            break
        na, nb = len(members[a]), len(members[b])
        merged = (na * between[a] + nb * between[b]) / (na + nb)
        between[a], between[:, a] = merged, merged
        between[a, a] = -np.inf
        between[b], between[:, b] = -np.inf, -np.inf
        members[a] += members.pop(b)
    return list(members.values())


def group_similar(
    texts: Sequence[str], *, nlp: Language | None = None, threshold: float = DEFAULT_THRESHOLD
) -> list[TextGroup]:
    """Groups of texts that say the same thing, largest first; every text is in one group."""
    if not texts:
        return []
    terms = content_terms(texts, nlp)
    similar = similarity_matrix(terms)
    groups = []
    for cluster in average_link(similar, threshold):
        inner = similar[np.ix_(cluster, cluster)]
        closeness = inner.sum(axis=1)
        ordered = [cluster[i] for i in np.argsort(-closeness, kind="stable")]
        pairs = len(cluster) * (len(cluster) - 1)
        cohesion = float((inner.sum() - np.trace(inner)) / pairs) if pairs else 1.0
        groups.append(TextGroup(tuple(ordered), round(cohesion, 4)))
    groups.sort(key=lambda g: (-len(g.members), min(g.members)))
    return groups
