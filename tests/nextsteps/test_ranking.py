"""The priority score: every factor moves it the right way, and weights are checked."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights.nextsteps.ranking import (
    DEFAULT_WEIGHTS,
    FACTORS,
    Factors,
    WeightError,
    check_weights,
    score,
)

counts = st.integers(min_value=0, max_value=200)
weights = st.fixed_dictionaries({name: st.integers(1, 10) for name in FACTORS})


@st.composite
def factors(draw: st.DrawFn) -> Factors:
    """Any step's factors (unmet needs never exceed needs)."""
    needs = draw(counts)
    return Factors(
        votes=draw(counts),
        needs=needs,
        unmet_needs=draw(st.integers(0, needs)),
        organisations=draw(counts),
        boroughs=draw(st.integers(0, 33)),
        impact=draw(st.none() | st.integers(1, 5)),
        effort=draw(st.sampled_from([None, "S", "M", "L"])),
    )


def total(f: Factors, w: dict[str, int] = DEFAULT_WEIGHTS) -> float:
    return score(f, w).total


@given(factors(), weights)
def test_the_score_is_between_0_and_100_and_its_parts_add_up(f: Factors, w: dict[str, int]) -> None:
    result = score(f, w)
    assert 0 <= result.total <= 100
    assert result.total == pytest.approx(sum(p.points for p in result.parts))
    assert [p.name for p in result.parts] == list(FACTORS)


@pytest.mark.parametrize("name", ["votes", "organisations", "boroughs"])
@given(f=factors(), w=weights)
def test_more_of_a_count_raises_the_score(name: str, f: Factors, w: dict[str, int]) -> None:
    more = replace(f, **{name: getattr(f, name) + 1})
    assert total(more, w) > total(f, w)


@given(factors(), weights)
def test_another_need_raises_the_score(f: Factors, w: dict[str, int]) -> None:
    assert total(replace(f, needs=f.needs + 1), w) > total(f, w)


@given(factors(), weights)
def test_a_need_that_is_a_gap_counts_more_than_one_that_is_met(
    f: Factors, w: dict[str, int]
) -> None:
    met = replace(f, needs=f.needs + 1)
    unmet = replace(f, needs=f.needs + 1, unmet_needs=f.unmet_needs + 1)
    assert total(unmet, w) > total(met, w)


@given(factors(), weights, st.integers(1, 4))
def test_higher_impact_raises_the_score(f: Factors, w: dict[str, int], impact: int) -> None:
    assert total(replace(f, impact=impact + 1), w) > total(replace(f, impact=impact), w)
    assert total(replace(f, impact=1), w) > total(replace(f, impact=None), w) - 1e-9


@given(factors(), weights)
def test_less_effort_raises_the_score(f: Factors, w: dict[str, int]) -> None:
    small, medium, large = (total(replace(f, effort=e), w) for e in ("S", "M", "L"))
    assert small > medium > large
    assert total(replace(f, effort=None), w) == pytest.approx(medium)


@given(factors(), weights)
def test_a_factor_weighted_zero_changes_nothing(f: Factors, w: dict[str, int]) -> None:
    w = {**w, "votes": 0}
    assert total(replace(f, votes=f.votes + 5), w) == pytest.approx(total(f, w))


@given(factors(), factors())
def test_a_step_with_every_factor_at_least_as_good_scores_at_least_as_high(
    a: Factors, b: Factors
) -> None:
    effort_rank = {"S": 2, "M": 1, None: 1, "L": 0}
    better = Factors(
        votes=max(a.votes, b.votes),
        needs=max(a.needs, b.needs),
        unmet_needs=max(a.unmet_needs, b.unmet_needs),
        organisations=max(a.organisations, b.organisations),
        boroughs=max(a.boroughs, b.boroughs),
        impact=max(a.impact or 0, b.impact or 0) or None,
        effort=max([a.effort, b.effort], key=lambda e: effort_rank[e]),
    )
    assert total(better) >= max(total(a), total(b)) - 1e-9


def test_parts_show_each_raw_value_beside_its_points() -> None:
    parts = {
        p.name: p for p in score(Factors(votes=4, impact=None, effort="S"), DEFAULT_WEIGHTS).parts
    }
    assert parts["votes"].value == "4" and parts["votes"].share == 0.5
    assert parts["impact"].value == "not set" and parts["impact"].points == 0
    assert parts["effort"].value == "S" and parts["effort"].share == 1.0


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"votes": 11}, "between 0 and 10"),
        ({"impact": -1}, "between 0 and 10"),
        ({"effort": "lots"}, "whole number"),
        ({"votes": "2.5"}, "whole number"),
        ({name: 0 for name in FACTORS}, "At least one weight"),
        ({"charisma": 3}, "Unknown factor"),
    ],
)
def test_weights_out_of_range_are_refused_with_a_message(
    weights: dict[str, object], message: str
) -> None:
    with pytest.raises(WeightError, match=message):
        check_weights(weights)


def test_weights_in_range_are_kept_and_missing_ones_take_their_default() -> None:
    checked = check_weights({"votes": "10", "impact": 0})
    assert checked["votes"] == 10 and checked["impact"] == 0
    assert checked["needs"] == DEFAULT_WEIGHTS["needs"]
