"""Score predicted theme sets against gold sets, and a pipeline against a gold CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from spacy.language import Language

from nlp.theme_tagger import ThemeTagger

Scores = dict[str, dict[str, float]]


def score_themes(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], slugs: Iterable[str]
) -> Scores:
    """Precision, recall, f1 and support per theme slug, plus a ``micro`` average.

    Support is the number of gold texts carrying the theme.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have one entry per text")
    scores: Scores = {}
    totals = [0, 0, 0]
    for slug in slugs:
        tp, fp, fn = _counts(slug, gold, predicted)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        scores[slug] = {**_prf(tp, fp, fn), "support": float(tp + fn)}
    scores["micro"] = {**_prf(*totals), "support": float(totals[0] + totals[2])}
    return scores


def _counts(
    slug: str, gold: Sequence[set[str]], predicted: Sequence[set[str]]
) -> tuple[int, int, int]:
    tp = sum(slug in g and slug in p for g, p in zip(gold, predicted, strict=True))
    fp = sum(slug not in g and slug in p for g, p in zip(gold, predicted, strict=True))
    fn = sum(slug in g and slug not in p for g, p in zip(gold, predicted, strict=True))
    return tp, fp, fn


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def format_table(scores: Scores) -> str:
    """Render scores as a fixed-width text table, themes first and ``micro`` last."""
    width = max(len(name) for name in scores)
    lines = [f"{'theme':<{width}}  precision  recall     f1  support"]
    names = [name for name in scores if name != "micro"] + ["micro"] * ("micro" in scores)
    for name in names:
        row = scores[name]
        lines.append(
            f"{name:<{width}}  {row['precision']:9.3f}  {row['recall']:6.3f}  "
            f"{row['f1']:5.3f}  {int(row['support']):7d}"
        )
    return "\n".join(lines)


def read_gold_csv(path: str | Path) -> list[tuple[str, set[str]]]:
    """Read a ``text,themes`` CSV (themes separated by ";") into (text, slugs) pairs."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return [(row["text"], set(filter(None, row["themes"].split(";")))) for row in rows]


def evaluate_pipeline(rows: Sequence[tuple[str, set[str]]], pipeline: Language) -> Scores:
    """Tag each text with ``pipeline`` and score the themes against the gold slugs."""
    tagger = cast(ThemeTagger, pipeline.get_pipe("theme_tagger"))
    docs = pipeline.pipe(text for text, _ in rows)
    predicted = [{hit.slug for hit in doc._.themes} for doc in docs]
    return score_themes([gold for _, gold in rows], predicted, tagger.taxonomy.slugs)
