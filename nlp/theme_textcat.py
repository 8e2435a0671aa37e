"""The ``theme_textcat`` spaCy component: a trained multi-label text classifier of themes.

It is spaCy's own ``textcat_multilabel`` with one change: its scores go to
``doc._.theme_model_cats`` instead of ``doc.cats``, which holds the rule tagger's scores
until the ``theme_combiner`` writes the final ones from both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline.textcat_multilabel import MultiLabel_TextCategorizer
from spacy.tokens import Doc
from thinc.api import Config, Model

# Plain floats keyed by theme slug, so Docs still travel between processes (msgpack).
if not Doc.has_extension("theme_model_cats"):
    Doc.set_extension("theme_model_cats", default=None)

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
ngram_size = 2
no_output_layer = false
length = 16384
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


@Language.factory(
    "theme_textcat",
    assigns=["doc._.theme_model_cats"],
    default_config={
        "threshold": 0.5,
        "model": DEFAULT_MODEL,
        "scorer": {"@scorers": "spacy.textcat_multilabel_scorer.v2"},
    },
)
def make_theme_textcat(
    nlp: Language,
    name: str,
    model: Model[list[Doc], Any],
    threshold: float,
    scorer: Callable[..., dict[str, Any]] | None,
) -> ThemeTextcat:
    """Create an untrained theme classifier (train it with `nlp.theme_training`)."""
    return ThemeTextcat(nlp.vocab, model, name, threshold=threshold, scorer=scorer)


class ThemeTextcat(MultiLabel_TextCategorizer):  # type: ignore[misc]
    """``textcat_multilabel`` writing its scores to ``doc._.theme_model_cats``."""

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        """Store each theme's probability on the Doc, leaving ``doc.cats`` to the rules."""
        for i, doc in enumerate(docs):
            doc._.theme_model_cats = {
                label: round(float(scores[i, j]), 4) for j, label in enumerate(self.labels)
            }

    def scores_for(self, docs: list[Doc]) -> list[dict[str, float]]:
        """The model's scores for docs that only need tokens (for explaining a tag)."""
        scores = self.model.ops.to_numpy(self.predict(docs))
        return [
            {label: float(scores[i, j]) for j, label in enumerate(self.labels)}
            for i in range(len(docs))
        ]
