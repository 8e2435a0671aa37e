"""The app's own theme classifier: a spaCy ``textcat_multilabel`` learnt from people's
decisions in the app, and the per-theme combination of its scores with the pipeline's hits.
(The shipped classifier and its combiner are pipeline components: `nlp.theme_textcat`,
`nlp.theme_combiner`.)

Plain texts and labels in, a spaCy pipeline or ThemeHits out: the app stores decisions and
models, this module only learns and combines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from nlp import theme_training
from nlp.theme_tagger import ThemeHit

MODEL_THRESHOLD = 0.5
EVIDENCE_WORDS = 3
# How a theme's tags are decided: by the rules alone, by the model alone, or by either.
MODES = ("rules", "model", "either")


def train_textcat(
    examples: Sequence[tuple[str, Mapping[str, float]]],
    labels: Sequence[str],
    epochs: int,
    seed: int = 0,
) -> Language:
    """A ``textcat_multilabel`` (writing ``doc.cats``) trained on (text, cats) pairs the way
    the shipped ``theme_textcat`` is (`nlp.theme_training`), where cats leaves out the
    labels nobody decided."""
    return theme_training.train_textcat(
        examples, labels, factory="textcat_multilabel", epochs=epochs, seed=seed
    )


def combine_hits(
    nlp: Language, doc: Doc, rule_hits: list[ThemeHit], modes: Mapping[str, str]
) -> tuple[list[ThemeHit], dict[str, str]]:
    """Per theme: keep the rules' hit, replace it by the model's, or take either; returns the
    hits and, for each theme that came from the model, "model"."""
    hits = {hit.slug: hit for hit in rule_hits}
    from_model: dict[str, str] = {}
    for slug, mode in modes.items():
        if mode == "rules":
            continue
        if mode == "model":
            hits.pop(slug, None)
        score = doc.cats.get(slug, 0.0)
        if slug not in hits and score >= MODEL_THRESHOLD:
            evidence = model_evidence(nlp, doc, slug)
            hits[slug] = ThemeHit(slug, round(score, 4), evidence, ["model"])
            from_model[slug] = "model"
    return sorted(hits.values(), key=lambda hit: (-hit.score, hit.slug)), from_model


def model_evidence(nlp: Language, doc: Doc, slug: str) -> list[str]:
    """The words whose removal lowers the model's score the most: what triggered it."""
    words = [token for token in doc if token.is_alpha and not token.is_stop]
    if not words:
        return []
    variants = [" ".join(t.text for t in doc if t.i != word.i) for word in words]
    drops = [
        (doc.cats[slug] - other.cats.get(slug, 0.0), word.text)
        for word, other in zip(words, nlp.pipe(variants), strict=True)
    ]
    ranked = sorted((d for d in drops if d[0] > 0), reverse=True)[:EVIDENCE_WORDS]
    return [word for _, word in ranked]
