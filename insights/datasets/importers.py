"""Read catalogue files: CSV, CKAN API JSON (package_search, package_show) and DCAT data.json."""

import io
import json
from typing import Any

import pandas as pd

from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    normalise_access,
    normalise_granularity,
    split_keywords,
)

MAX_IMPORT_BYTES = 10 * 1024 * 1024
FORMATS = ("csv", "ckan", "dcat")

# CSV column names people use, mapped to our fields (compared in lower case, spaces as _).
CSV_COLUMNS = {
    "title": ("title", "name", "dataset", "dataset_title"),
    "publisher": ("publisher", "organisation", "organization", "owner", "holder", "source"),
    "description": ("description", "notes", "summary", "abstract"),
    "landing_page": ("landing_page", "landingpage", "url", "link", "homepage", "web_page"),
    "keywords": ("keywords", "keyword", "tags", "tag"),
    "licence": ("licence", "license", "license_title", "licence_title"),
    "themes": ("themes", "theme"),
    "spatial_coverage": ("spatial_coverage", "spatial", "coverage", "geography", "area"),
    "granularity": ("granularity", "geographic_granularity", "level", "geographic_level"),
    "update_frequency": ("update_frequency", "frequency", "accrualperiodicity", "updated"),
    "access": ("access", "access_level", "accesslevel"),
}


class CatalogueImportError(ValueError):
    """A catalogue file that cannot be read, with a message saying what is wrong."""


def read_catalogue(content: bytes, filename: str = "") -> tuple[str, list[DatasetRecord]]:
    """Detect the file's format and read its datasets; raises CatalogueImportError if invalid."""
    if len(content) > MAX_IMPORT_BYTES:
        raise CatalogueImportError("The file is larger than 10 MB.")
    text = _decode(content)
    if not text.strip():
        raise CatalogueImportError("The file is empty.")
    if filename.lower().endswith(".json") or text.lstrip()[:1] in "{[":
        kind, records = read_json_catalogue(text)
    else:
        kind, records = "csv", read_csv_catalogue(text)
    if not records:
        raise CatalogueImportError("The file holds no datasets.")
    return kind, records


def _decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv_catalogue(text: str) -> list[DatasetRecord]:
    """Datasets from a CSV with a title column and any of the other known columns."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CatalogueImportError(f"This is not a readable CSV file: {error}") from error
    columns = _map_columns(list(frame.columns))
    if "title" not in columns:
        raise CatalogueImportError(
            "The CSV needs a 'title' column (found: " + ", ".join(map(str, frame.columns)) + ")."
        )
    records, missing = [], []
    for number, row in enumerate(frame.to_dict("records"), start=2):
        values = {name: row[column] for name, column in columns.items()}
        if not clean_text(values["title"]):
            missing.append(str(number))
            continue
        records.append(_record_from_values(values))
    if missing:
        raise CatalogueImportError("Rows without a title: line " + ", ".join(missing[:20]) + ".")
    return records


def _map_columns(names: list[str]) -> dict[str, str]:
    """Our field name → the file's column that holds it."""
    found: dict[str, str] = {}
    lowered = {str(name).strip().lower().replace(" ", "_"): name for name in names}
    for field_name, aliases in CSV_COLUMNS.items():
        column = next((lowered[a] for a in aliases if a in lowered), None)
        if column is not None and column not in found.values():
            found[field_name] = column
    return found


def _record_from_values(values: dict[str, Any]) -> DatasetRecord:
    """A record from one CSV row's values, keyed by our field names."""
    return DatasetRecord(
        title=clean_text(values["title"], 300),
        publisher=clean_text(values.get("publisher"), 300),
        description=clean_text(values.get("description")),
        landing_page=clean_text(values.get("landing_page"), 1000),
        licence=clean_text(values.get("licence"), 200),
        keywords=split_keywords(values.get("keywords")),
        themes=split_keywords(values.get("themes")),
        spatial_coverage=clean_text(values.get("spatial_coverage"), 120),
        granularity=normalise_granularity(values.get("granularity")),
        update_frequency=clean_text(values.get("update_frequency"), 40),
        access=normalise_access(values.get("access")),
    )


def read_json_catalogue(text: str) -> tuple[str, list[DatasetRecord]]:
    """A CKAN API response (package_search or package_show) or a DCAT / data.json catalogue."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"This is not valid JSON: {error.msg}, line {error.lineno}."
        raise CatalogueImportError(message) from error
    result = data.get("result") if isinstance(data, dict) else None
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        return "ckan", [ckan_record(package) for package in _objects(result["results"])]
    if isinstance(result, dict) and "title" in result:
        return "ckan", [ckan_record(result)]
    if isinstance(data, dict) and isinstance(data.get("dataset"), list):
        return "dcat", [dcat_record(entry) for entry in _objects(data["dataset"])]
    if isinstance(data, list) and data and all(isinstance(entry, dict) for entry in data):
        return "dcat", [dcat_record(entry) for entry in data]
    raise CatalogueImportError(
        "This JSON is neither a CKAN API response (result.results or result) "
        "nor a DCAT / data.json catalogue (dataset[])."
    )


def _objects(items: list[Any]) -> list[dict[str, Any]]:
    """The entries of a list, refusing anything that is not an object with a title."""
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not clean_text(item.get("title") or item.get("name")):
            raise CatalogueImportError(f"Entry {number} has no title.")
    return items


def ckan_record(package: dict[str, Any]) -> DatasetRecord:
    """A record from a CKAN package (the shape of package_show's result)."""
    extras = {
        clean_text(e.get("key")).lower(): e.get("value")
        for e in package.get("extras") or []
        if isinstance(e, dict)
    }
    organisation = package.get("organization") or {}
    return DatasetRecord(
        title=clean_text(package.get("title") or package.get("name"), 300),
        publisher=clean_text(
            organisation.get("title") or organisation.get("name") or package.get("author"), 300
        ),
        description=clean_text(package.get("notes")),
        landing_page=clean_text(package.get("url") or extras.get("landing_page"), 1000),
        licence=clean_text(package.get("license_title") or package.get("license_id"), 200),
        keywords=split_keywords(package.get("tags") or []),
        spatial_coverage=clean_text(extras.get("spatial_coverage") or extras.get("coverage"), 120),
        granularity=normalise_granularity(
            extras.get("granularity") or extras.get("geographic_granularity")
        ),
        update_frequency=clean_text(extras.get("update_frequency") or extras.get("frequency"), 40),
        access=normalise_access(extras.get("access") or "open"),
        extra={"ckan_id": package.get("id"), "ckan_name": package.get("name")},
    )


def dcat_record(entry: dict[str, Any]) -> DatasetRecord:
    """A record from a DCAT-US / data.json entry, or a 360Giving registry entry."""
    publisher = entry.get("publisher") or {}
    if isinstance(publisher, str):
        publisher = {"name": publisher}
    distribution = [d for d in entry.get("distribution") or [] if isinstance(d, dict)]
    landing = entry.get("landingPage") or next(
        (d.get("accessURL") for d in distribution if d.get("accessURL")), None
    )
    identifier = clean_text(entry.get("identifier"))
    return DatasetRecord(
        title=clean_text(entry.get("title") or entry.get("name"), 300),
        publisher=clean_text(publisher.get("name"), 300),
        description=clean_text(entry.get("description")),
        landing_page=clean_text(landing or (identifier if "://" in identifier else ""), 1000),
        licence=clean_text(entry.get("license_name") or entry.get("license"), 200),
        keywords=split_keywords(entry.get("keyword") or entry.get("keywords") or []),
        spatial_coverage=clean_text(entry.get("spatial"), 120),
        granularity=normalise_granularity(entry.get("granularity")),
        update_frequency=clean_text(entry.get("accrualPeriodicity"), 40),
        access=normalise_access(entry.get("accessLevel") or "open"),
        extra={"identifier": identifier} if identifier else {},
    )
