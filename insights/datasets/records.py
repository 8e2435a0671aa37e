"""A catalogue record as plain values, and the normalising of the fields people send us."""

import re
from dataclasses import dataclass, field
from typing import Any

from insights.datasets.models import ACCESS_LEVELS, GRANULARITIES

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


def clean_text(value: Any, limit: int | None = None) -> str:
    """A value as a single-spaced string ("" for None and NaN), cut to the column's length."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text[:limit] if limit else text


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
