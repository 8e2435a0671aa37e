"""Catalogue services: upsert, import, the starter catalogue, edits, search and links.

Services take a session and never commit; the view or command that owns the request does.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from insights.audit.services import changed as changed_fields
from insights.audit.services import record as record_audit
from insights.audit.services import snapshot
from insights.auth.models import User
from insights.core.links import safe_link
from insights.datasets.importers import read_catalogue
from insights.datasets.models import LINK_COVERAGES, Dataset, NeedDatasetLink
from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    landing_page_key,
    title_publisher_key,
)
from insights.extensions import DbSession
from insights.ingest.report import ImportReport
from insights.reference import read_json
from insights.statements.models import Statement
from insights.themes.models import Theme
from insights.timeutil import utcnow

RECORD_FIELDS = (
    "title",
    "publisher",
    "description",
    "landing_page",
    "licence",
    "keywords",
    "spatial_coverage",
    "granularity",
    "update_frequency",
    "access",
)
# Fields of a record's source identity and contents that imports and harvests keep.
SOURCE_FIELDS = (
    "identifier",
    "source_portal",
    "doi",
    "temporal_coverage",
    "formats",
    "distributions",
    "translations",
)


class DatasetError(ValueError):
    """A catalogue request that cannot be done, with a message for the person."""


class DatasetConflict(DatasetError):
    """Someone else saved the dataset after the person opened it."""


@dataclass
class ImportSummary:
    """What an import, harvest or starter load did: added, changed, unchanged, withdrawn."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    titles: list[str] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    ids: list[int] = field(default_factory=list)

    def report(self) -> ImportReport:
        """The one report of the ingestion layer."""
        return ImportReport(
            noun="datasets",
            added=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            withdrawn=self.withdrawn,
            notes=self.notes,
            titles=tuple(self.titles),
        )

    def message(self) -> str:
        """A sentence for the person or the terminal."""
        return self.report().message()


@dataclass
class CatalogueIndex:
    """Existing datasets by identity (identifier at its portal), and, for records without an
    identifier, by title and publisher or by a landing page no other dataset shares."""

    by_identity: dict[tuple[str, str], Dataset] = field(default_factory=dict)
    by_name: dict[str, Dataset] = field(default_factory=dict)
    by_page: dict[str, list[Dataset]] = field(default_factory=dict)
    shared_pages: set[str] = field(default_factory=set)
    shared_names: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, session: DbSession, records: Sequence[DatasetRecord]) -> "CatalogueIndex":
        """Index every dataset not deleted; note the pages several records of the file share."""
        index = cls()
        for dataset in session.scalars(sa.select(Dataset).where(Dataset.deleted_at.is_(None))):
            index.add(dataset)
        titles: dict[str, set[str]] = {}
        names: dict[str, int] = {}
        for record in records:
            if record.landing_page and not record.identifier:
                key = landing_page_key(record.landing_page)
                titles.setdefault(key, set()).add(record.title.lower())
            name = title_publisher_key(record.title, record.publisher)
            names[name] = names.get(name, 0) + 1
        index.shared_pages = {page for page, names in titles.items() if len(names) > 1}
        index.shared_names = {name for name, count in names.items() if count > 1}
        return index

    def add(self, dataset: Dataset) -> None:
        """Remember a dataset under its keys (by name only while it has no identifier)."""
        name = title_publisher_key(dataset.title, dataset.publisher)
        if dataset.identifier:
            self.by_identity[(dataset.source_portal, dataset.identifier)] = dataset
            if self.by_name.get(name) is dataset:
                del self.by_name[name]
            return
        self.by_name[name] = dataset
        if dataset.landing_page:
            page = self.by_page.setdefault(landing_page_key(dataset.landing_page), [])
            if dataset not in page:
                page.append(dataset)

    def find(self, record: DatasetRecord) -> Dataset | None:
        """The dataset this record repeats: same identity, else (without one) same name or page.

        A record with an identifier is only ever the dataset with that identifier at that
        portal: two distinct datasets that share a title and publisher stay two.
        """
        name = title_publisher_key(record.title, record.publisher)
        if record.identity is not None:
            found = self.by_identity.get(record.identity)
            if found is not None or name in self.shared_names:
                return found
            # an entry made by hand (no identifier) is the dataset a catalogue now names
            return self.by_name.get(name)
        found = self.by_name.get(name)
        if found is not None or not record.landing_page:
            return found
        key = landing_page_key(record.landing_page)
        candidates = self.by_page.get(key, [])
        if len(candidates) == 1 and key not in self.shared_pages:
            return candidates[0]
        return None


def themes_by_slug(session: DbSession) -> dict[str, Theme]:
    """Every theme of the taxonomy, keyed by slug."""
    return {theme.slug: theme for theme in session.scalars(sa.select(Theme))}


def stored_value(name: str, value: Any) -> Any:
    """A field's value as stored: a landing page only when it is an http(s) or mailto link."""
    return safe_link(value) if name == "landing_page" else value


def record_changes(
    dataset: Dataset, record: DatasetRecord, themes: dict[str, Theme]
) -> dict[str, Any]:
    """What copying a record's non-empty fields onto a dataset would change: field → value.

    Nothing is changed here, so a preview asks the same question the import then acts on."""
    changes: dict[str, Any] = {}
    for name in (*RECORD_FIELDS, *SOURCE_FIELDS):
        value = stored_value(name, getattr(record, name))
        if (value or getattr(dataset, name) is None) and getattr(dataset, name) != value:
            changes[name] = value
    chosen = [themes[slug] for slug in record.themes if slug in themes]
    if chosen and {t.id for t in dataset.themes} != {t.id for t in chosen}:
        changes["themes"] = chosen
    if record.extra and any((dataset.extra or {}).get(k) != v for k, v in record.extra.items()):
        changes["extra"] = {**(dataset.extra or {}), **record.extra}
    if dataset.withdrawn_at is not None:
        changes["withdrawn_at"] = None
    return changes


def apply_record(dataset: Dataset, record: DatasetRecord, themes: dict[str, Theme]) -> bool:
    """Copy a record's non-empty fields onto a dataset; returns whether anything changed."""
    changes = record_changes(dataset, record, themes)
    for name, value in changes.items():
        setattr(dataset, name, value)
    return bool(changes)


def import_records(
    session: DbSession,
    records: Sequence[DatasetRecord],
    *,
    source: str,
    harvest_source_id: int | None = None,
    whole_file: Sequence[DatasetRecord] | None = None,
) -> ImportSummary:
    """Add or update each record in place; a repeat (same identity) is updated, not doubled.

    A background import passes one chunk at a time with `whole_file`, so records that share a
    page or a name across chunks are matched as they would be in one go."""
    index = CatalogueIndex.of(session, whole_file if whole_file is not None else records)
    themes = themes_by_slug(session)
    summary = ImportSummary()
    touched = []
    for record in records:
        dataset = index.find(record)
        if dataset is None:
            dataset = Dataset(title=record.title, source=source, keywords=[], extra={})
            dataset.harvest_source_id = harvest_source_id
            session.add(dataset)
            apply_record(dataset, record, themes)
            summary.created += 1
        else:
            if harvest_source_id and dataset.harvest_source_id is None:
                dataset.harvest_source_id = harvest_source_id
            if apply_record(dataset, record, themes):
                summary.updated += 1
            else:
                summary.unchanged += 1
        index.add(dataset)
        touched.append(dataset)
        summary.titles.append(dataset.title)
    session.flush()
    summary.ids = [dataset.id for dataset in touched]
    return summary


def starter_records() -> list[DatasetRecord]:
    """The shipped starter catalogue (insights/reference/starter_datasets.json) as records."""
    entries = read_json("starter_datasets.json")["datasets"]
    return [DatasetRecord(**{k: _empty_if_none(k, v) for k, v in e.items()}) for e in entries]


def _empty_if_none(name: str, value: Any) -> Any:
    """A missing value as the field's empty value (the starter file writes null licences)."""
    if value is not None:
        return value
    return [] if name in ("keywords", "themes") else ""


def load_starter_catalogue(session: DbSession) -> ImportSummary:
    """Load the starter catalogue; loading it again updates rather than repeats."""
    return import_records(session, starter_records(), source="starter")


def import_catalogue_file(
    session: DbSession,
    content: bytes,
    filename: str = "",
    *,
    portal: str = "",
    user: User | None = None,
) -> tuple[str, ImportSummary]:
    """Import a CSV, CKAN, DCAT or RDF file: all of it, or nothing when it is invalid."""
    catalogue = read_catalogue(content, filename, portal=portal)
    summary = import_records(session, catalogue.records, source="import")
    summary.notes = catalogue.notes
    audit_catalogue_import(session, filename, summary, user.id if user else None)
    return catalogue.kind, summary


def audit_catalogue_import(
    session: DbSession, filename: str, summary: ImportSummary, user_id: int | None
) -> None:
    """The one audit entry of a catalogue import, however many chunks stored it."""
    record_audit(session, "dataset.import", "import", filename, user_id=user_id, **_counts(summary))


def _counts(summary: ImportSummary) -> dict[str, int]:
    """An import's counts, for the audit log."""
    return {
        "added": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "withdrawn": summary.withdrawn,
    }


# What the audit log keeps of a dataset before and after an edit.
AUDITED_FIELDS = (*RECORD_FIELDS, "holder_organisation_id", "published")


def create_dataset(
    session: DbSession,
    values: dict[str, Any],
    themes: list[Theme],
    *,
    user: User | None = None,
) -> Dataset:
    """A new catalogue entry from a form's values."""
    if not clean_text(values.get("title")):
        raise DatasetError("A dataset needs a title.")
    dataset = Dataset(source="manual", keywords=[], extra={})
    _set_values(dataset, values, themes)
    session.add(dataset)
    session.flush()
    after = snapshot(dataset, AUDITED_FIELDS)
    record_audit(
        session, "dataset.create", "dataset", dataset.id, user_id=user and user.id, after=after
    )
    return dataset


def update_dataset(
    session: DbSession,
    dataset: Dataset,
    values: dict[str, Any],
    themes: list[Theme],
    *,
    seen_version: int,
    user: User | None = None,
) -> Dataset:
    """Save an edit made on the given version; refuse it if someone saved since."""
    if dataset.version != seen_version:
        raise DatasetConflict(
            "Someone else saved this dataset after you opened it. "
            "Your changes were not saved: here is the latest version."
        )
    before = snapshot(dataset, AUDITED_FIELDS)
    _set_values(dataset, values, themes)
    session.flush()
    old, new = changed_fields(before, snapshot(dataset, AUDITED_FIELDS))
    record_audit(
        session,
        "dataset.edit",
        "dataset",
        dataset.id,
        user_id=user and user.id,
        workshop_id=dataset.workshop_id,
        before=old,
        after=new,
    )
    return dataset


def _set_values(dataset: Dataset, values: dict[str, Any], themes: list[Theme]) -> None:
    """Copy form values onto a dataset."""
    for name in (*RECORD_FIELDS, "holder_organisation_id"):
        if name in values:
            setattr(dataset, name, stored_value(name, values[name]))
    dataset.themes = list(themes)


def search_datasets(
    query: str = "",
    *,
    theme: str = "",
    granularity: str = "",
    access: str = "",
) -> sa.Select[Any]:
    """Datasets matching words in title, publisher, description or keywords, and the filters."""
    select = (
        sa.select(Dataset)
        .where(Dataset.deleted_at.is_(None), Dataset.withdrawn_at.is_(None))
        .order_by(Dataset.title)
    )
    for word in query.split()[:8]:
        pattern = f"%{word.lower()}%"
        select = select.where(
            sa.or_(
                sa.func.lower(Dataset.title).like(pattern),
                sa.func.lower(Dataset.publisher).like(pattern),
                sa.func.lower(Dataset.description).like(pattern),
                sa.func.lower(sa.cast(Dataset.keywords, sa.String)).like(pattern),
            )
        )
    if theme:
        select = select.where(Dataset.themes.any(Theme.slug == theme))
    if granularity:
        select = select.where(Dataset.granularity == granularity)
    if access:
        select = select.where(Dataset.access == access)
    return select


def link_for(session: DbSession, statement_id: int, dataset_id: int) -> NeedDatasetLink | None:
    """The link between a statement and a dataset, if one is recorded."""
    return session.scalar(
        sa.select(NeedDatasetLink).where(
            NeedDatasetLink.statement_id == statement_id,
            NeedDatasetLink.dataset_id == dataset_id,
        )
    )


def decide_link(
    session: DbSession,
    statement: Statement,
    dataset: Dataset,
    *,
    status: str,
    user: User | None,
    coverage: str | None = None,
    score: float | None = None,
    reasons: list[str] | None = None,
) -> NeedDatasetLink:
    """Confirm (serves / partly serves) or reject a need's link to a dataset."""
    if status not in ("confirmed", "rejected"):
        raise DatasetError("A link is confirmed or rejected.")
    if status == "confirmed" and coverage not in LINK_COVERAGES:
        raise DatasetError("Say whether the dataset serves the need or partly serves it.")
    link = link_for(session, statement.id, dataset.id)
    if link is None:
        link = NeedDatasetLink(statement_id=statement.id, dataset_id=dataset.id, reasons=[])
        session.add(link)
    record_link(session, "link.decide", link, user, status=status, coverage=coverage)
    link.status = status
    link.coverage = coverage if status == "confirmed" else None
    link.decided_by_id = user.id if user else None
    link.decided_at = utcnow()
    if score is not None:
        link.score = score
    if reasons is not None:
        link.reasons = reasons
    session.flush()
    return link


def undo_link_decision(
    session: DbSession, statement: Statement, dataset: Dataset, user: User | None = None
) -> None:
    """Forget a confirm or reject, so the dataset may be suggested again."""
    link = link_for(session, statement.id, dataset.id)
    if link is not None:
        record_link(session, "link.undo", link, user, status=None, coverage=None)
        session.delete(link)
        session.flush()


def record_link(
    session: DbSession,
    action: str,
    link: NeedDatasetLink,
    user: User | None,
    *,
    status: str | None,
    coverage: str | None,
) -> None:
    """Audit a change to a need's link: its status and coverage before and after."""
    statement = session.get(Statement, link.statement_id)
    record_audit(
        session,
        action,
        "link",
        f"{link.statement_id}:{link.dataset_id}",
        user_id=user.id if user else None,
        workshop_id=statement.workshop_id if statement else None,
        before={"status": link.status, "coverage": link.coverage},
        after={"status": status, "coverage": coverage},
    )


def statement_links(session: DbSession, statement_id: int) -> list[NeedDatasetLink]:
    """A statement's recorded links, confirmed first."""
    order = sa.case({"confirmed": 0, "suggested": 1, "rejected": 2}, value=NeedDatasetLink.status)
    return list(
        session.scalars(
            sa.select(NeedDatasetLink)
            .where(NeedDatasetLink.statement_id == statement_id)
            .order_by(order, NeedDatasetLink.score.desc())
        )
    )
