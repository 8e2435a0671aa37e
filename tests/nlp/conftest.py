"""Fixtures for the nlp package: the real model is loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from nlp import Gazetteer, Taxonomy, load_pipeline, read_boroughs_csv
from nlp.evaluate import read_gold_csv

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "insights" / "reference"
DEV_SET = ROOT / "tests" / "data" / "theme_dev_set.csv"
DATASETS = {
    "GrantNav": [],
    "English Indices of Deprivation": ["Indices of Deprivation", "IMD"],
    "UK Civil Society Almanac": ["Civil Society Almanac", "the Almanac"],
    "Community Life Survey": [],
    "Register of Charities": ["the charity register", "charity register"],
}


@pytest.fixture(scope="session")
def starter_records() -> list[dict]:
    """The 13 starter themes (slug, name, description) as the app ships them."""
    return json.loads((REFERENCE / "starter_themes.json").read_text(encoding="utf-8"))["themes"]


@pytest.fixture(scope="session")
def starter_taxonomy(starter_records: list[dict]) -> Taxonomy:
    """The starter taxonomy, patterns coming from the registered starter set."""
    return Taxonomy.from_records(starter_records)


@pytest.fixture(scope="session")
def boroughs() -> list[tuple[str, str]]:
    """The 33 London boroughs as (ONS code, name)."""
    return read_boroughs_csv(REFERENCE / "london_boroughs.csv")


@pytest.fixture(scope="session")
def gazetteer(boroughs: list[tuple[str, str]]) -> Gazetteer:
    """Boroughs plus a few real dataset names."""
    return Gazetteer.from_values(boroughs, DATASETS)


@pytest.fixture(scope="session")
def pipeline(starter_taxonomy: Taxonomy, gazetteer: Gazetteer) -> Language:
    """The full pipeline on the real English model."""
    return load_pipeline(starter_taxonomy, gazetteer=gazetteer)


@pytest.fixture(scope="session")
def dev_set() -> list[tuple[str, set[str]]]:
    """The hand-labelled dev set as (text, gold theme slugs)."""
    return read_gold_csv(DEV_SET)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The project checkout."""
    return ROOT


@pytest.fixture
def blank_nlp() -> Language:
    """A blank English pipeline: tokenizer only, no tagger, parser or lemmatizer."""
    return spacy.blank("en")
