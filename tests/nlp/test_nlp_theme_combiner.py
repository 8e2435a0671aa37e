"""The theme_textcat and theme_combiner components, and how they are trained and fitted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
import spacy
from spacy.language import Language

from nlp import Gazetteer, Taxonomy, ThemeSpec
from nlp.pipeline import build_pipeline
from nlp.theme_combiner import ThemeCombiner, ThemeMix
from nlp.theme_tagger import ThemeTagger
from nlp.theme_textcat import ThemeTextcat
from nlp.theme_training import (
    TRAINING_CONFIG,
    LabelledText,
    fit_mixes,
    train_textcat,
    train_theme_models,
)

FRUIT = ThemeSpec("fruit", "Fruit", patterns=[{"id": "apple", "phrase": "apple"}])
VEG = ThemeSpec("veg", "Veg", patterns=[{"id": "leek", "phrase": "leek"}])
TOY = Taxonomy((FRUIT, VEG))
TRAIN = [
    ("a ripe plum for lunch", {"fruit": 1.0, "veg": 0.0}),
    ("plum jam on toast", {"fruit": 1.0, "veg": 0.0}),
    ("she picked a plum", {"fruit": 1.0, "veg": 0.0}),
    ("leek soup tonight", {"fruit": 0.0, "veg": 1.0}),
    ("a bag of carrots", {"fruit": 0.0, "veg": 1.0}),
    ("carrots and leek", {"fruit": 0.0, "veg": 1.0}),
    ("the bus was late", {"fruit": 0.0, "veg": 0.0}),
    ("rain again today", {"fruit": 0.0, "veg": 0.0}),
] * 3


@pytest.fixture(scope="module")
def toy() -> Language:
    """A blank pipeline: rules for the toy taxonomy, a small trained classifier, a combiner
    that mixes both for "fruit"."""
    trained = train_textcat(TRAIN, ["fruit", "veg"], epochs=10)
    nlp = spacy.blank("en")
    tagger = cast(ThemeTagger, nlp.add_pipe("theme_tagger"))
    tagger.set_taxonomy(TOY)
    nlp.add_pipe("theme_textcat", source=trained)
    combiner = cast(ThemeCombiner, nlp.add_pipe("theme_combiner"))
    fruit = ThemeMix(weight=0.5, threshold=0.3, patterns=tagger.fingerprint("fruit"))
    combiner.set_mixes({"fruit": fruit})
    return nlp


def test_a_theme_only_the_model_finds_names_the_words_that_raised_it(toy: Language) -> None:
    doc = toy("I ate a plum at the station")
    assert doc._.theme_model_cats["fruit"] > 0.6
    assert doc._.theme_evidence["fruit"] == {"evidence": ["plum"], "patterns": ["model"]}
    assert [hit.slug for hit in doc._.themes] == ["fruit"]


def test_a_theme_the_rules_found_keeps_their_words(toy: Language) -> None:
    doc = toy("an apple a day")
    assert doc._.theme_evidence["fruit"] == {"evidence": ["apple"], "patterns": ["apple"]}


def test_a_theme_not_fitted_is_decided_by_the_rules_alone(toy: Language) -> None:
    doc = toy("a bag of carrots")
    assert doc._.theme_model_cats["veg"] > 0.5
    assert doc.cats["veg"] == 0.0 and "veg" not in doc._.theme_evidence


def test_the_tagger_threshold_still_decides_on_the_final_cats(toy: Language) -> None:
    for doc in toy.pipe(["I ate a plum", "an apple", "the bus", "leek", "plum and leek"]):
        kept = {slug for slug, score in doc.cats.items() if score >= 0.5}
        assert kept == set(doc._.theme_evidence)


def test_after_a_person_edits_a_themes_patterns_the_rules_decide_it_alone() -> None:
    trained = train_textcat(TRAIN, ["fruit", "veg"], epochs=10)
    nlp = spacy.blank("en")
    tagger = cast(ThemeTagger, nlp.add_pipe("theme_tagger"))
    tagger.set_taxonomy(TOY)
    nlp.add_pipe("theme_textcat", source=trained)
    combiner = cast(ThemeCombiner, nlp.add_pipe("theme_combiner"))
    combiner.set_mixes(
        {"fruit": ThemeMix(weight=0.5, threshold=0.3, patterns=tagger.fingerprint("fruit"))}
    )
    assert "fruit" in nlp("a plum")._.theme_evidence
    edited = ThemeSpec("fruit", "Fruit", patterns=[{"id": "pear", "phrase": "pear"}])
    tagger.set_taxonomy(Taxonomy((edited, VEG)))
    assert nlp("a plum")._.theme_evidence == {}


def test_the_trained_components_round_trip_through_disk(toy: Language, tmp_path: Path) -> None:
    toy.to_disk(tmp_path / "toy")
    loaded = spacy.load(tmp_path / "toy")
    texts = ["I ate a plum", "an apple", "leek and carrots"]
    assert [d.cats for d in loaded.pipe(texts)] == [d.cats for d in toy.pipe(texts)]
    assert [d._.themes for d in loaded.pipe(texts)] == [d._.themes for d in toy.pipe(texts)]


def test_two_processes_give_the_same_final_themes(toy: Language) -> None:
    texts = ["I ate a plum", "an apple", "leek and carrots", "the bus"] * 3
    alone = [(doc.cats, doc._.themes) for doc in toy.pipe(texts)]
    shared = [(doc.cats, doc._.themes) for doc in toy.pipe(texts, n_process=2, batch_size=2)]
    assert shared == alone


def test_a_theme_is_mixed_only_when_that_beats_the_rules_by_the_margin() -> None:
    tagger = cast(ThemeTagger, spacy.blank("en").add_pipe("theme_tagger"))
    tagger.set_taxonomy(TOY)
    items = [
        LabelledText(f"t{i}", frozenset({"fruit"} if i < 10 else ()), f"g{i}") for i in range(20)
    ]
    # The rules find fruit in 5 of its 10 texts; the model scores all 10 high, and 2 others.
    rules = [{"fruit": 1.0 if i < 5 else 0.0, "veg": 0.0} for i in range(20)]
    model = [{"fruit": 0.9 if i < 12 else 0.1, "veg": 0.0} for i in range(20)]
    settings = {"weights": [0.5], "thresholds": [0.4, 0.5], "min_gain": 0.02, "min_support": 8}
    mixes = fit_mixes(items, rules, model, ["fruit", "veg"], settings, tagger)
    assert mixes == {
        "fruit": {"weight": 0.5, "threshold": 0.4, "patterns": tagger.fingerprint("fruit")}
    }
    assert fit_mixes(items, rules, model, ["fruit"], settings | {"min_gain": 0.5}, tagger) == {}
    assert fit_mixes(items, rules, model, ["fruit"], settings | {"min_support": 11}, tagger) == {}


def test_the_shipped_pipeline_loads_the_trained_classifier_for_the_starter_themes(
    pipeline: Language, starter_taxonomy: Taxonomy
) -> None:
    textcat = cast(ThemeTextcat, pipeline.get_pipe("theme_textcat"))
    assert set(textcat.labels) == set(starter_taxonomy.slugs)
    doc = pipeline("Volunteering rates fell in the pandemic")
    assert set(doc._.theme_model_cats) == set(starter_taxonomy.slugs)


def test_without_trained_weights_the_rules_decide_alone(
    starter_taxonomy: Taxonomy, tmp_path: Path
) -> None:
    nlp = build_pipeline(starter_taxonomy, gazetteer=Gazetteer(), trained_dir=tmp_path)
    assert "theme_textcat" not in nlp.pipe_names and "theme_combiner" not in nlp.pipe_names
    assert nlp("Volunteering rates fell")._.theme_evidence["volunteering"]


def test_training_mixes_a_theme_the_model_learns_beyond_the_rules(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    cast(ThemeTagger, nlp.add_pipe("theme_tagger")).set_taxonomy(TOY)
    items = [
        LabelledText(text, frozenset(s for s, v in cats.items() if v), f"page-{i % 10}")
        for i, (text, cats) in enumerate(TRAIN * 2)
    ]
    shipped = TRAINING_CONFIG.read_text()
    settings = shipped.replace("weights = [0.5]", "weights = [0.0, 0.5]").replace(
        "min_support = 8", "min_support = 4"
    )
    (tmp_path / "training.cfg").write_text(settings)
    report = train_theme_models(items, nlp, tmp_path, training_config=tmp_path / "training.cfg")
    # The rules know only "apple" and "leek"; every fruit here is a plum.
    assert "fruit" in report.mixes and report.combined_f1 > report.rules_f1 + 0.01
    saved = json.loads((tmp_path / "theme_combiner" / "mixes.json").read_text())
    assert saved == report.mixes
    assert (tmp_path / "theme_textcat" / "model").is_file()
