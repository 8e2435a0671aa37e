"""Score predicted theme sets against gold sets, and a pipeline against a gold CSV."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.training import Example

from nlp.needs import NeedDraft, parse_need
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
    """Tag each text with ``pipeline`` and score the ``doc.cats`` it writes against the gold
    slugs with spaCy's own `Scorer.score_cats` (multi-label, at the tagger's threshold), in
    the shape `score_themes` returns."""
    tagger = cast(ThemeTagger, pipeline.get_pipe("theme_tagger"))
    slugs = tagger.taxonomy.slugs
    docs = pipeline.pipe(text for text, _ in rows)
    examples = [
        Example.from_dict(doc, {"cats": {slug: float(slug in gold) for slug in slugs}})
        for doc, (_, gold) in zip(docs, rows, strict=True)
    ]
    scored = Scorer.score_cats(
        examples, "cats", labels=slugs, multi_label=True, threshold=tagger.threshold
    )
    support = {slug: float(sum(slug in gold for _, gold in rows)) for slug in slugs}
    scores: Scores = {
        slug: _from_spacy(scored["cats_f_per_type"][slug], support[slug]) for slug in slugs
    }
    micro = {"p": scored["cats_micro_p"], "r": scored["cats_micro_r"], "f": scored["cats_micro_f"]}
    scores["micro"] = _from_spacy(micro, sum(support.values()))
    return scores


def _from_spacy(prf: dict[str, float], support: float) -> dict[str, float]:
    """spaCy's p / r / f as precision / recall / f1, with the gold support."""
    return {"precision": prf["p"], "recall": prf["r"], "f1": prf["f"], "support": support}


# Openings a goal must not keep: they belong to the sentence, not to what is needed.
_GOAL_FILLER = re.compile(r"^(would|it would|we|i|need|needs|want|have|having|be)\b", re.I)
_BENEFIT_ASKED = re.compile(r"\bso (that|we|it|i)\b", re.I)


def need_problems(draft: NeedDraft, text: str, gold_role: str) -> list[str]:
    """Why a drafted "As a / I need / so that" is not sensible (empty when it is): the role
    must be the gold one ("" for the writer), the goal a reworded ask (not the text copied,
    not a question, not "would be great to have …"), and a "so that" keep its benefit."""
    problems = []
    role, gold = _role_key(draft.role), _role_key(gold_role)
    if not (role == gold or (role and gold and (role in gold or gold in role))):
        problems.append(f"role {draft.role!r}, not {gold_role!r}")
    if not draft.goal:
        problems.append("no goal")
    elif draft.goal.rstrip("?. ") == text.rstrip("?. "):
        problems.append("goal copies the text")
    elif _GOAL_FILLER.match(draft.goal):
        problems.append("goal keeps the sentence's opening")
    if _BENEFIT_ASKED.search(text) and not draft.benefit:
        problems.append("benefit lost")
    return problems


def _role_key(role: str) -> str:
    return re.sub(r"^(a|an|the)\s+", "", role.strip().lower())


def evaluate_needs(
    rows: Sequence[tuple[str, str]], pipeline: Language
) -> list[tuple[str, NeedDraft, list[str]]]:
    """Draft each (text, gold role) need and say what is wrong with each draft."""
    docs = pipeline.pipe(text for text, _ in rows)
    drafted = [(text, parse_need(doc), role) for (text, role), doc in zip(rows, docs, strict=True)]
    return [(text, draft, need_problems(draft, text, role)) for text, draft, role in drafted]
