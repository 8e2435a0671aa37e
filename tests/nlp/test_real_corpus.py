"""The real-text development corpus (tests/data/real_corpus): big enough to tune on and to
hold pages out, every label drawn from the taxonomy and the starter catalogue, split by page
by the hash rule in its SOURCES.md, never by row."""

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from nlp.corpus import GAP, SPLITS, read_corpus

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "data" / "real_corpus"
REFERENCE = ROOT / "insights" / "reference"
KINDS = {"need", "challenge", "source", "collected", "idea"}


def rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def pages() -> list[dict[str, str]]:
    return rows("pages.csv")


@pytest.fixture(scope="module")
def statements() -> list[dict[str, str]]:
    return rows("statements.csv")


def test_the_corpus_is_big_enough_to_tune_on_and_to_hold_pages_out(
    pages: list[dict[str, str]], statements: list[dict[str, str]]
) -> None:
    corpus = read_corpus(FOLDER)
    assert len(pages) >= 30 and len(statements) >= 300
    assert sum(s.is_need for s in corpus) >= 60
    for split in SPLITS:
        part = read_corpus(FOLDER, split)
        assert len(part) >= 100 and sum(s.is_need for s in part) >= 25, split


def test_every_statement_names_a_listed_page_and_every_page_has_statements(
    pages: list[dict[str, str]], statements: list[dict[str, str]]
) -> None:
    ids = [p["page"] for p in pages]
    assert len(ids) == len(set(ids))
    assert len({p["url"] for p in pages}) == len(pages)
    assert {s["page"] for s in statements} == set(ids)


def test_the_split_is_the_hash_of_the_url_and_belongs_to_the_page_not_the_row(
    pages: list[dict[str, str]], statements: list[dict[str, str]]
) -> None:
    assert "split" not in statements[0]
    for page in pages:
        digest = hashlib.sha1(page["url"].encode(), usedforsecurity=False).hexdigest()
        held_out = int(digest, 16) % 10 < 4
        assert page["split"] == ("test" if held_out else "tune"), page["page"]
    on_both_sides = {s.page for s in read_corpus(FOLDER, "test")} & {
        s.page for s in read_corpus(FOLDER, "tune")
    }
    assert not on_both_sides


def test_labels_come_from_the_taxonomy_and_the_starter_catalogue(
    statements: list[dict[str, str]],
) -> None:
    taxonomy = json.loads((REFERENCE / "starter_themes.json").read_text())["themes"]
    slugs = {t["slug"] for t in taxonomy}
    catalogue = json.loads((REFERENCE / "starter_datasets.json").read_text())["datasets"]
    titles = {d["title"] for d in catalogue}
    for row in statements:
        assert row["kind"] in KINDS, row
        themes = row["themes"].split(";")
        assert themes and set(themes) <= slugs, row
        datasets = row["datasets"]
        if row["kind"] == "need":
            assert datasets, f"a need is labelled with datasets or {GAP}: {row}"
        else:
            assert not datasets and not row["role"], row
        if datasets and datasets != GAP:
            assert set(datasets.split("|")) <= titles, row


def test_no_statement_is_entered_twice(statements: list[dict[str, str]]) -> None:
    repeated = [t for t, n in Counter(s["text"] for s in statements).items() if n > 1]
    assert not repeated
