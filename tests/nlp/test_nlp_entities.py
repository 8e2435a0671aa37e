"""The mention_ruler component: boroughs, places, organisations and datasets."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from spacy.language import Language

from nlp import Gazetteer, Mention
from nlp.entities import MentionRuler


def mentions(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(m.label, m.text, m.key) for m in nlp(text)._.mentions]


def test_boroughs_are_found_with_their_ons_codes(pipeline: Language) -> None:
    found = mentions(pipeline, "Volunteers in Hackney, Tower Hamlets and Barking and Dagenham")
    assert found == [
        ("BOROUGH", "Hackney", "E09000012"),
        ("BOROUGH", "Tower Hamlets", "E09000030"),
        ("BOROUGH", "Barking and Dagenham", "E09000002"),
    ]


def test_common_short_forms_of_borough_names_are_found(pipeline: Language) -> None:
    text = "Kingston, Richmond, Hammersmith & Fulham and the Royal Borough of Greenwich"
    assert [key for _, _, key in mentions(pipeline, text)] == [
        "E09000021",
        "E09000027",
        "E09000013",
        "E09000011",
    ]


def test_mention_offsets_point_at_the_text(pipeline: Language) -> None:
    text = "Data from Lambeth"
    (mention,) = pipeline(text)._.mentions
    assert text[mention.start_char : mention.end_char] == "Lambeth"
    assert mention == Mention("BOROUGH", "Lambeth", 10, 17, "E09000022")


def test_single_word_names_match_only_with_their_capitals(pipeline: Language) -> None:
    assert mentions(pipeline, "a harrow, a sutton hoo and some locality data") == []


def test_sector_organisations_get_canonical_names(pipeline: Language) -> None:
    text = "We asked the GLA, NCVO, the Charity Commission, ONS and London Councils"
    assert [(label, key) for label, _, key in mentions(pipeline, text)] == [
        ("ORG", "Greater London Authority"),
        ("ORG", "NCVO"),
        ("ORG", "Charity Commission"),
        ("ORG", "Office for National Statistics"),
        ("ORG", "London Councils"),
    ]


def test_cvs_names_are_organisations_not_boroughs(pipeline: Language) -> None:
    found = mentions(pipeline, "Hackney CVS and Kingston Voluntary Action CVS met")
    assert found == [
        ("ORG", "Hackney CVS", "Hackney CVS"),
        ("ORG", "Kingston Voluntary Action CVS", "Kingston Voluntary Action CVS"),
    ]


def test_places_beyond_the_boroughs(pipeline: Language) -> None:
    found = mentions(pipeline, "North London differs from England, Wales and the UK")
    assert [key for _, _, key in found] == ["North London", "England", "Wales", "United Kingdom"]


def test_datasets_come_from_the_callers_titles_and_short_names(pipeline: Language) -> None:
    text = "We use GrantNav, the IMD, the Civil Society Almanac and the charity register"
    assert [(label, key) for label, _, key in mentions(pipeline, text)] == [
        ("DATASET", "GrantNav"),
        ("DATASET", "English Indices of Deprivation"),
        ("DATASET", "UK Civil Society Almanac"),
        ("DATASET", "Register of Charities"),
    ]


def test_mentions_work_on_a_blank_pipeline(blank_nlp: Language) -> None:
    ruler = cast(MentionRuler, blank_nlp.add_pipe("mention_ruler"))
    ruler.set_gazetteer(Gazetteer.from_values([("E09000012", "Hackney")], ["GrantNav"]))
    assert mentions(blank_nlp, "Hackney CVS uses GrantNav in Hackney") == [
        ("ORG", "Hackney CVS", "Hackney CVS"),
        ("DATASET", "GrantNav", "GrantNav"),
        ("BOROUGH", "Hackney", "E09000012"),
    ]


def test_gazetteer_version_follows_its_content() -> None:
    one = Gazetteer.from_values([("E09000012", "Hackney")])
    assert one.version == Gazetteer.from_values([("E09000012", "Hackney")]).version
    assert one.version != Gazetteer.from_values([("E09000012", "Hackney")], ["GrantNav"]).version


def test_mention_ruler_round_trips_through_disk(blank_nlp: Language, tmp_path: Path) -> None:
    ruler = MentionRuler(blank_nlp)
    ruler.set_gazetteer(Gazetteer.from_values([("E09000007", "Camden")], {"GrantNav": ["GN"]}))
    ruler.to_disk(tmp_path / "ruler")
    loaded = MentionRuler(blank_nlp).from_disk(tmp_path / "ruler")
    assert loaded.gazetteer == ruler.gazetteer
    doc = blank_nlp.make_doc("Camden uses GN")
    assert loaded(doc)._.mentions == ruler(blank_nlp.make_doc("Camden uses GN"))._.mentions
