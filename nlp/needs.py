"""Draft a structured need (role, goal, benefit) from a parsed statement."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

NEED_VERBS = frozenset({"need", "want", "require", "like", "love", "wish", "help", "ask"})
# Longest first, so "so that" wins over "so".
BENEFIT_MARKERS = (
    ("which", "would", "help", "us"),
    ("which", "would", "let", "us"),
    ("which", "will", "help", "us"),
    ("which", "will", "let", "us"),
    ("in", "order", "to"),
    ("so", "as", "to"),
    ("to", "help", "us"),
    ("so", "that"),
    ("so",),
)
SUBJECT_PRONOUNS = frozenset({"i", "we", "you", "they", "it", "us", "me", "one", "there"})
STRIP_CHARS = " ,.;:-–—!?\"'"


@dataclass(frozen=True)
class NeedDraft:
    """A need in the "As a <role>, I need <goal>, so that <benefit>" shape; parts may be ""."""

    role: str = ""
    goal: str = ""
    benefit: str = ""


def parse_need(doc: Doc) -> NeedDraft:
    """Draft role, goal and benefit from a statement parsed with a dependency parser.

    Handles "As a <role>, I need <goal> so that <benefit>", "<role> want <goal>",
    "We need to <goal> so we can <benefit>", bare "Need <goal>" and "It would help to
    <goal> in order to <benefit>". A pronoun subject (we, I, it) gives an empty role.
    """
    main_end, benefit = _split_benefit(doc)
    main = doc[:main_end]
    role, main = _explicit_role(main)
    verb = _need_verb(main)
    if verb is None:
        return NeedDraft(role, _clean(main.text), benefit)
    goal = _clean(doc[verb.i + 1 + _skip_for(verb) : main.end].text)
    return NeedDraft(role or _subject_role(verb), goal, benefit)


def _split_benefit(doc: Doc) -> tuple[int, str]:
    """Return where the benefit clause starts and its text (after the marker)."""
    lowers = [token.lower_ for token in doc]
    for i in range(len(doc)):
        for marker in BENEFIT_MARKERS:
            if tuple(lowers[i : i + len(marker)]) == marker and _is_benefit(doc, i, marker):
                return i, _clean(doc[i + len(marker) :].text)
    return len(doc), ""


def _is_benefit(doc: Doc, i: int, marker: tuple[str, ...]) -> bool:
    """A bare "so" introduces a benefit only as a conjunction ("so we can"), not "so many"."""
    if marker != ("so",) or i == 0:
        return i > 0
    following = doc[i + 1] if i + 1 < len(doc) else None
    return doc[i].dep_ == "mark" or (following is not None and following.pos_ == "PRON")


def _explicit_role(main: Span) -> tuple[str, Span]:
    """Split off a leading "As a <role>," and return the role and the rest."""
    if len(main) < 3 or main[0].lower_ != "as":
        return "", main
    end = next((t.i for t in main if t.text == "," or t.lower_ in {"i", "we"}), None)
    if end is None or end <= main.start + 1:
        return "", main
    role_start = main.start + 1 + (main[1].lower_ in {"a", "an", "the"})
    rest_start = end + 1 if main.doc[end].text == "," else end
    return _clean(main.doc[role_start:end].text), main.doc[rest_start : main.end]


def _need_verb(main: Span) -> Token | None:
    """The first need-like verb, or the noun "need" in "a need for"."""
    for token in main:
        if token.lemma_.lower() not in NEED_VERBS:
            continue
        if token.pos_ in {"VERB", "AUX"} or _skip_for(token):
            return token
    return None


def _skip_for(token: Token) -> int:
    """1 when the need is "need for <goal>" (noun) or "ask for <goal>", so "for" is skipped."""
    after = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return int(after is not None and after.lower_ == "for")


def _subject_role(verb: Token) -> str:
    """The verb's subject as the role, unless it is a pronoun (we, I, it)."""
    subjects = [child for child in verb.children if child.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects and verb.dep_ == "xcomp":
        return _subject_role(verb.head)
    if not subjects or subjects[0].lower_ in SUBJECT_PRONOUNS:
        return ""
    subject = subjects[0]
    return _clean(verb.doc[subject.left_edge.i : subject.i + 1].text)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(STRIP_CHARS)
