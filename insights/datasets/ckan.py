"""CKAN API responses (package_search, package_show), ckanapi dumps and JSON lines, as records.

A dataset's identity is its CKAN id with its source portal, and its landing page is the
portal's own page for it ({portal}/dataset/{name}) — never the free-text `url` field, which
portals fill with anything from a homepage to "Birmingham City Council".
"""

import json
import re
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

PORTAL_FROM_HELP = re.compile(r"^(https?://.+?)/api(?:/\d+)?/action/")
PORTAL_FROM_RESOURCE = re.compile(r"^(https?://[^?#]+?)/dataset/")


def is_ckan_response(data: Any) -> bool:
    """Whether JSON is a CKAN action API response (success, result or error)."""
    if not isinstance(data, dict):
        return False
    return ("success" in data and "error" in data) or isinstance(data.get("result"), dict | list)


def ckan_error(data: dict[str, Any]) -> str:
    """The message of a CKAN error response, for a person."""
    error: dict[str, Any] = data["error"] if isinstance(data.get("error"), dict) else {}
    kind = clean_text(error.get("__type")) or "Error"
    details = clean_text(error.get("message")) or "; ".join(
        f"{k}: {clean_text(v) or v}" for k, v in error.items() if not k.startswith("__")
    )
    return (
        f"The portal answered with an error, not datasets: {kind}"
        + (f" — {details}" if details else "")
        + ". Check the address and the dataset or organisation name, then try again."
    )


def portal_of(data: Any, packages: list[dict[str, Any]]) -> str:
    """The portal a response came from: its help link, else its resources' common address."""
    help_url = clean_text(data.get("help")) if isinstance(data, dict) else ""
    found = PORTAL_FROM_HELP.match(help_url)
    if found:
        return found.group(1)
    hosts: Counter[str] = Counter()
    for package in packages:
        for resource in package.get("resources") or []:
            if isinstance(resource, dict):
                match = PORTAL_FROM_RESOURCE.match(clean_text(resource.get("url")))
                if match:
                    hosts[match.group(1)] += 1
    return hosts.most_common(1)[0][0] if hosts else ""


def is_package(item: Any) -> bool:
    """Whether an object is a CKAN package (a dataset), not an organisation, group or user."""
    if (
        not isinstance(item, dict)
        or item.get("is_organization")
        or item.get("type")
        in (
            "organization",
            "group",
        )
    ):
        return False
    title = item.get("title")
    return bool(
        clean_text(title) or (isinstance(title, dict) and title) or clean_text(item.get("name"))
    )


def ckan_record(package: dict[str, Any], portal: str) -> DatasetRecord:
    """A record from a CKAN package (the shape of package_show's result)."""
    extras = _extras(package)
    title, title_languages = pick_language(
        package.get("title_translated") or package.get("title") or package.get("name")
    )
    description, description_languages = pick_language(
        package.get("notes_translated") or package.get("notes") or package.get("description")
    )
    name = clean_text(package.get("name"))
    distributions = _resources(package.get("resources"))
    return DatasetRecord(
        title=title[:300],
        publisher=_publisher(package)[:300],
        description=description,
        landing_page=f"{portal}/dataset/{name}" if portal and name else "",
        licence=clean_text(package.get("license_title") or package.get("license_id"), 200),
        keywords=_keywords(package),
        spatial_coverage=_spatial(package, extras)[:120],
        granularity=normalise_granularity(
            extras.get("granularity") or extras.get("geographic_granularity")
        ),
        update_frequency=frequency_words(
            package.get("accrual_periodicity")
            or package.get("frequency")
            or extras.get("update_frequency")
            or extras.get("frequency")
            or extras.get("accrual_periodicity")
        ),
        access=normalise_access(extras.get("access") or "open"),
        extra={"ckan_id": clean_text(package.get("id")), "ckan_name": name},
        identifier=clean_text(package.get("id") or name, 500),
        source_portal=portal[:300],
        doi=find_doi(package.get("doi"), extras.get("doi"), package.get("identifier")),
        temporal_coverage=_temporal(package, extras)[:120],
        formats=_formats(distributions),
        distributions=distributions,
        translations=_translations(title_languages, description_languages),
    )


def _extras(package: dict[str, Any]) -> dict[str, Any]:
    """A package's extras as a dict of lower-case keys."""
    return {
        clean_text(e.get("key")).lower(): e.get("value")
        for e in package.get("extras") or []
        if isinstance(e, dict)
    }


def _publisher(package: dict[str, Any]) -> str:
    """The organisation's title (English where multilingual), else the author."""
    organisation: dict[str, Any] = (
        package["organization"] if isinstance(package.get("organization"), dict) else {}
    )
    title, _ = pick_language(organisation.get("title") or organisation.get("display_name"))
    return title or clean_text(organisation.get("name")) or clean_text(package.get("author"))


def _keywords(package: dict[str, Any]) -> list[str]:
    """Tags, or multilingual keywords in English (else the first language)."""
    keywords = package.get("keywords")
    if isinstance(keywords, dict):
        chosen: Any = keywords.get("en") or next(iter(keywords.values()), [])
        return split_keywords(chosen if isinstance(chosen, list) else [])
    tags = package.get("tags")
    return split_keywords(tags if isinstance(tags, list) else [])


def _resources(resources: Any) -> list[dict[str, str]]:
    """Each resource's title, format and download link (links only http(s))."""
    found = []
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict):
            continue
        title, _ = pick_language(resource.get("name") or resource.get("title"))
        found.append(
            {
                "title": title[:300],
                "format": clean_text(resource.get("format"), 40).upper(),
                "url": safe_link(resource.get("url") or resource.get("download_url")),
                "media_type": clean_text(
                    resource.get("mimetype") or resource.get("media_type"), 100
                ),
            }
        )
    return found[:200]


def _formats(distributions: list[dict[str, str]]) -> list[str]:
    """The distinct formats of a dataset's resources, in order."""
    return list(dict.fromkeys(d["format"] for d in distributions if d["format"]))


def _spatial(package: dict[str, Any], extras: dict[str, Any]) -> str:
    """Spatial coverage in words; a GeoJSON shape becomes its type and bounding box."""
    words = clean_text(
        package.get("spatial_info") or extras.get("spatial_coverage") or extras.get("coverage")
    )
    if words:
        return words
    return _geojson_words(package.get("spatial") or extras.get("spatial"))


def _geojson_words(value: Any) -> str:
    """A GeoJSON geometry described as "Point 7.83, 46.56" or "Polygon 5.9–10.5, 45.8–47.8"."""
    try:
        shape = json.loads(value) if isinstance(value, str) else value
    except (ValueError, RecursionError):
        return clean_text(value)
    points = list(_coordinates(shape))
    if not points:
        return (
            clean_text(value)
            if isinstance(value, str) and not value.lstrip().startswith("{")
            else ""
        )
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    kind = clean_text(shape.get("type")) if isinstance(shape, dict) else "Area"
    if len(points) == 1:
        return f"{kind} {xs[0]:.2f}, {ys[0]:.2f}"
    return f"{kind} {min(xs):.2f}–{max(xs):.2f}, {min(ys):.2f}–{max(ys):.2f}"


def _coordinates(shape: Any, depth: int = 0) -> Any:
    """Every (x, y) pair in a GeoJSON value (bounded depth)."""
    if depth > 8:
        return
    if isinstance(shape, dict):
        for key in ("coordinates", "geometries", "geometry", "features"):
            if key in shape:
                yield from _coordinates(shape[key], depth + 1)
    elif isinstance(shape, list):
        if len(shape) >= 2 and all(isinstance(v, int | float) for v in shape[:2]):
            yield float(shape[0]), float(shape[1])
        else:
            for item in shape[:10_000]:
                yield from _coordinates(item, depth + 1)


def _temporal(package: dict[str, Any], extras: dict[str, Any]) -> str:
    """Temporal coverage as "start to end", from extras, DCAT-AP fields or EnviDat dates."""
    start = clean_text(extras.get("temporal_start") or package.get("temporal_start"))
    end = clean_text(extras.get("temporal_end") or package.get("temporal_end"))
    if not start and isinstance(package.get("temporals"), list) and package["temporals"]:
        first = package["temporals"][0] if isinstance(package["temporals"][0], dict) else {}
        start, end = clean_text(first.get("start_date")), clean_text(first.get("end_date"))
    if not start:
        start, end = _envidat_dates(package.get("date"))
    if not start:
        return clean_text(extras.get("temporal") or extras.get("temporal_coverage"))
    return f"{start[:10]} to {end[:10]}" if end else start[:10]


def _envidat_dates(value: Any) -> tuple[str, str]:
    """The collection dates of an EnviDat package's `date` list."""
    try:
        dates = json.loads(value) if isinstance(value, str) else value
    except (ValueError, RecursionError):
        return "", ""
    if not isinstance(dates, list):
        return "", ""
    entries: list[dict[str, Any]] = [d for d in dates if isinstance(d, dict)]
    collected = [d for d in entries if d.get("date_type") == "collected"]
    chosen: dict[str, Any] = (collected or entries or [{}])[0]
    return clean_text(chosen.get("date")), clean_text(chosen.get("end_date"))


def _translations(title: dict[str, str], description: dict[str, str]) -> dict[str, dict[str, str]]:
    """The other languages of multilingual fields."""
    kept = {}
    if len(title) > 1:
        kept["title"] = title
    if len(description) > 1:
        kept["description"] = description
    return kept
