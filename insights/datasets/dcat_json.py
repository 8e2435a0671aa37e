"""DCAT-US data.json catalogues (and plain lists of DCAT entries) as records.

A dataset's identity is its DCAT `identifier` with the catalogue it came from; its landing page
is `landingPage` only (an http(s) link), never an identifier or free text.
"""

from collections import Counter
from typing import Any

from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    find_doi,
    frequency_words,
    normalise_access,
    normalise_granularity,
    pick_language,
    safe_link,
    split_keywords,
)

DATASET_KEYS = (
    "identifier", "description", "distribution", "landingPage", "publisher", "keyword",
    "accessLevel", "modified", "license", "accessURL",
)  # fmt: skip


def looks_like_dataset(item: Any) -> bool:
    """Whether an object is a DCAT dataset entry: a title and some dataset field."""
    if not isinstance(item, dict) or not clean_text(item.get("title") or item.get("name")):
        return False
    return any(key in item for key in DATASET_KEYS)


def catalogue_portal(catalogue: dict[str, Any], entries: list[dict[str, Any]], given: str) -> str:
    """Where a catalogue's identifiers live: the URL it was harvested from (given), its @id,
    else the publisher most of its entries name ("data.json of USAID")."""
    if given:
        return given
    own = safe_link(catalogue.get("@id"))
    if own:
        return own
    names: Counter[str] = Counter()
    for entry in entries:
        publisher = entry.get("publisher")
        name = publisher.get("name") if isinstance(publisher, dict) else publisher
        if clean_text(name):
            names[clean_text(name)] += 1
    if names:
        return f"data.json of {names.most_common(1)[0][0]}"[:300]
    return ""


def dcat_record(entry: dict[str, Any], portal: str) -> DatasetRecord:
    """A record from a DCAT-US / data.json entry, or a 360Giving registry entry."""
    publisher = entry.get("publisher") or {}
    if isinstance(publisher, str):
        publisher = {"name": publisher}
    if not isinstance(publisher, dict):
        publisher = {}
    distributions = _distributions(entry.get("distribution"))
    landing = safe_link(entry.get("landingPage")) or _first_access_url(entry.get("distribution"))
    identifier = clean_text(entry.get("identifier"), 500)
    title, title_languages = pick_language(entry.get("title") or entry.get("name"))
    return DatasetRecord(
        title=title[:300],
        publisher=_publisher_name(publisher)[:300],
        description=pick_language(entry.get("description"))[0],
        landing_page=landing,
        licence=clean_text(entry.get("license_name") or entry.get("license"), 200),
        keywords=split_keywords(_list(entry.get("keyword") or entry.get("keywords"))),
        spatial_coverage=clean_text(entry.get("spatial"), 120),
        granularity=normalise_granularity(entry.get("granularity")),
        update_frequency=frequency_words(entry.get("accrualPeriodicity")),
        access=normalise_access(entry.get("accessLevel") or "open"),
        extra={"identifier": identifier} if identifier else {},
        identifier=identifier,
        source_portal=portal[:300],
        doi=find_doi(identifier, entry.get("doi"), *[d["url"] for d in distributions]),
        temporal_coverage=_temporal(entry.get("temporal")),
        formats=list(dict.fromkeys(d["format"] for d in distributions if d["format"])),
        distributions=distributions,
        translations={"title": title_languages} if len(title_languages) > 1 else {},
    )


def _list(value: Any) -> list[Any]:
    """A list as given, or a comma-separated text as its items."""
    if isinstance(value, list):
        return value
    return [part for part in clean_text(value).split(",") if part.strip()]


def _publisher_name(publisher: dict[str, Any]) -> str:
    """The publisher's name (a sub-organisation names itself, not its parent)."""
    return clean_text(publisher.get("name") or publisher.get("foaf:name"))


def _distributions(value: Any) -> list[dict[str, str]]:
    """Each distribution's title, format, link and media type (links only http(s))."""
    found = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        media_type = clean_text(item.get("mediaType"), 100)
        found.append(
            {
                "title": clean_text(item.get("title"), 300),
                "format": (clean_text(item.get("format"), 40) or _format_of(media_type)).upper(),
                "url": safe_link(item.get("downloadURL")) or safe_link(item.get("accessURL")),
                "media_type": media_type,
            }
        )
    return found[:200]


def _format_of(media_type: str) -> str:
    """A format name from a media type: text/csv is CSV, application/json is JSON."""
    if not media_type:
        return ""
    tail = media_type.split("/")[-1].split(";")[0].split("+")[-1]
    return {
        "vnd.ms-excel": "XLS",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    }.get(tail, tail)[:40]


def _first_access_url(value: Any) -> str:
    """The first distribution's access link, for entries with no landing page (360Giving)."""
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and safe_link(item.get("accessURL")):
            return safe_link(item.get("accessURL"))
    return ""


def _temporal(value: Any) -> str:
    """A DCAT-US temporal interval ("2010-01-01/2020-12-31") in words."""
    text = clean_text(value)
    if "/" in text:
        start, _, end = text.partition("/")
        end = "" if end.lower() in ("none", "null", "") else end
        return f"{start[:10]} to {end[:10]}" if end else f"from {start[:10]}"
    return text[:120]
