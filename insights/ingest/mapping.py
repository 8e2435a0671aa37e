"""Headers to fields: words compared without case, punctuation or spacing differences."""

import re
from collections.abc import Mapping, Sequence

QUESTION_START = re.compile(r"^\s*(q\d+|question\s*\d+|\d+[.)])\s*[:.)-]?\s*", re.IGNORECASE)
QUESTION_WORDS = (
    "what", "why", "how", "which", "who", "where", "when", "do", "does", "did", "is", "are",
    "can", "could", "would", "should", "have", "has", "please", "tell", "describe", "name",
    "list", "share",
)  # fmt: skip


def words(header: str) -> str:
    """A header in lower case with single spaces, padded, for matching whole words."""
    return " " + " ".join(re.sub(r"[_./()\-:#?]+", " ", header.lower()).split()) + " "


def is_question(header: str) -> bool:
    """Whether a header is a survey question ("Q1: What…?", "How many…") rather than a name."""
    text = header.strip()
    if text.endswith("?") or QUESTION_START.match(text):
        return True
    spoken = words(text).split()
    return len(spoken) >= 5 and spoken[0] in QUESTION_WORDS


def exact_field(header: str, vocabulary: Mapping[str, Sequence[str]]) -> str | None:
    """The field a header names exactly ("Post-it", "Organization"), if any."""
    spoken = words(header)
    for name, names in vocabulary.items():
        if spoken in {words(word) for word in names}:
            return name
    return None


def loose_field(header: str, vocabulary: Mapping[str, Sequence[str]]) -> str | None:
    """The field of the earliest field word in a short header: "Organisation type" → organisation.

    Question headers never match loosely: "How many employees does your organisation have?"
    is not the organisation's name.
    """
    if is_question(header) or len(words(header).split()) > 4:
        return None
    spoken = words(header)
    found = [
        (spoken.find(words(word)), name)
        for name, names in vocabulary.items()
        for word in names
        if words(word) in spoken
    ]
    return min(found)[1] if found else None
