"""A catalogue record as plain values, and the normalising of the fields people send us."""

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from insights.datasets.models import ACCESS_LEVELS, GRANULARITIES
from insights.reference import read_json

LINK_SCHEMES = ("http", "https", "mailto")
DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)

# The words publishers use for a level of geography, mapped to our granularity codes.
GRANULARITY_WORDS = {
    "output area": "oa",
    "lower layer super output area": "lsoa",
    "middle layer super output area": "msoa",
    "local authority": "borough",
    "local authority district": "borough",
    "la": "borough",
    "lad": "borough",
    "district": "borough",
    "london borough": "borough",
    "boroughs": "borough",
    "wards": "ward",
    "electoral ward": "ward",
    "neighbourhood": "lsoa",
    "postcode": "point",
    "address": "point",
    "grants": "grant",
    "organisations": "organisation",
    "organization": "organisation",
    "charity": "organisation",
    "london": "region",
    "gor": "region",
    "country": "national",
    "england": "national",
    "uk": "national",
    "nation": "national",
}
ACCESS_WORDS = {
    "public": "open",
    "open": "open",
    "restricted public": "restricted",
    "restricted": "restricted",
    "safeguarded": "restricted",
    "special licence": "restricted",
    "non-public": "held-privately",
    "private": "held-privately",
    "held privately": "held-privately",
}


@dataclass
class DatasetRecord:
    """One dataset as read from a file, before it meets the database."""

    title: str
    publisher: str = ""
    description: str = ""
    landing_page: str = ""
    licence: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    spatial_coverage: str = ""
    granularity: str = ""
    update_frequency: str = ""
    access: str = "open"
    extra: dict[str, Any] = field(default_factory=dict)
    identifier: str = ""
    source_portal: str = ""
    doi: str = ""
    temporal_coverage: str = ""
    formats: list[str] = field(default_factory=list)
    distributions: list[dict[str, str]] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[str, str] | None:
        """What makes a record the same dataset: its identifier at its source portal."""
        return (self.source_portal, self.identifier) if self.identifier else None


def clean_text(value: Any, limit: int | None = None) -> str:
    """A value as a single-spaced string ("" for None, NaN, lists and objects), cut to length."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dict | list | tuple | set):
        return ""
    text = re.sub(r"\s+", " ", str(value).replace("\x00", "")).strip()
    return text[:limit] if limit else text


def safe_link(value: Any, limit: int = 1000) -> str:
    """A link kept only when it is http(s) or mailto: javascript: and free text are dropped."""
    text = clean_text(value, limit)
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    if scheme not in LINK_SCHEMES or (scheme != "mailto" and not urlsplit(text).netloc):
        return ""
    return text


def find_doi(*values: Any) -> str:
    """The first DOI among the values ("10.16904/envidat.792"), or ""."""
    for value in values:
        match = DOI_PATTERN.search(clean_text(value))
        if match:
            return match.group(1).rstrip(".,;)")[:200]
    return ""


@cache
def _frequencies() -> dict[str, dict[str, str]]:
    """The frequency vocabularies, read once."""
    data = read_json("frequencies.json")
    return {"durations": data["durations"], "codes": data["codes"]}


def frequency_words(value: Any) -> str:
    """An update frequency in words: R/P1Y is "annual", …/frequency/MONTHLY is "monthly"."""
    text = clean_text(value)
    if not text:
        return ""
    vocab = _frequencies()
    if text in vocab["durations"]:
        return vocab["durations"][text]
    code = re.split(r"[/#]", text.rstrip("/"))[-1]
    if "://" in text and code in vocab["codes"]:
        return vocab["codes"][code]
    return text[:40]


def pick_language(value: Any) -> tuple[str, dict[str, str]]:
    """A multilingual value's English text (else the first language's), and every language's."""
    if isinstance(value, dict):
        texts = {str(k): clean_text(v) for k, v in value.items() if clean_text(v)}
        if not texts:
            return "", {}
        chosen = texts.get("en") or next(iter(texts.values()))
        return chosen, texts
    return clean_text(value), {}


def split_keywords(value: Any) -> list[str]:
    """Keywords from a list or from text separated by ; | or commas, without repeats."""
    items = value if isinstance(value, list) else re.split(r"[;|,]", clean_text(value))
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            item = item.get("display_name") or item.get("name") or ""
        text = clean_text(item, 80)
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return list(seen.values())


def normalise_granularity(value: Any) -> str:
    """Our granularity code for a publisher's wording, or "" when it is not recognised."""
    text = clean_text(value).lower().replace("_", " ")
    if text in GRANULARITIES:
        return text
    return GRANULARITY_WORDS.get(text, "")


def normalise_access(value: Any) -> str:
    """open / restricted / held-privately from a publisher's wording (open when unsure)."""
    text = clean_text(value).lower()
    if text in ACCESS_LEVELS:
        return text
    return ACCESS_WORDS.get(text, "open")


def landing_page_key(url: str) -> str:
    """A landing page compared loosely: no scheme, no www, no trailing slash, lower case."""
    text = clean_text(url).lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def title_publisher_key(title: str, publisher: str) -> str:
    """Title and publisher compared without case or spacing differences."""
    return f"{clean_text(title).lower()}\x1f{clean_text(publisher).lower()}"
