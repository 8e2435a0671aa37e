"""The suggestion scorer on plain values: reasons in words, geography, themes, and its measure."""

from pathlib import Path

import numpy as np

from insights.datasets.evaluation import (
    baseline_ranking,
    measure,
    read_gold,
    scorer_ranking,
    starter_profiles,
)
from insights.datasets.scoring import DatasetProfile, NeedProfile, SuggestionScorer, stem

DATA = Path(__file__).resolve().parents[1] / "data"
GOLD = DATA / "needs_datasets_gold.csv"
STORIES = DATA / "datasets" / "needs_user_stories.csv"

# Floors a little under the figures measured when the scorer was written (see benchmarks/README).
GOLD_TOP1_FLOOR, GOLD_RECALL5_FLOOR = 0.86, 0.82
STORIES_TOP1_FLOOR, STORIES_RECALL5_FLOOR = 0.83, 0.80

WARD_DATA = DatasetProfile(1, "Volunteering rates", keywords=("volunteering",), granularity="ward")
REGION_DATA = DatasetProfile(
    2, "Volunteering rates survey", keywords=("volunteering",), granularity="region"
)


def test_stems_join_plurals_and_verb_forms() -> None:
    assert stem("volunteers") == stem("volunteering") == stem("volunteer")
    assert stem("charities") == stem("charity")
    assert stem("mapping") == stem("maps")


def test_a_borough_level_need_prefers_borough_level_or_finer_data() -> None:
    scorer = SuggestionScorer([REGION_DATA, WARD_DATA])
    ranked = scorer.rank(NeedProfile(1, "Volunteering rates for each borough"))
    assert [s.dataset_id for s in ranked] == [1, 2]
    assert any("fine enough" in r for r in ranked[0].reasons)
    assert any("only at region level" in r for r in ranked[1].reasons)


def test_reasons_name_the_matching_terms_and_the_shared_themes() -> None:
    dataset = DatasetProfile(
        1, "Grants data", keywords=("grants", "funders"), themes=frozenset({"funding-finance"})
    )
    scorer = SuggestionScorer([dataset], theme_names={"funding-finance": "Funding"})
    need = NeedProfile(1, "Which funders give grants here", themes=frozenset({"funding-finance"}))
    (suggestion,) = scorer.rank(need)
    assert "Matching terms: funders, grants" in suggestion.reasons[0]
    assert "Shared themes: Funding." in suggestion.reasons


def test_related_words_match_without_sharing_a_stem() -> None:
    dataset = DatasetProfile(1, "Personal well-being by borough", keywords=("happiness",))
    ranked = SuggestionScorer([dataset]).rank(NeedProfile(1, "Life satisfaction of residents"))
    assert [s.dataset_id for s in ranked] == [1]


def test_a_dataset_named_by_the_tagger_is_suggested_first() -> None:
    named = DatasetProfile(1, "GrantNav", description="A grants search tool")
    other = DatasetProfile(2, "Grants to groups", keywords=("grants", "groups"))
    need = NeedProfile(1, "Grants for groups like ours", named_datasets=frozenset({"GrantNav"}))
    ranked = SuggestionScorer([named, other]).rank(need)
    assert ranked[0].dataset_id == 1
    assert ranked[0].reasons[0] == "Named on the post-it."


def test_data_about_scotland_ranks_below_data_that_covers_london() -> None:
    scotland = DatasetProfile(1, "Grants data", keywords=("grants",), spatial_coverage="Scotland")
    uk = DatasetProfile(2, "Grants data", keywords=("grants",), spatial_coverage="UK")
    ranked = SuggestionScorer([scotland, uk]).rank(NeedProfile(1, "Grants data for Hackney"))
    assert [s.dataset_id for s in ranked] == [2, 1]


def test_excluded_datasets_are_never_suggested() -> None:
    ranked = SuggestionScorer([WARD_DATA, REGION_DATA]).rank(
        NeedProfile(1, "Volunteering rates"), exclude={1}
    )
    assert [s.dataset_id for s in ranked] == [2]


def test_suggestions_beat_plain_bm25_on_the_labelled_needs() -> None:
    profiles = starter_profiles()
    gold = read_gold(GOLD)
    ours = measure(gold, scorer_ranking(profiles))
    baseline = measure(gold, baseline_ranking(profiles))
    assert ours.top1 >= GOLD_TOP1_FLOOR and ours.recall5 >= GOLD_RECALL5_FLOOR, ours
    assert ours.top1 > baseline.top1 and ours.recall5 > baseline.recall5


def test_suggestions_hold_up_on_needs_written_as_user_stories() -> None:
    figures = measure(read_gold(STORIES), scorer_ranking(starter_profiles()))
    assert figures.top1 >= STORIES_TOP1_FLOOR, figures
    assert figures.recall5 >= STORIES_RECALL5_FLOOR, figures


def test_stems_are_snowball_stems_so_word_forms_meet() -> None:
    from insights.datasets.scoring import stem

    assert stem("volunteers") == stem("volunteering") == stem("volunteer")
    assert stem("charities") == stem("charity")


def test_match_strength_in_words() -> None:
    from insights.datasets.scoring import match_strength

    assert match_strength(0.1, 0.0, named=True) == "strong"
    assert match_strength(2.0, 0.8) == "strong"
    assert match_strength(2.0, 0.2) == "possible"  # a high score with few of the need's words
    assert match_strength(1.6, 0.4) == "possible"
    assert match_strength(2.0, 0.1) == "weak"
    assert match_strength(1.0, 0.8) == "weak"


def test_a_dataset_close_in_meaning_is_suggested_without_a_word_in_common() -> None:
    from nlp import embeddings

    food = DatasetProfile(
        1, "Food bank parcels", description="Emergency food parcels handed out, by month."
    )
    rents = DatasetProfile(2, "Private rents", description="Average monthly rents for tenancies.")
    need = NeedProfile(1, "Where do families go hungry")
    assert SuggestionScorer([food, rents]).rank(need) == []  # no word shared
    ranked = SuggestionScorer([food, rents], encoder=embeddings.encode).rank(need)
    assert [s.dataset_id for s in ranked] == [1]  # the rents are not close enough to weigh
    assert ranked[0].strength == "weak"  # meaning alone never makes a strong match


def test_encoding_needs_in_a_batch_ranks_as_encoding_each_alone() -> None:
    from nlp import embeddings

    scorer = SuggestionScorer(starter_profiles(), encoder=embeddings.encode)
    needs = [NeedProfile(1, "Volunteering rates in Hackney"), NeedProfile(2, "Charity grants")]
    assert [scorer.rank(n) for n in scorer.prepare(needs)] == [scorer.rank(n) for n in needs]


def test_closeness_computed_in_a_batch_is_the_closeness_of_each_need_alone() -> None:
    from nlp import embeddings

    scorer = SuggestionScorer(starter_profiles(), encoder=embeddings.encode)
    needs = scorer.prepare([NeedProfile(1, "Grants by borough"), NeedProfile(2, "Volunteers")])
    for need in needs:
        alone = scorer.closeness(NeedProfile(need.id, need.text))
        assert alone is not None and np.allclose(scorer.closeness(need), alone, atol=1e-5)
