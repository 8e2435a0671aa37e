"""NLP for the workshop insight tracker: themes, mentions and need drafts from plain text.

Knows nothing about Flask or the database: it takes texts, a taxonomy and a gazetteer
as plain values and returns plain annotations.
"""

from nlp.entities import Gazetteer, Mention, read_boroughs_csv
from nlp.evaluate import format_table, score_themes
from nlp.needs import NeedDraft, parse_need
from nlp.patterns import derive_patterns, starter_patterns
from nlp.pipeline import (
    Annotation,
    ModelNotInstalled,
    annotate,
    annotate_one,
    annotate_stream,
    load_pipeline,
)
from nlp.taxonomy import Taxonomy, ThemeSpec
from nlp.theme_tagger import ThemeHit

__all__ = [
    "Annotation",
    "Gazetteer",
    "Mention",
    "ModelNotInstalled",
    "NeedDraft",
    "Taxonomy",
    "ThemeHit",
    "ThemeSpec",
    "annotate",
    "annotate_one",
    "annotate_stream",
    "derive_patterns",
    "format_table",
    "load_pipeline",
    "parse_need",
    "read_boroughs_csv",
    "score_themes",
    "starter_patterns",
]
