"""The theme_tagger component."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from nlp import Taxonomy, ThemeSpec
from nlp.theme_tagger import ThemeTagger

DIGITAL = ThemeSpec(
    "digital-inclusion",
    "Digital inclusion",
    "digital exclusion, broadband and devices, online services, digital skills of residents",
)
TOY = Taxonomy(
    (
        ThemeSpec("fruit", "Fruit", patterns=[{"id": "apple", "phrase": "apple"}]),
        ThemeSpec("veg", "Veg", patterns=[{"id": "leek", "phrase": "leek", "weight": 0.4}]),
    )
)


def slugs(nlp: Language, text: str) -> list[str]:
    return [hit.slug for hit in nlp(text)._.themes]


def add_tagger(nlp: Language, **config: float) -> ThemeTagger:
    return cast(ThemeTagger, nlp.add_pipe("theme_tagger", config=config))


def test_tagger_finds_several_themes_with_evidence(pipeline: Language) -> None:
    doc = pipeline("We need borough-level data on grants and volunteering rates")
    hits = {hit.slug: hit for hit in doc._.themes}
    assert {"funding-finance", "volunteering", "geography-comparison"} <= set(hits)
    assert "grants" in hits["funding-finance"].evidence
    assert hits["volunteering"].pattern_ids


def test_hits_are_sorted_by_score_within_zero_and_one(pipeline: Language) -> None:
    hits = pipeline("Small charities lost grants and volunteers in the pandemic")._.themes
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)


def test_the_word_data_alone_does_not_suggest_finding_and_accessing_data(
    pipeline: Language,
) -> None:
    assert "access-availability" not in slugs(pipeline, "We collect lots of data")


def test_finding_data_suggests_finding_and_accessing_data(pipeline: Language) -> None:
    assert "access-availability" in slugs(pipeline, "We never know whether the data exists")


def test_cost_of_living_crisis_is_community_need_not_crisis_response(pipeline: Language) -> None:
    found = slugs(pipeline, "The cost of living crisis is hitting families hard")
    assert "community-need" in found
    assert "crisis-response" not in found


def test_unregistered_groups_are_tagged_grassroots(pipeline: Language) -> None:
    assert "grassroots-unregistered" in slugs(pipeline, "Below-the-radar groups are invisible")


def test_a_statement_about_nothing_in_particular_gets_no_theme(pipeline: Language) -> None:
    assert slugs(pipeline, "Share the round-up with everyone after lunch") == []


def test_user_theme_without_patterns_is_tagged_via_derived_patterns(
    pipeline: Language, starter_taxonomy: Taxonomy
) -> None:
    tagger = ThemeTagger(pipeline, threshold=0.5)
    tagger.set_taxonomy(Taxonomy((*starter_taxonomy.themes, DIGITAL)))
    doc = tagger(pipeline("Residents without broadband or devices are cut off"))
    hit = next(hit for hit in doc._.themes if hit.slug == "digital-inclusion")
    assert {"broadband", "devices"} <= set(hit.evidence)


def test_derived_patterns_work_without_a_lemmatizer(blank_nlp: Language) -> None:
    tagger = add_tagger(blank_nlp)
    tagger.set_taxonomy(Taxonomy((DIGITAL,)))
    assert slugs(blank_nlp, "No broadband at home") == ["digital-inclusion"]


def test_threshold_drops_themes_with_only_weak_evidence(blank_nlp: Language) -> None:
    add_tagger(blank_nlp, threshold=0.5).set_taxonomy(TOY)
    assert slugs(blank_nlp, "an apple and a leek") == ["fruit"]


def test_lower_threshold_keeps_weak_themes(blank_nlp: Language) -> None:
    add_tagger(blank_nlp, threshold=0.3).set_taxonomy(TOY)
    assert slugs(blank_nlp, "an apple and a leek") == ["fruit", "veg"]


def test_initialize_takes_taxonomy_records(blank_nlp: Language) -> None:
    tagger = add_tagger(blank_nlp)
    tagger.initialize(lambda: [], nlp=blank_nlp, taxonomy_records=TOY.to_records())
    assert tagger.taxonomy == TOY


def test_to_disk_from_disk_round_trip_gives_identical_results(
    pipeline: Language, starter_taxonomy: Taxonomy, tmp_path: Path
) -> None:
    tagger = ThemeTagger(pipeline, threshold=0.4)
    tagger.set_taxonomy(Taxonomy((*starter_taxonomy.themes, DIGITAL)))
    tagger.to_disk(tmp_path / "tagger")
    loaded = ThemeTagger(pipeline).from_disk(tmp_path / "tagger")
    texts = ["Broadband and grants for small groups by ward", "Survey fatigue everywhere"]
    for text in texts:
        assert tagger(pipeline(text))._.themes == loaded(pipeline(text))._.themes
    assert loaded.threshold == 0.4
    assert loaded.taxonomy.version == tagger.taxonomy.version


def test_whole_pipeline_round_trips_through_disk(blank_nlp: Language, tmp_path: Path) -> None:
    add_tagger(blank_nlp).set_taxonomy(TOY)
    blank_nlp.to_disk(tmp_path / "nlp")
    reloaded = spacy.load(tmp_path / "nlp")
    assert slugs(reloaded, "an apple") == slugs(blank_nlp, "an apple") == ["fruit"]


def test_starter_taxonomy_runs_on_a_blank_pipeline(
    blank_nlp: Language, starter_taxonomy: Taxonomy
) -> None:
    add_tagger(blank_nlp).set_taxonomy(starter_taxonomy)
    assert "funding-finance" in slugs(blank_nlp, "GrantNav shows how many charities get grants")


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_valid_hits(text: str) -> None:
    nlp = spacy.blank("en")
    add_tagger(nlp).set_taxonomy(TOY)
    for hit in nlp(text)._.themes:
        assert 0.0 < hit.score <= 1.0 and hit.evidence and hit.pattern_ids
