"""Read the real-text development corpus: statements from public pages, split by page.

The corpus is two CSV files in one folder: ``pages.csv`` (page, url, title, split) and
``statements.csv`` (page, kind, text, themes, datasets, role). A statement's split is its
page's, so sentences from one page never sit on both sides of an evaluation.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

GAP = "GAP"
SPLITS = ("tune", "test")


@dataclass(frozen=True)
class CorpusStatement:
    """One labelled statement and where it came from."""

    page: str
    url: str
    split: str
    kind: str
    text: str
    themes: frozenset[str]
    datasets: frozenset[str]
    gap: bool
    role: str

    @property
    def is_need(self) -> bool:
        """True for a data need labelled with datasets or as a gap."""
        return self.kind == "need" and (self.gap or bool(self.datasets))


def read_corpus(folder: str | Path, split: str | None = None) -> list[CorpusStatement]:
    """Every statement of the corpus in ``folder``, or only those of one split."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    folder = Path(folder)
    pages = {row["page"]: row for row in _rows(folder / "pages.csv")}
    statements = [_statement(row, pages[row["page"]]) for row in _rows(folder / "statements.csv")]
    return [s for s in statements if split is None or s.split == split]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _statement(row: dict[str, str], page: dict[str, str]) -> CorpusStatement:
    datasets = row.get("datasets", "").strip()
    return CorpusStatement(
        page=row["page"],
        url=page["url"],
        split=page["split"],
        kind=row["kind"],
        text=row["text"],
        themes=frozenset(filter(None, row["themes"].split(";"))),
        datasets=frozenset() if datasets == GAP else frozenset(filter(None, datasets.split("|"))),
        gap=datasets == GAP,
        role=row.get("role", ""),
    )
