"""The evidence strength shown instead of "confidence 100%"."""

from types import SimpleNamespace

from insights.themes.strength import evidence_strength


def tag(source: str = "rule", evidence: list[str] | None = None, confidence: float = 1.0):  # type: ignore[no-untyped-def]
    return SimpleNamespace(source=source, evidence=evidence or [], confidence=confidence)


def test_one_common_word_is_weak_evidence() -> None:
    assert evidence_strength(tag(evidence=["volunteering"])).level == "weak"


def test_one_specific_phrase_is_some_evidence() -> None:
    assert evidence_strength(tag(evidence=["ward-level data", "Ward-level  data"])).level == "some"


def test_several_distinct_phrases_are_strong_evidence() -> None:
    strength = evidence_strength(tag(evidence=["grants", "funders", "grants"]))
    assert (strength.level, strength.label) == ("strong", "strong evidence: 2 phrases match")


def test_a_models_suggestion_is_as_strong_as_it_is_sure() -> None:
    assert evidence_strength(tag("model", confidence=0.91)).level == "strong"
    assert evidence_strength(tag("model", confidence=0.65)).level == "some"
    assert evidence_strength(tag("model", confidence=0.4)).label == (
        "weak evidence: the model is 40% sure"
    )


def test_a_persons_tag_says_so() -> None:
    assert evidence_strength(tag("person")).label == "added by a person"
