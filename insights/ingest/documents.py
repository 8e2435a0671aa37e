"""Bytes to a catalogue document: JSON, JSON lines or RDF (RDF/XML, Turtle, JSON-LD), bounded.

JSON is parsed by the standard library after a depth scan (a document nested deeper than any
catalogue is refused before parsing), and lone surrogate escapes are repaired and counted.
"""

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from insights.ingest.encoding import decode_text, repair_surrogates
from insights.ingest.limits import Limits, check_size
from insights.ingest.problems import rejected

RDF_EXTENSIONS = {".rdf": "xml", ".xml": "xml", ".ttl": "turtle", ".jsonld": "json-ld", ".n3": "n3"}
JSON_LD_KEYS = ("@context", "@graph")


@dataclass(frozen=True)
class Document:
    """A read catalogue file: its kind ("json", "jsonl", "rdf", "csv"), content and notes."""

    kind: str
    value: Any = None  # parsed JSON, or a list of JSON lines
    text: str = ""
    rdf_format: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    encoding: str = "utf-8"


def read_document(data: bytes, filename: str = "", limits: Limits | None = None) -> Document:
    """Detect and read a catalogue file; CSV is left as text for the table reader."""
    limits = limits or Limits()
    check_size(data, limits)
    decoded = decode_text(data)
    text = decoded.text.lstrip("\ufeff")
    notes = tuple(n for n in (decoded.note,) if n)
    encoding = decoded.encoding
    extension = PurePath(filename).suffix.lower()
    stripped = text.lstrip()
    rdf_format = _rdf_format(stripped, extension)
    if rdf_format:
        return Document("rdf", text=text, rdf_format=rdf_format, notes=notes, encoding=encoding)
    if extension in (".jsonl", ".ndjson") or _looks_like_json_lines(stripped):
        return replace(_json_lines(text, limits, notes), encoding=encoding)
    if stripped[:1] in "{[" or extension == ".json":
        value, repaired = parse_json(text, limits)
        if _is_json_ld(value):
            return Document("rdf", text=text, rdf_format="json-ld", notes=notes, encoding=encoding)
        notes = notes + _repair_note(repaired)
        return Document("json", value=value, text="", notes=notes, encoding=encoding)
    return Document("csv", text=text, notes=notes, encoding=encoding)


def parse_json(text: str, limits: Limits) -> tuple[Any, int]:
    """Parsed JSON and how many strings had invalid Unicode repaired; refuses deep nesting.

    The standard parser itself stops at Python's recursion limit, and the repair walk is
    refused past `max_depth`, so a document of a hundred thousand brackets costs milliseconds.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise rejected(f"This is not valid JSON: {error.msg}, line {error.lineno}.") from None
    except RecursionError:
        raise _too_deep(limits.max_depth) from None
    _check_length(value, limits)
    if _depth(value, limits.max_depth) > limits.max_depth:
        raise _too_deep(limits.max_depth)
    repaired: list[int] = []
    return repair_surrogates(value, repaired), len(repaired)


def _check_length(value: Any, limits: Limits) -> None:
    """Refuse a list (bare, or a catalogue's dataset list) longer than the row limit, at once."""
    items = value.get("dataset") if isinstance(value, dict) else value
    if not isinstance(items, list) or len(items) <= limits.max_rows:
        return
    sample = [item for item in items[:200] if isinstance(item, dict)]
    titled = sum(1 for item in sample if item.get("title") or item.get("name"))
    what = "" if titled > len(sample) // 2 else ", but they are not datasets (none has a title)"
    raise rejected(
        f"This JSON list holds {len(items):,} items{what}; an import takes at most "
        f"{limits.max_rows:,}. Nothing was imported."
    )


def _depth(value: Any, limit: int) -> int:
    """How deep a parsed value nests, counted without recursion and stopping past the limit."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > limit:
            return level
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend(
                (child, level + 1) for child in item.values() if isinstance(child, dict | list)
            )
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def _too_deep(max_depth: int) -> Exception:
    """The refusal of a document nested deeper than any catalogue."""
    return rejected(
        f"The JSON is nested more than {max_depth} levels deep; no catalogue is. "
        "Is this the right file?"
    )


def _repair_note(repaired: int) -> tuple[str, ...]:
    """The note saying how many values held invalid Unicode, if any did."""
    if not repaired:
        return ()
    return (
        f"{repaired:,} text value(s) held invalid Unicode (lone surrogate escapes such as "
        "\\ud83d); each bad character was replaced by �.",
    )


def _rdf_format(text: str, extension: str) -> str:
    """The rdflib format of an RDF file (RDF/XML, Turtle), from its start and its name."""
    if extension in RDF_EXTENSIONS and extension != ".jsonld":
        return RDF_EXTENSIONS[extension]
    head = text[:2000]
    if head.startswith("<?xml") or head.startswith("<rdf:RDF"):
        return "xml" if "rdf" in head.lower() else ""
    if re.match(r"(@prefix|@base|PREFIX\s)", head, re.IGNORECASE):
        return "turtle"
    return ""


def _is_json_ld(value: Any) -> bool:
    """Whether parsed JSON is JSON-LD with a graph of DCAT nodes, not a data.json catalogue."""
    if not isinstance(value, dict) or "@context" not in value:
        return False
    return "@graph" in value or "dataset" not in value


def _looks_like_json_lines(text: str) -> bool:
    """Whether the text is one JSON object per line (ckanapi dump, JSON lines)."""
    first, _, rest = text.partition("\n")
    return (
        first.strip().startswith("{") and first.strip().endswith("}") and rest.lstrip()[:1] == "{"
    )


def _json_lines(text: str, limits: Limits, notes: tuple[str, ...]) -> Document:
    """One JSON object per line, each parsed; names the first line that is not JSON."""
    values: list[Any] = []
    repaired = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(values) >= limits.max_rows:
            raise rejected(f"The file has more than {limits.max_rows:,} lines; split it.")
        try:
            value, fixed = parse_json(line, limits)
        except Exception as error:
            raise rejected(f"Line {number} is not a JSON object: {error}") from None
        values.append(value)
        repaired += fixed
    return Document("jsonl", value=values, notes=notes + _repair_note(repaired))
