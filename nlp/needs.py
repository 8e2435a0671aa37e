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
DASHES = frozenset({"-", "–", "—"})
WH_WORDS = frozenset({"which", "what", "how", "where", "who", "when", "why", "whether"})
_GOOD = ("great", "good", "useful", "helpful", "nice", "brilliant", "amazing", "ideal")
_HAVE = (("to", "have"), ("to", "get"), ("to", "see"), ("to", "know"), ("to",))
# Openings that wish for something: the goal is what follows ("to" stays: "to find out…").
WISH_LEADS = tuple(
    sorted(
        {
            (*opening, "be", good, *have)
            for opening in (("would",), ("it", "would"), ("that", "would"))
            for good in _GOOD
            for have in _HAVE
        }
        | {
            (subject, "would", *extra, "to")
            for subject in ("i", "we")
            for extra in (("be", "keen"), ("be", "very", "keen"), ("love",), ("really", "like"))
        },
        key=len,
        reverse=True,
    )
)
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
    "We need to <goal> so we can <benefit>", bare "Need <goal>", "It would help to
    <goal> in order to <benefit>", "(It) would be great to have <goal>", questions ("Which
    areas…?" becomes "to know which areas…") and "<others> keep asking us for <x> - we
    need <goal>" (the writer's need, not the others'). A pronoun subject gives no role.
    """
    clauses = _clauses(doc)
    statements = [clause for clause in clauses if not _is_question(clause)]
    if len(clauses) > 1:
        chosen = next((c for c in statements if _need_verb(c) and not _asks_us(c)), None)
        if chosen is not None:
            return _parse(chosen.as_doc())
    elif statements:
        return _parse(doc)
    question = next((clause for clause in clauses if _is_question(clause)), None)
    if question is not None:
        return NeedDraft("", _question_goal(question), "")
    return _parse(doc)


def _is_question(span: Span) -> bool:
    return span.text.rstrip().endswith("?")


def _clauses(doc: Doc) -> list[Span]:
    """The sentences of a text, each split again at a spaced dash or a semicolon."""
    found = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            spaced = token.i > 0 and bool(doc[token.i - 1].whitespace_)
            if (token.text == ";" or token.text in DASHES and spaced) and start < token.i:
                found.append(doc[start : token.i])
                start = token.i + 1
        if start < sent.end:
            found.append(doc[start : sent.end])
    return found


def _asks_us(span: Span) -> bool:
    """True for "<others> keep asking us for …": their request, not the writer's need."""
    lowers = [token.lower_ for token in span]
    return any(
        lowers[i] in {"ask", "asks", "asking", "asked"} and lowers[i + 1 : i + 2] == ["us"]
        for i in range(len(lowers))
    )


def _question_goal(question: Span) -> str:
    """A question as a goal: "to know which areas…" or "an answer to: can …?"."""
    text = _clean(question.text)
    if not text:  # a lone "?" is no question
        return ""
    first = question[0].lower_
    if first in WH_WORDS:
        return f"to know {text[0].lower()}{text[1:]}"
    return f"an answer to: {text[0].lower()}{text[1:]}?"


def _parse(doc: Doc) -> NeedDraft:
    """Role, goal and benefit of one statement (see `parse_need`)."""
    lead = _wish_lead(doc)
    if lead:
        main_end, benefit = _split_benefit(doc)
        return NeedDraft("", _clean(doc[lead:main_end].text), benefit)
    main_end, benefit = _split_benefit(doc)
    main = doc[:main_end]
    role, main = _explicit_role(main)
    verb = _need_verb(main)
    if verb is None:
        return NeedDraft(role, _clean(main.text), benefit)
    if _asks_us(main):  # "Funders keep asking us for X": X is the writer's need
        after = next((t.i + 1 for t in main if t.i > verb.i and t.lower_ == "for"), verb.i + 1)
        return NeedDraft(role, _clean(doc[after : main.end].text), benefit)
    goal = _clean(doc[verb.i + 1 + _skip_for(verb) : main.end].text)
    return NeedDraft(role or _subject_role(verb), goal, benefit)


def _wish_lead(doc: Doc) -> int:
    """Where the goal starts after "(It) would be great to have", "I would be keen to"…;
    0 when the text does not open so."""
    lowers = [token.lower_ for token in doc]
    for lead in WISH_LEADS:
        if tuple(lowers[: len(lead)]) == lead:
            return len(lead) - (lead[-1] == "to")
    return 0


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
    reported = verb.dep_ == "ccomp" and verb.head.lemma_ in {"say", "tell"}
    if reported and (not subjects or subjects[0].lower_ == "they"):
        return _subject_role(verb.head)  # "Charities said they needed …"
    if not subjects or subjects[0].lower_ in SUBJECT_PRONOUNS:
        return ""
    subject = subjects[0]
    if any(t.lower_ in WH_WORDS for t in subject.subtree):
        return ""  # "Which areas need it most" asks, it names no one
    last = max([subject.i, *(c.right_edge.i for c in subject.children if c.dep_ == "conj")])
    return _clean(verb.doc[subject.left_edge.i : last + 1].text)


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(STRIP_CHARS)
