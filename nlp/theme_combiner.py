"""The ``theme_combiner`` spaCy component: the final theme scores from the rules and the model.

It reads the rule tagger's ``doc.cats`` and ``doc._.theme_evidence`` and the trained
classifier's ``doc._.theme_model_cats``, and for each theme it was fitted on mixes the two
scores (``weight`` × rules + (1 − weight) × model) against that theme's ``threshold``. It
writes the final ``doc.cats`` (rescaled so that the tagger's threshold still decides) and the
evidence: a theme the rules found keeps the words that triggered it; a theme only the model
found names the words whose removal lowers the model's score the most.

A theme is mixed only while its patterns are the ones it was fitted with: after a person
edits a theme's patterns, or for a theme the model never saw, the rules decide alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypedDict, cast

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from nlp.theme_tagger import ThemeTagger
from nlp.theme_textcat import ThemeTextcat

EVIDENCE_WORDS = 3
INFLUENCE_SHARE = 0.5
MODEL_PATTERN = "model"


class ThemeMix(TypedDict):
    """How one theme's rule and model scores are combined."""

    weight: float
    threshold: float
    patterns: str


@Language.factory(
    "theme_combiner",
    requires=["doc.cats", "doc._.theme_evidence", "doc._.theme_model_cats"],
    assigns=["doc.cats", "doc._.theme_evidence"],
    default_config={"tagger": "theme_tagger", "textcat": "theme_textcat"},
)
def make_theme_combiner(nlp: Language, name: str, tagger: str, textcat: str) -> ThemeCombiner:
    """Create a combiner with no fitted themes (the rules decide until `set_mixes`)."""
    return ThemeCombiner(nlp, name, tagger=tagger, textcat=textcat)


class ThemeCombiner:
    """Combine the rule tagger's and the classifier's scores, theme by theme."""

    def __init__(
        self, nlp: Language, name: str = "theme_combiner", *, tagger: str, textcat: str
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.tagger_name = tagger
        self.textcat_name = textcat
        self.mixes: dict[str, ThemeMix] = {}

    def set_mixes(self, mixes: dict[str, ThemeMix]) -> None:
        """Use these per-theme mixes from now on (themes left out: rules alone)."""
        self.mixes = dict(mixes)

    def __call__(self, doc: Doc) -> Doc:
        """Write the final scores and evidence of every fitted theme whose patterns match."""
        model = doc._.theme_model_cats or {}
        tagger = cast(ThemeTagger, self.nlp.get_pipe(self.tagger_name))
        evidence = dict(doc._.theme_evidence or {})
        for slug, mix in self.mixes.items():
            if slug not in model or tagger.fingerprint(slug) != mix["patterns"]:
                continue
            mixed = mix["weight"] * doc.cats.get(slug, 0.0) + (1 - mix["weight"]) * model[slug]
            doc.cats[slug] = round(_rescale(mixed, mix["threshold"], tagger.threshold), 4)
            if doc.cats[slug] < tagger.threshold:
                evidence.pop(slug, None)
            elif slug not in evidence:
                words = self.influential_words(doc, slug)
                evidence[slug] = {"evidence": words, "patterns": [MODEL_PATTERN]}
        doc._.theme_evidence = evidence
        return doc

    def influential_words(self, doc: Doc, slug: str) -> list[str]:
        """The words whose removal lowers the model's score for ``slug`` the most."""
        words = [token for token in doc if token.is_alpha and not token.is_stop]
        if not words:
            return []
        textcat = cast(ThemeTextcat, self.nlp.get_pipe(self.textcat_name))
        variants = [
            self.nlp.make_doc(" ".join(t.text for t in doc if t.i != word.i)) for word in words
        ]
        base = doc._.theme_model_cats[slug]
        drops = [
            (base - scores[slug], word.i, word.text)
            for word, scores in zip(words, textcat.scores_for(variants), strict=True)
        ]
        ranked = sorted(drops, key=lambda drop: (-drop[0], drop[1]))
        strongest = ranked[0][0]
        # Words that matter about as much as the strongest one, not every small nudge.
        return [
            text
            for drop, _, text in ranked[:EVIDENCE_WORDS]
            if drop >= strongest * INFLUENCE_SHARE or drop == strongest
        ]

    def initialize(
        self, get_examples: Any = None, nlp: Language | None = None, *, mixes: Any = None
    ) -> None:
        """Load fitted mixes given as plain data (see `set_mixes`)."""
        if mixes is not None:
            self.set_mixes(mixes)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the per-theme mixes."""
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        srsly.write_json(directory / "mixes.json", self.mixes)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ThemeCombiner:
        """Load what `to_disk` saved."""
        self.set_mixes(srsly.read_json(Path(path) / "mixes.json"))
        return self


def _rescale(score: float, threshold: float, target: float) -> float:
    """Map ``score`` so that ``threshold`` lands on ``target``, keeping 0 and 1 in place."""
    if score < threshold:
        return score * target / threshold
    return target + (score - threshold) * (1 - target) / (1 - threshold)
