"""The starter library, shipped as data: common State of the Sector questions and the fields of
the sector's standards (Charity Commission register, 360Giving, org-id), and how the app
proposes them from a workshop's needs and themes."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from insights.reference import london_boroughs

LIBRARY_DIR = Path(__file__).parent / "library"
LONDON_WIDE = "London-wide"


@dataclass(frozen=True)
class LibraryField:
    """One field the library offers, with the themes and words of the needs it answers."""

    name: str
    title: str
    question: str
    definition: str
    type: str
    unit: str
    allowed_values: tuple[tuple[str, str], ...]
    required: bool
    guidance: str
    source: str
    minimum: float | None = None
    pattern: str = ""
    identifying: bool = False
    themes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass
class Proposal:
    """A library field proposed for a workshop, with the needs that call for it and why."""

    item: LibraryField
    need_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def borough_values() -> tuple[tuple[str, str], ...]:
    """The code list of the 33 London boroughs (their names), and London-wide."""
    return (*((name, name) for _, name in london_boroughs()), (LONDON_WIDE, LONDON_WIDE))


def _values(given: Any) -> tuple[tuple[str, str], ...]:
    """A field's code list from the library file ("london-boroughs" names the borough list)."""
    if given == "london-boroughs":
        return borough_values()
    return tuple((item["code"], item["label"]) for item in given or [])


def _library_field(item: dict[str, Any], source: str) -> LibraryField:
    """A library field from its entry in a library file."""
    return LibraryField(
        name=item["name"],
        title=item["title"],
        question=item["question"],
        definition=item["definition"],
        type=item["type"],
        unit=item.get("unit", ""),
        allowed_values=_values(item.get("values")),
        required=bool(item.get("required")),
        guidance=item.get("guidance", ""),
        source=source,
        minimum=item.get("minimum"),
        pattern=item.get("pattern", ""),
        identifying=bool(item.get("identifying")),
        themes=tuple(item.get("themes", ())),
        keywords=tuple(word.lower() for word in item.get("keywords", ())),
    )


@cache
def library_fields() -> tuple[LibraryField, ...]:
    """Every field of every library file, State of the Sector questions first."""
    found: list[LibraryField] = []
    for path in sorted(
        LIBRARY_DIR.glob("*.json"), key=lambda p: p.name != "state_of_the_sector.json"
    ):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.extend(_library_field(item, data["name"]) for item in data["fields"])
    return tuple(found)


def library_field(name: str) -> LibraryField | None:
    """The library field of this name, if there is one."""
    return next((item for item in library_fields() if item.name == name), None)


def propose_fields(needs: list[tuple[int, str, set[str]]]) -> list[Proposal]:
    """Library fields the needs call for: a need carries one of a field's themes, or says one of
    its words. `needs` are (statement id, text, theme slugs). Fields no need calls for are left
    out; a lead can still add them from the library."""
    proposals = []
    for item in library_fields():
        proposal = Proposal(item)
        for need_id, text, themes in needs:
            reason = _why(item, text.lower(), themes)
            if reason:
                proposal.need_ids.append(need_id)
                proposal.reasons.append(reason)
        if proposal.need_ids:
            proposals.append(proposal)
    return proposals


def _why(item: LibraryField, text: str, themes: set[str]) -> str:
    """Why a need calls for a field ("" when it does not)."""
    shared = sorted(themes & set(item.themes))
    if shared:
        return f"theme {shared[0]}"
    word = next((word for word in item.keywords if word in text), "")
    return f"says “{word}”" if word else ""
