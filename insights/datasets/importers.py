"""Read catalogue files through the ingestion layer: CSV/XLSX, CKAN API JSON (package_search,
package_show, ckanapi dumps, JSON lines), DCAT-US data.json and DCAT-AP RDF (RDF/XML, Turtle,
JSON-LD). Whatever cannot be read is refused with a message saying what it is and why."""

import re
from dataclasses import dataclass, field
from typing import Any

from insights.datasets.ckan import ckan_error, ckan_record, is_ckan_response, is_package, portal_of
from insights.datasets.dcat_json import catalogue_portal, dcat_record, looks_like_dataset
from insights.datasets.rdf import parse_graph, rdf_records
from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    frequency_words,
    normalise_access,
    normalise_granularity,
    safe_link,
    split_keywords,
)
from insights.ingest.documents import Document, read_document
from insights.ingest.limits import Limits
from insights.ingest.mapping import exact_field
from insights.ingest.problems import IngestError, rejected
from insights.ingest.reading import read_table

MAX_IMPORT_BYTES = 10 * 1024 * 1024
FORMATS = ("csv", "ckan", "dcat", "rdf")
CatalogueImportError = IngestError  # every refusal of a catalogue file is one of these

# CSV column names people use, mapped to our fields (compared without case or punctuation).
CSV_COLUMNS = {
    "title": ("title", "name", "dataset", "dataset title"),
    "publisher": ("publisher", "organisation", "organization", "owner", "holder", "source"),
    "description": ("description", "notes", "summary", "abstract"),
    "landing_page": ("landing page", "landingpage", "url", "link", "homepage", "web page"),
    "keywords": ("keywords", "keyword", "tags", "tag"),
    "licence": ("licence", "license", "license title", "licence title"),
    "themes": ("themes", "theme"),
    "spatial_coverage": ("spatial coverage", "spatial", "coverage", "geography", "area"),
    "granularity": ("granularity", "geographic granularity", "level", "geographic level"),
    "update_frequency": ("update frequency", "frequency", "accrualperiodicity", "updated"),
    "access": ("access", "access level", "accesslevel"),
    "identifier": ("identifier", "id", "dataset id"),
    "doi": ("doi",),
    "temporal_coverage": ("temporal", "temporal coverage", "period"),
    "formats": ("format", "formats"),
}


@dataclass(frozen=True)
class Catalogue:
    """A read catalogue file: its format, its records, and what the person should know."""

    kind: str
    records: tuple[DatasetRecord, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    encoding: str = "utf-8"  # "" for a spreadsheet, which is no text


def read_catalogue(
    content: bytes, filename: str = "", *, portal: str = "", limits: Limits | None = None
) -> Catalogue:
    """Detect the file's format and read its datasets; refuses what is not a catalogue."""
    limits = limits or Limits(max_bytes=MAX_IMPORT_BYTES)
    if filename.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        return Catalogue("csv", tuple(_table_records(content, filename, limits)), encoding="")
    document = read_document(content, filename, limits)
    kind, records, notes = _records(document, portal, content, filename, limits)
    if not records:
        raise rejected("The file holds no datasets.")
    if len(records) > limits.max_rows:
        raise rejected(f"The file holds more than {limits.max_rows:,} datasets; split it.")
    return Catalogue(kind, tuple(records), document.notes + notes, document.encoding)


def _records(
    document: Document, portal: str, content: bytes, filename: str, limits: Limits
) -> tuple[str, list[DatasetRecord], tuple[str, ...]]:
    """The records of a read document, by its kind."""
    if document.kind == "rdf":
        return "rdf", rdf_records(parse_graph(document.text, document.rdf_format)), ()
    if document.kind == "jsonl":
        packages = [item for item in document.value if isinstance(item, dict)]
        found = portal or portal_of({}, packages)
        return "ckan", _ckan_list(packages, found, "JSON lines"), _dump_note(packages, portal)
    if document.kind == "json":
        return _json_records(document.value, portal)
    return "csv", _table_records(content, filename, limits), ()


def _json_records(data: Any, portal: str) -> tuple[str, list[DatasetRecord], tuple[str, ...]]:
    """A CKAN API response, a data.json catalogue, or a list of packages or DCAT entries."""
    if is_ckan_response(data):
        if data.get("success") is False or "error" in data:
            raise rejected(ckan_error(data))
        result = data.get("result")
        if isinstance(result, dict) and isinstance(result.get("results"), list):
            packages = result["results"]
        elif isinstance(result, dict):
            packages = [result]
        else:
            packages = result if isinstance(result, list) else []
            _refuse_organisations(packages)
        found = portal or portal_of(data, [p for p in packages if isinstance(p, dict)])
        return "ckan", _ckan_list(packages, found, "This CKAN response"), ()
    if isinstance(data, dict) and isinstance(data.get("dataset"), list):
        entries = [e for e in data["dataset"] if isinstance(e, dict)]
        found = catalogue_portal(data, entries, portal)
        return "dcat", _dcat_list(data["dataset"], found), ()
    if isinstance(data, list):
        return _json_list(data, portal)
    if is_package(data) and ("resources" in data or "title_translated" in data):
        return "ckan", [ckan_record(data, portal or portal_of({}, [data]))], ()
    keys = ", ".join(repr(str(k)) for k in list(data)[:8]) if isinstance(data, dict) else ""
    raise rejected(
        "This JSON is neither a CKAN API response (result.results or result), a DCAT / "
        "data.json catalogue (dataset[]) nor JSON-LD"
        + (f": it has the keys {keys}." if keys else f": it is a {type(data).__name__}.")
    )


def _json_list(items: list[Any], portal: str) -> tuple[str, list[DatasetRecord], tuple[str, ...]]:
    """A bare list: CKAN packages (a ckanapi dump) or DCAT entries, else refused as no catalogue."""
    objects = [item for item in items if isinstance(item, dict)]
    if objects and all(
        o.get("is_organization") or o.get("type") == "organization" for o in objects[:50]
    ):
        raise rejected(
            f"This is a list of {len(items):,} CKAN organisations, not datasets. Import the "
            "portal's package_search response, or harvest the portal with an organisation filter."
        )
    if (
        objects
        and sum(1 for o in objects[:200] if is_package(o) and "resources" in o)
        > len(objects[:200]) // 2
    ):
        found = portal or portal_of({}, objects)
        return "ckan", _ckan_list(objects, found, "This ckanapi dump"), _dump_note(objects, portal)
    datasets = sum(1 for o in objects[:200] if looks_like_dataset(o))
    if not objects or datasets < max(1, len(objects[:200]) // 2):
        raise rejected(
            f"This JSON list holds {len(items):,} items, but they are not datasets (a dataset "
            "has a title and a description, distribution, identifier or publisher). Nothing "
            "was imported."
        )
    return "dcat", _dcat_list(items, catalogue_portal({}, objects, portal)), ()


def _refuse_organisations(items: list[Any]) -> None:
    """Refuse a list of CKAN organisations or groups, which is no catalogue of datasets."""
    objects = [item for item in items[:50] if isinstance(item, dict)]
    if objects and all(
        o.get("is_organization") or o.get("type") in ("organization", "group") for o in objects
    ):
        raise rejected(
            f"This is a list of {len(items):,} CKAN organisations or groups, not datasets. Import "
            "the portal's package_search response, or harvest the portal with an organisation "
            "filter."
        )


def _ckan_list(packages: list[Any], portal: str, what: str) -> list[DatasetRecord]:
    """Records of CKAN packages; refuses an entry that is no package, naming it."""
    records = []
    for number, package in enumerate(packages, start=1):
        if not is_package(package):
            raise rejected(
                f"Entry {number} has no title: {what} holds something that is no dataset."
            )
        records.append(ckan_record(package, portal))
    return records


def _dcat_list(entries: list[Any], portal: str) -> list[DatasetRecord]:
    """Records of DCAT entries; refuses an entry without a title, naming it."""
    records = []
    for number, entry in enumerate(entries, start=1):
        record = dcat_record(entry, portal) if isinstance(entry, dict) else None
        if record is None or not record.title:
            raise rejected(f"Entry {number} has no title.")
        records.append(record)
    return records


def _dump_note(packages: list[Any], portal: str) -> tuple[str, ...]:
    """What to say about a dump read without knowing its portal."""
    found = portal or portal_of({}, [p for p in packages if isinstance(p, dict)])
    if found:
        return (f"Read {len(packages):,} packages of a ckanapi dump from {found}.",)
    return (
        f"Read {len(packages):,} packages of a ckanapi dump whose portal is unknown: their "
        "landing pages are left empty. Give the portal's address (--portal URL) to link them.",
    )


# --- CSV and XLSX ----------------------------------------------------------------------------


def _table_records(content: bytes, filename: str, limits: Limits) -> list[DatasetRecord]:
    """Datasets from a CSV or XLSX with a title column and any of the other known columns."""
    table = read_table(content, filename or "catalogue.csv", limits)
    columns = _map_columns(table.headers)
    if "title" not in columns:
        raise rejected("The CSV needs a 'title' column (found: " + ", ".join(table.headers) + ").")
    records, missing = [], []
    for index, row in enumerate(table.frame.to_dict("records")):
        values = {name: row[column] for name, column in columns.items()}
        if not clean_text(values["title"]):
            missing.append(str(table.row_number(index)))
            continue
        records.append(_record_from_values(values))
    if missing:
        raise rejected("Rows without a title: line " + ", ".join(missing[:20]) + ".")
    return records


def _map_columns(names: list[str]) -> dict[str, str]:
    """Our field name → the file's column that holds it."""
    found: dict[str, str] = {}
    for name in names:
        field_name = exact_field(name, CSV_COLUMNS)
        if field_name and field_name not in found:
            found[field_name] = name
    return found


def _record_from_values(values: dict[str, Any]) -> DatasetRecord:
    """A record from one CSV row's values, keyed by our field names."""
    return DatasetRecord(
        title=clean_text(values["title"], 300),
        publisher=clean_text(values.get("publisher"), 300),
        description=clean_text(values.get("description")),
        landing_page=safe_link(values.get("landing_page")),
        licence=clean_text(values.get("licence"), 200),
        keywords=split_keywords(values.get("keywords")),
        themes=split_keywords(values.get("themes")),
        spatial_coverage=clean_text(values.get("spatial_coverage"), 120),
        granularity=normalise_granularity(values.get("granularity")),
        update_frequency=frequency_words(values.get("update_frequency")),
        access=normalise_access(values.get("access")),
        identifier=clean_text(values.get("identifier"), 500),
        doi=clean_text(values.get("doi"), 200),
        temporal_coverage=clean_text(values.get("temporal_coverage"), 120),
        formats=[f.upper() for f in re.split(r"[;|,]\s*", clean_text(values.get("formats"))) if f],
    )
