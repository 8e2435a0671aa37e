"""How strong the evidence for a suggested theme is, in words a reviewer can use.

The rules give every match a confidence of 1.0, so "confidence 100%" says nothing. What does
tell a reviewer something is how much of the post-it points at the theme: several distinct
phrases, or one specific phrase of several words, is stronger than a single common word."""

from dataclasses import dataclass
from typing import Any

STRONG_MODEL, SOME_MODEL = 0.8, 0.6


@dataclass(frozen=True)
class Strength:
    """A level (strong, some, weak, person) and a short phrase explaining it."""

    level: str
    label: str


def evidence_strength(tag: Any) -> Strength:
    """The strength of one tag's evidence, from its source, matched words and confidence."""
    if tag.source == "person":
        return Strength("person", "added by a person")
    if tag.source == "model":
        return model_strength(float(tag.confidence or 0.0))
    phrases = {" ".join(str(p).lower().split()) for p in (tag.evidence or []) if str(p).strip()}
    if len(phrases) >= 2:
        return Strength("strong", f"strong evidence: {len(phrases)} phrases match")
    if phrases and len(next(iter(phrases)).split()) >= 2:
        return Strength("some", "some evidence: one specific phrase matches")
    if phrases:
        return Strength("weak", "weak evidence: one word matches")
    return Strength("weak", "weak evidence: no words recorded")


def model_strength(confidence: float) -> Strength:
    """A trained model's suggestion, by how sure it is."""
    percent = f"{confidence:.0%}"
    if confidence >= STRONG_MODEL:
        return Strength("strong", f"strong evidence: the model is {percent} sure")
    if confidence >= SOME_MODEL:
        return Strength("some", f"some evidence: the model is {percent} sure")
    return Strength("weak", f"weak evidence: the model is {percent} sure")
