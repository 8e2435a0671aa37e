"""A catalogue upload's one preview and one report, the same on the web and the command line.

read (importers.read_catalogue) → preview (what would be added, updated, left unchanged or
refused, computed with the import's own matching and nothing written) → import in the request,
or in the background "import" job for a big file (chunks with checkpoints) → the report.
"""

from dataclasses import asdict, dataclass
from typing import Any

from insights.datasets.importers import Catalogue
from insights.datasets.models import Dataset
from insights.datasets.records import DatasetRecord
from insights.datasets.services import (
    CatalogueIndex,
    ImportSummary,
    audit_catalogue_import,
    import_records,
    record_changes,
    themes_by_slug,
)
from insights.extensions import DbSession

FORMAT_NAMES = {
    "csv": "CSV / XLSX table",
    "ckan": "CKAN API JSON",
    "dcat": "DCAT-US data.json",
    "rdf": "DCAT-AP RDF",
}
FIELD_WORDS = {"landing_page": "landing page", "update_frequency": "frequency"}


@dataclass(frozen=True)
class PlannedRecord:
    """What importing one record would do: add it, update a dataset (which fields), or nothing."""

    record: DatasetRecord
    action: str  # "add", "update" or "unchanged"
    changes: tuple[str, ...] = ()
    dataset_id: int | None = None


@dataclass(frozen=True)
class CataloguePreview:
    """Every record of a read catalogue with what its import would do."""

    kind: str
    encoding: str
    planned: tuple[PlannedRecord, ...]
    notes: tuple[str, ...] = ()

    def count(self, action: str) -> int:
        """How many records would be added, updated or left unchanged."""
        return sum(1 for item in self.planned if item.action == action)

    def lines(self) -> list[str]:
        """The preview in the report's words, one fact per line."""
        return [
            f"{self.count('add'):,} datasets would be added",
            f"{self.count('update'):,} would be changed and updated in place",
            f"{self.count('unchanged'):,} already up to date, left unchanged",
            "0 refused (an invalid entry refuses the whole file, before any preview)",
        ]


def preview_catalogue(session: DbSession, catalogue: Catalogue) -> CataloguePreview:
    """What importing the catalogue would do, matched as the import matches; writes nothing."""
    index = CatalogueIndex.of(session, catalogue.records)
    themes = themes_by_slug(session)
    planned = []
    for record in catalogue.records:
        dataset = index.find(record)
        if dataset is None:
            # A stand-in, never added to the session, so later repeats in the file match it.
            stand_in = Dataset(title=record.title, keywords=[], extra={})
            for name, value in record_changes(stand_in, record, {}).items():
                setattr(stand_in, name, value)
            index.add(stand_in)
            planned.append(PlannedRecord(record, "add"))
            continue
        changes = tuple(record_changes(dataset, record, themes))
        action = "update" if changes else "unchanged"
        planned.append(PlannedRecord(record, action, changes, dataset.id))
    return CataloguePreview(catalogue.kind, catalogue.encoding, tuple(planned), catalogue.notes)


def describe_changes(changes: tuple[str, ...]) -> str:
    """The fields an update changes, in words ("title, landing page")."""
    return ", ".join(FIELD_WORDS.get(name, name.replace("_", " ")) for name in changes)


def catalogue_payload(catalogue: Catalogue) -> dict[str, Any]:
    """A read catalogue as JSON, kept by token between its preview and its import."""
    return {
        "kind": catalogue.kind,
        "encoding": catalogue.encoding,
        "notes": list(catalogue.notes),
        "records": [asdict(record) for record in catalogue.records],
    }


def catalogue_from_payload(payload: dict[str, Any]) -> Catalogue:
    """A kept catalogue back from its JSON."""
    records = tuple(DatasetRecord(**values) for values in payload["records"])
    return Catalogue(payload["kind"], records, tuple(payload["notes"]), payload["encoding"])


def import_catalogue(
    session: DbSession, catalogue: Catalogue, filename: str, user_id: int | None
) -> ImportSummary:
    """Import every record of a read catalogue in one go, audited once; the caller commits."""
    summary = import_records(session, catalogue.records, source="import")
    summary.notes = catalogue.notes
    audit_catalogue_import(session, filename, summary, user_id)
    return summary


def report_heading(filename: str, kind: str) -> str:
    """The report's first line: which file, read as what."""
    return f"{filename} ({FORMAT_NAMES.get(kind, kind)}):"
