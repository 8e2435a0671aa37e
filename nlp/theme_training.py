"""Train the ``theme_textcat`` and fit the ``theme_combiner`` with spaCy's own training.

The classifier's architecture is the ``theme_textcat`` block of ``config.cfg``; how it is
trained (optimizer, batcher, epochs, dropout) and how the combiner is fitted is
``theme_training.cfg``. Training drives ``nlp.initialize`` and ``nlp.update`` with those
settings. The combiner is fitted on the classifier's scores for groups (pages) it was not
trained on, so its choices are not learnt from the classifier's own training texts.

``python -m nlp.theme_training`` trains on the tune pages of the real corpus and the team's
own set and writes the shipped weights to ``nlp/models/themes``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, registry
from thinc.api import Config

from nlp.corpus import read_corpus
from nlp.entities import Gazetteer
from nlp.evaluate import read_gold_csv, score_themes
from nlp.pipeline import TRAINED_DIR, build_pipeline
from nlp.taxonomy import Taxonomy
from nlp.theme_combiner import ThemeMix
from nlp.theme_tagger import ThemeTagger
from nlp.theme_textcat import ThemeTextcat

NLP_DIR = Path(__file__).parent
PIPELINE_CONFIG = NLP_DIR / "config.cfg"
TRAINING_CONFIG = NLP_DIR / "theme_training.cfg"
TEXTCAT = "theme_textcat"
COMBINER = "theme_combiner"


@dataclass(frozen=True)
class LabelledText:
    """A text, the themes a person gave it, and the group (page) it came from."""

    text: str
    themes: frozenset[str]
    group: str


def train_textcat(
    examples: Sequence[tuple[str, Mapping[str, float]]],
    labels: Sequence[str],
    *,
    training_config: Path = TRAINING_CONFIG,
    factory: str = TEXTCAT,
    epochs: int | None = None,
    seed: int | None = None,
) -> Language:
    """A blank pipeline with a ``theme_textcat`` (or, for the app's own classifier, another
    textcat factory) trained on (text, cats) pairs; cats may leave out the labels nobody
    decided. ``epochs`` and ``seed`` override the training config's."""
    settings = Config().from_disk(training_config)
    resolved = registry.resolve(settings["training"])
    seed = resolved["seed"] if seed is None else seed
    fix_random_seed(seed)
    nlp = spacy.blank(settings["nlp"]["lang"])
    textcat = cast(ThemeTextcat, nlp.add_pipe(factory, config=textcat_settings()))
    for label in labels:
        textcat.add_label(label)
    train = [Example.from_dict(nlp.make_doc(text), {"cats": dict(cats)}) for text, cats in examples]
    optimizer = nlp.initialize(lambda: train, sgd=resolved["optimizer"])
    rng = random.Random(seed)
    for _ in range(resolved["max_epochs"] if epochs is None else epochs):
        rng.shuffle(train)
        for batch in resolved["batcher"](train):
            nlp.update(batch, sgd=optimizer, drop=resolved["dropout"])
    return nlp


def textcat_settings() -> dict[str, Any]:
    """The ``theme_textcat`` block of config.cfg, without its factory."""
    block = Config().from_disk(PIPELINE_CONFIG)["components"][TEXTCAT]
    return {key: value for key, value in block.items() if key != "factory"}


@dataclass(frozen=True)
class TrainingReport:
    """The mixes chosen, and the micro-F1 of the rules alone and of the combination on
    folds of groups the combiner was not fitted on (nested inside the out-of-fold scores)."""

    mixes: dict[str, ThemeMix]
    rules_f1: float
    combined_f1: float


def train_theme_models(
    items: Sequence[LabelledText],
    pipeline: Language,
    output: Path,
    *,
    training_config: Path = TRAINING_CONFIG,
) -> TrainingReport:
    """Train the classifier on every item, fit the combiner on out-of-fold scores, and save
    both under ``output`` (one folder per component). The combiner mixes no theme unless
    mixing beats the rules alone on folds it was not fitted on."""
    tagger = cast(ThemeTagger, pipeline.get_pipe("theme_tagger"))
    labels = [slug for slug in tagger.taxonomy.slugs if any(slug in i.themes for i in items)]
    rules = rule_scores(pipeline, [item.text for item in items])
    model = out_of_fold_scores(items, labels, training_config=training_config)
    settings = Config().from_disk(training_config)["combiner"]
    mixes = fit_mixes(items, rules, model, labels, settings, tagger)
    rules_f1, combined_f1 = cross_validated_f1(items, rules, model, labels, settings, tagger)
    if combined_f1 < rules_f1 + settings["min_overall_gain"]:
        mixes = {}
    final = train_textcat(_examples(items, labels), labels, training_config=training_config)
    output.mkdir(parents=True, exist_ok=True)
    cast(ThemeTextcat, final.get_pipe(TEXTCAT)).to_disk(output / TEXTCAT, exclude=["vocab"])
    (output / COMBINER).mkdir(parents=True, exist_ok=True)
    (output / COMBINER / "mixes.json").write_text(json.dumps(mixes, indent=2, sort_keys=True))
    return TrainingReport(mixes, rules_f1, combined_f1)


def cross_validated_f1(
    items: Sequence[LabelledText],
    rules: Sequence[Mapping[str, float]],
    model: Sequence[Mapping[str, float]],
    labels: Sequence[str],
    settings: Mapping[str, Any],
    tagger: ThemeTagger,
) -> tuple[float, float]:
    """Micro-F1 of the rules alone and of mixes fitted without each fold's groups."""
    folds = int(settings["folds"])
    groups = sorted({item.group for item in items})
    fold_of = {group: index % folds for index, group in enumerate(groups)}
    combined: list[set[str]] = [set() for _ in items]
    for fold in range(folds):
        fit = [i for i, item in enumerate(items) if fold_of[item.group] != fold]
        mixes = fit_mixes(
            [items[i] for i in fit],
            [rules[i] for i in fit],
            [model[i] for i in fit],
            labels,
            settings,
            tagger,
        )
        for i, item in enumerate(items):
            if fold_of[item.group] == fold:
                combined[i] = _decide(rules[i], model[i], mixes, tagger.threshold)
    gold = [set(item.themes) for item in items]
    alone = [_decide(r, {}, {}, tagger.threshold) for r in rules]
    return (
        score_themes(gold, alone, labels)["micro"]["f1"],
        score_themes(gold, combined, labels)["micro"]["f1"],
    )


def _decide(
    rules: Mapping[str, float],
    model: Mapping[str, float],
    mixes: Mapping[str, ThemeMix],
    threshold: float,
) -> set[str]:
    """The themes kept, as the combiner keeps them."""
    kept = set()
    for slug, score in rules.items():
        if slug in mixes and slug in model:
            mix = mixes[slug]
            score = mix["weight"] * score + (1 - mix["weight"]) * model[slug]
            threshold_here = mix["threshold"]
        else:
            threshold_here = threshold
        if score >= threshold_here:
            kept.add(slug)
    return kept


def rule_scores(pipeline: Language, texts: Sequence[str]) -> list[dict[str, float]]:
    """The rule tagger's scores for each text, with any trained components left out."""
    disable = [name for name in (TEXTCAT, COMBINER) if name in pipeline.pipe_names]
    return [dict(doc.cats) for doc in pipeline.pipe(texts, disable=disable)]


def out_of_fold_scores(
    items: Sequence[LabelledText], labels: Sequence[str], *, training_config: Path
) -> list[dict[str, float]]:
    """Each item's classifier scores from a model trained without its group's fold."""
    folds = int(Config().from_disk(training_config)["combiner"]["folds"])
    groups = sorted({item.group for item in items})
    fold_of = {group: index % folds for index, group in enumerate(groups)}
    scores: list[dict[str, float]] = [{} for _ in items]
    for fold in range(folds):
        inside = [i for i, item in enumerate(items) if fold_of[item.group] != fold]
        outside = [i for i, item in enumerate(items) if fold_of[item.group] == fold]
        nlp = train_textcat(
            _examples([items[i] for i in inside], labels), labels, training_config=training_config
        )
        docs = nlp.pipe(items[i].text for i in outside)
        for i, doc in zip(outside, docs, strict=True):
            scores[i] = dict(doc._.theme_model_cats)
    return scores


def fit_mixes(
    items: Sequence[LabelledText],
    rules: Sequence[Mapping[str, float]],
    model: Sequence[Mapping[str, float]],
    labels: Sequence[str],
    settings: Mapping[str, Any],
    tagger: ThemeTagger,
) -> dict[str, ThemeMix]:
    """Per theme, the weight and threshold with the best F1 over the out-of-fold scores,
    kept only when it beats the rules alone by ``min_gain`` on ``min_support`` cases."""
    gold = [set(item.themes) for item in items]
    mixes: dict[str, ThemeMix] = {}
    for slug in labels:
        alone = [{slug} if r.get(slug, 0.0) >= tagger.threshold else set() for r in rules]
        base = score_themes(gold, alone, [slug])[slug]
        if base["support"] < settings["min_support"]:
            continue
        tried = [
            (_mixed_f1(slug, gold, rules, model, weight, threshold), weight, threshold)
            for weight in settings["weights"]
            for threshold in settings["thresholds"]
        ]
        f1, weight, threshold = max(tried, key=lambda t: (t[0], -abs(t[2] - 0.5)))
        if f1 >= base["f1"] + settings["min_gain"]:
            mixes[slug] = ThemeMix(
                weight=weight, threshold=threshold, patterns=tagger.fingerprint(slug)
            )
    return mixes


def _mixed_f1(
    slug: str,
    gold: list[set[str]],
    rules: Sequence[Mapping[str, float]],
    model: Sequence[Mapping[str, float]],
    weight: float,
    threshold: float,
) -> float:
    predicted = [
        {slug}
        if weight * r.get(slug, 0.0) + (1 - weight) * m.get(slug, 0.0) >= threshold
        else set()
        for r, m in zip(rules, model, strict=True)
    ]
    return score_themes(gold, predicted, [slug])[slug]["f1"]


def _examples(
    items: Sequence[LabelledText], labels: Sequence[str]
) -> list[tuple[str, dict[str, float]]]:
    return [(item.text, {slug: float(slug in item.themes) for slug in labels}) for item in items]


def main(argv: Sequence[str] | None = None) -> None:
    """Train on the tune pages of a corpus plus the team's own set; write the weights."""
    parser = argparse.ArgumentParser(prog="python -m nlp.theme_training", description=main.__doc__)
    parser.add_argument("corpus", type=Path, help="a folder with pages.csv and statements.csv")
    parser.add_argument("themes_json", type=Path, help='a file like {"themes": [...]}')
    parser.add_argument("--extra", type=Path, action="append", default=[], help="a gold CSV")
    parser.add_argument("--output", type=Path, default=TRAINED_DIR)
    parser.add_argument("--config", type=Path, default=TRAINING_CONFIG, help="training settings")
    args = parser.parse_args(argv)
    items = [LabelledText(s.text, s.themes, s.page) for s in read_corpus(args.corpus, split="tune")]
    for path in args.extra:
        rows = read_gold_csv(path)
        items += [  # the team's sets have no pages: groups of ten rows stand for them
            LabelledText(text, frozenset(themes), f"{path.stem}-{i // 10}")
            for i, (text, themes) in enumerate(rows)
        ]
    records = json.loads(args.themes_json.read_text(encoding="utf-8"))["themes"]
    pipeline = build_pipeline(Taxonomy.from_records(records), gazetteer=Gazetteer(), trained=False)
    report = train_theme_models(items, pipeline, args.output, training_config=args.config)
    print(f"trained on {len(items)} texts; mixed: {', '.join(sorted(report.mixes)) or 'none'}")
    print(
        f"micro-F1 on folds the combiner was not fitted on: rules {report.rules_f1:.3f}, "
        f"combined {report.combined_f1:.3f}"
    )


if __name__ == "__main__":
    main()
