"""The taxonomy and the pattern data."""

from __future__ import annotations

import pytest
import spacy

from nlp import Taxonomy, ThemeSpec, derive_patterns, starter_patterns
from nlp.patterns import validate_pattern


def test_version_is_stable_for_equal_content(starter_records: list[dict]) -> None:
    assert Taxonomy.from_records(starter_records).version == (
        Taxonomy.from_records(starter_records).version
    )


def test_version_changes_when_a_theme_changes(starter_records: list[dict]) -> None:
    renamed = [{**starter_records[0], "name": "Renamed"}, *starter_records[1:]]
    assert Taxonomy.from_records(renamed).version != Taxonomy.from_records(starter_records).version


def test_from_records_round_trips_through_to_records() -> None:
    theme = ThemeSpec("a", "A", "about a", [{"id": "x", "lemma": "apple"}], parent="b")
    taxonomy = Taxonomy((theme,))
    assert Taxonomy.from_records(taxonomy.to_records()) == taxonomy


def test_from_records_fills_missing_patterns_from_defaults(starter_records: list[dict]) -> None:
    taxonomy = Taxonomy.from_records(starter_records, default_patterns=starter_patterns())
    assert all(theme.patterns for theme in taxonomy.themes)


def test_from_records_rejects_duplicate_slugs() -> None:
    with pytest.raises(ValueError):
        Taxonomy.from_records([{"slug": "a", "name": "A"}, {"slug": "a", "name": "B"}])


def test_starter_patterns_cover_every_starter_theme(starter_records: list[dict]) -> None:
    patterns = starter_patterns()
    assert set(patterns) == {record["slug"] for record in starter_records}
    assert all(len(theme_patterns) >= 10 for theme_patterns in patterns.values())


def test_starter_pattern_ids_are_unique_and_valid() -> None:
    all_patterns = [p for patterns in starter_patterns().values() for p in patterns]
    assert len({p["id"] for p in all_patterns}) == len(all_patterns)
    assert all(validate_pattern(p) for p in all_patterns)


def test_registered_function_returns_the_starter_patterns() -> None:
    make_patterns = spacy.registry.misc.get("insights.theme_patterns.v1")
    assert make_patterns() == starter_patterns()


def test_starter_patterns_returns_a_fresh_copy() -> None:
    starter_patterns()["volunteering"].clear()
    assert starter_patterns()["volunteering"]


def test_validate_pattern_rejects_a_pattern_with_two_kinds() -> None:
    with pytest.raises(ValueError):
        validate_pattern({"id": "x", "lemma": "a", "phrase": "a"})


def test_derived_patterns_use_content_words_and_description_phrases(blank_nlp) -> None:
    patterns = derive_patterns("Digital inclusion", "broadband access, digital skills", blank_nlp)
    lemmas = {p["lemma"] for p in patterns if "lemma" in p}
    phrases = {p["phrase"] for p in patterns if "phrase" in p}
    assert {"digital", "inclusion", "broadband"} <= lemmas
    assert {"broadband access", "digital skills"} <= phrases
