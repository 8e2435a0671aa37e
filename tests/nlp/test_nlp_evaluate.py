"""Scoring theme predictions."""

from __future__ import annotations

import pytest

from nlp import score_themes
from nlp.evaluate import format_table

GOLD = [{"a"}, {"a", "b"}, set(), {"b"}]
PREDICTED = [{"a"}, {"a"}, {"b"}, {"b", "c"}]


def test_scores_match_a_hand_computed_example() -> None:
    scores = score_themes(GOLD, PREDICTED, ["a", "b", "c"])
    # a: tp 2, fp 0, fn 0. b: tp 1, fp 1, fn 1. c: tp 0, fp 1, fn 0.
    assert scores["a"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2.0}
    assert scores["b"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2.0}
    assert scores["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0.0}
    # micro: tp 3, fp 2, fn 1.
    assert scores["micro"]["precision"] == pytest.approx(3 / 5)
    assert scores["micro"]["recall"] == pytest.approx(3 / 4)
    assert scores["micro"]["f1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_score_themes_rejects_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        score_themes([{"a"}], [], ["a"])


def test_format_table_lists_each_theme_then_micro() -> None:
    table = format_table(score_themes(GOLD, PREDICTED, ["a", "b"]))
    lines = table.splitlines()
    assert lines[0].split() == ["theme", "precision", "recall", "f1", "support"]
    assert [line.split()[0] for line in lines[1:]] == ["a", "b", "micro"]
    assert lines[-1].split()[1:4] == ["0.750", "0.750", "0.750"]
