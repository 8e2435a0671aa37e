"""The theme taxonomy as plain, hashable-by-content values."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

Pattern = dict[str, Any]


@dataclass(frozen=True)
class ThemeSpec:
    """One theme: its slug, human name, description and matching patterns."""

    slug: str
    name: str
    description: str = ""
    patterns: list[Pattern] = field(default_factory=list)
    parent: str | None = None

    def to_record(self) -> dict[str, Any]:
        """Return the theme as a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of themes; `version` changes whenever the content does."""

    themes: tuple[ThemeSpec, ...] = ()

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        default_patterns: Mapping[str, Sequence[Pattern]] | None = None,
    ) -> Taxonomy:
        """Build a taxonomy from dicts with slug, name, description, patterns, parent.

        A record without a ``patterns`` key takes ``default_patterns[slug]`` if given.
        """
        defaults = default_patterns or {}
        themes = tuple(_spec_from_record(record, defaults) for record in records)
        slugs = [theme.slug for theme in themes]
        if len(set(slugs)) != len(slugs):
            raise ValueError("theme slugs must be unique")
        return cls(themes=themes)

    def to_records(self) -> list[dict[str, Any]]:
        """Return the themes as JSON-ready dicts (inverse of `from_records`)."""
        return [theme.to_record() for theme in self.themes]

    @cached_property  # computed once: hashing every pattern costs milliseconds
    def version(self) -> str:
        """A stable content hash, so caches can key on the taxonomy."""
        text = json.dumps(self.to_records(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def slugs(self) -> list[str]:
        """The theme slugs in taxonomy order."""
        return [theme.slug for theme in self.themes]

    def get(self, slug: str) -> ThemeSpec | None:
        """Return the theme with this slug, or None."""
        return next((theme for theme in self.themes if theme.slug == slug), None)


def _spec_from_record(
    record: Mapping[str, Any], defaults: Mapping[str, Sequence[Pattern]]
) -> ThemeSpec:
    slug = str(record["slug"])
    patterns = record["patterns"] if "patterns" in record else defaults.get(slug, [])
    return ThemeSpec(
        slug=slug,
        name=str(record.get("name") or slug),
        description=str(record.get("description") or ""),
        patterns=[dict(pattern) for pattern in patterns or []],
        parent=record.get("parent"),
    )
