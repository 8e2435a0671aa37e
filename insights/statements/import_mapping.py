"""Which column of a post-it file holds which field: tool shapes, header words, question text.

The shapes of the tools facilitators export from live in reference/postit_export_shapes.json;
header words name the fields of any other file; a survey's question column whose answers are
longest is the post-it text. Every other column is kept as a note, so nothing is dropped
without the preview saying so.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from insights.ingest.mapping import exact_field, is_question, loose_field, words
from insights.reference import read_json

FIELDS = (
    "text",
    "title",
    "kind",
    "exercise",
    "group",
    "organisation",
    "borough",
    "author",
    "date",
    "votes",
    "colour",
    "note",
)
FIELD_LABELS = {
    "text": "Post-it text",
    "title": "Title (put before the text)",
    "kind": "Kind",
    "exercise": "Exercise (key or title)",
    "group": "Group or board column",
    "organisation": "Organisation",
    "borough": "Borough",
    "author": "Author",
    "date": "Date",
    "votes": "Votes (+1s)",
    "colour": "Colour",
    "note": "Keep as a note",
}
SINGLE_FIELDS = tuple(name for name in FIELDS if name != "note")  # note may hold many columns
IGNORE = "ignore"
# Header words that name each field, in the order fields claim a loosely matching header.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "text": (
        "text", "statement", "post-it", "postit", "post it", "post-it text", "note", "sticky",
        "sticky note", "content", "comment", "idea", "answer", "response", "message", "card",
        "body", "reflection", "feedback", "what was said",
    ),
    "title": ("title", "subject", "heading"),
    "exercise": ("exercise", "prompt", "question", "exercise key"),
    "group": (
        "group", "board column", "column", "category", "section", "frame", "lane", "tags", "tag",
        "topic",
    ),
    "organisation": ("organisation", "organization", "org", "company", "employer"),
    "borough": ("borough", "area", "local authority"),
    "author": ("author", "name", "created by", "your name", "full name", "submitted by"),
    "kind": ("kind", "type", "post-it kind"),
    "date": ("date", "created", "created at", "timestamp", "date created", "submitted at"),
    "votes": ("votes", "vote", "likes", "+1", "+1s", "plus ones", "upvotes", "dots", "reactions"),
    "colour": ("colour", "color", "fill colour", "sticky colour"),
}  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """A tool's export format: how to recognise it and which field each of its headers holds."""

    tool: str
    source: str
    signature: tuple[str, ...]
    needs: int
    columns: Mapping[str, str]
    first: str = ""

    def matches(self, headers: Sequence[str]) -> bool:
        """Whether a file's headers are this tool's (enough of its signature, its first first)."""
        spoken = {words(h) for h in headers}
        found = sum(1 for header in self.signature if words(header) in spoken)
        if self.first and (not headers or words(headers[0]) != words(self.first)):
            return False
        return found >= self.needs


@dataclass(frozen=True)
class GuessedMapping:
    """A mapping guessed from a file: column → field, the tool recognised and what was chosen."""

    columns: Mapping[str, str]
    tool: str = ""
    reasons: tuple[str, ...] = ()


@cache
def shapes() -> tuple[Shape, ...]:
    """The export shapes of the tools facilitators use."""
    return tuple(
        Shape(
            tool=entry["tool"],
            source=entry["source"],
            signature=tuple(entry["signature"]),
            needs=int(entry["needs"]),
            columns=dict(entry["columns"]),
            first=entry.get("first", ""),
        )
        for entry in read_json("postit_export_shapes.json")["shapes"]
    )


def recognise_tool(headers: Sequence[str]) -> Shape | None:
    """The tool whose export these headers are, if any."""
    return next((shape for shape in shapes() if shape.matches(headers)), None)


def guess_mapping(headers: Sequence[str], frame: pd.DataFrame | None = None) -> dict[str, str]:
    """Column → field for every column: tool shape, header words, question text, else note."""
    return dict(guess(headers, frame).columns)


def guess(headers: Sequence[str], frame: pd.DataFrame | None = None) -> GuessedMapping:
    """The guessed mapping with the tool recognised and why the text column was chosen."""
    mapping: dict[str, str] = {}
    shape = recognise_tool(headers)
    if shape is not None:
        by_words = {words(h): f for h, f in shape.columns.items()}
        for header in headers:
            _claim(mapping, header, by_words.get(words(header)))
    for match in (exact_field, loose_field):
        for header in headers:
            if header not in mapping:
                _claim(mapping, header, match(header, HEADER_WORDS))
    reasons = _choose_question_text(mapping, headers, frame)
    _promote_title(mapping)
    for header in headers:
        mapping.setdefault(header, _leftover(header, frame))
    tool = shape.tool if shape else ""
    return GuessedMapping(columns=mapping, tool=tool, reasons=reasons)


def _claim(mapping: dict[str, str], header: str, name: str | None) -> None:
    """Give a header its field, unless that single field is already another column's."""
    if not name:
        return
    if name in SINGLE_FIELDS and name in mapping.values():
        return
    mapping[header] = name


def _choose_question_text(
    mapping: dict[str, str], headers: Sequence[str], frame: pd.DataFrame | None
) -> tuple[str, ...]:
    """With no text column, the question column whose answers are longest holds the text."""
    if "text" in mapping.values():
        return ()
    questions = [h for h in headers if h not in mapping and is_question(h)]
    if not questions:
        return ()
    chosen = max(questions, key=lambda h: _mean_length(frame, h))
    mapping[chosen] = "text"
    return (f"The answers to {chosen!r} are the post-its (its answers are the longest).",)


def _mean_length(frame: pd.DataFrame | None, header: str) -> float:
    """The mean length of a column's non-blank answers (0 when the file is not at hand)."""
    if frame is None or header not in frame.columns:
        return 0.0
    lengths = [len(str(v).strip()) for v in frame[header].head(500).tolist() if str(v).strip()]
    return sum(lengths) / len(lengths) if lengths else 0.0


def _promote_title(mapping: dict[str, str]) -> None:
    """A title column holds the text when no other column does (Trello names, Padlet subjects)."""
    if "text" not in mapping.values():
        for header, name in mapping.items():
            if name == "title":
                mapping[header] = "text"
                return


def _leftover(header: str, frame: pd.DataFrame | None) -> str:
    """An unmatched column is kept as a note, unless it has no header and no values."""
    if header.startswith("Unnamed: ") and frame is not None and header in frame.columns:
        if not any(str(v).strip() for v in frame[header].tolist()):
            return IGNORE
    return "note"


def apply_overrides(
    headers: Sequence[str], guessed: Mapping[str, str], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The guessed mapping with explicit column=field choices on top ("" or ignore drops one)."""
    from insights.ingest.problems import ImportRejected, Problem

    problems = [
        Problem(f"The file has no column {c!r}; its columns are {_listed(headers)}.")
        for c in overrides
        if c not in headers
    ]
    problems += [
        Problem(f"{f!r} is not a field: use one of {', '.join(FIELDS)} or ignore.")
        for f in overrides.values()
        if f not in (*FIELDS, "", IGNORE)
    ]
    if problems:
        raise ImportRejected(problems)
    chosen = {c: (f or IGNORE) for c, f in overrides.items()}
    taken = {f for f in chosen.values() if f in SINGLE_FIELDS}
    mapping = {c: ("note" if f in taken else f) for c, f in guessed.items() if c not in overrides}
    mapping.update(chosen)
    return {header: mapping.get(header, "note") for header in headers}


def _listed(headers: Sequence[str]) -> str:
    """Headers listed for a message: the first twelve, quoted."""
    shown = ", ".join(repr(h) for h in list(headers)[:12])
    return shown + (f" and {len(headers) - 12} more" if len(headers) > 12 else "")


def describe_mapping(mapping: Mapping[str, str]) -> list[str]:
    """What the preview says about columns kept as notes and columns dropped."""
    notes = [c for c, f in mapping.items() if f == "note"]
    dropped = [c for c, f in mapping.items() if f == IGNORE]
    said = []
    if notes:
        said.append(f"Kept as notes on each post-it: {_listed(notes)}.")
    if dropped:
        said.append(f"Not imported: {_listed(dropped)}.")
    return said


def field_columns(mapping: Mapping[str, str]) -> dict[str, Any]:
    """Field → column for single fields, and "note" → the list of note columns."""
    columns: dict[str, Any] = {"note": []}
    for column, name in mapping.items():
        if name == "note":
            columns["note"].append(column)
        elif name in SINGLE_FIELDS:
            columns[name] = column
    return columns
