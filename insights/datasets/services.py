"""Catalogue services: upsert, import, the starter catalogue, edits, search and links.

Services take a session and never commit; the view or command that owns the request does.
"""

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from insights.auth.models import User
from insights.datasets.importers import read_catalogue
from insights.datasets.models import LINK_COVERAGES, Dataset, NeedDatasetLink
from insights.datasets.records import (
    DatasetRecord,
    clean_text,
    landing_page_key,
    title_publisher_key,
)
from insights.extensions import DbSession
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


class DatasetError(ValueError):
    """A catalogue request that cannot be done, with a message for the person."""


class DatasetConflict(DatasetError):
    """Someone else saved the dataset after the person opened it."""


@dataclass
class ImportSummary:
    """What an import or starter load did."""

    created: int = 0
    updated: int = 0
    titles: list[str] = field(default_factory=list)

    def message(self) -> str:
        """A sentence for the person or the terminal."""
        return f"{self.created} datasets added, {self.updated} updated."


@dataclass
class CatalogueIndex:
    """Existing datasets by title and publisher, and by landing page, to find repeats.

    Some publishers list several datasets on one page (a year per file, say): a page shared
    by two datasets, in the catalogue or in the file, matches by title and publisher only.
    """

    by_name: dict[str, Dataset] = field(default_factory=dict)
    by_page: dict[str, list[Dataset]] = field(default_factory=dict)
    shared_pages: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, session: DbSession, records: list[DatasetRecord]) -> "CatalogueIndex":
        """Index every dataset not deleted; note the pages several records of the file share."""
        index = cls()
        for dataset in session.scalars(sa.select(Dataset).where(Dataset.deleted_at.is_(None))):
            index.add(dataset)
        titles: dict[str, set[str]] = {}
        for record in records:
            if record.landing_page:
                key = landing_page_key(record.landing_page)
                titles.setdefault(key, set()).add(record.title.lower())
        index.shared_pages = {page for page, names in titles.items() if len(names) > 1}
        return index

    def add(self, dataset: Dataset) -> None:
        """Remember a dataset under both keys."""
        self.by_name[title_publisher_key(dataset.title, dataset.publisher)] = dataset
        if dataset.landing_page:
            page = self.by_page.setdefault(landing_page_key(dataset.landing_page), [])
            if dataset not in page:
                page.append(dataset)

    def find(self, record: DatasetRecord) -> Dataset | None:
        """The dataset this record repeats: same title and publisher, or same landing page."""
        found = self.by_name.get(title_publisher_key(record.title, record.publisher))
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


def apply_record(dataset: Dataset, record: DatasetRecord, themes: dict[str, Theme]) -> None:
    """Copy a record's non-empty fields onto a dataset; known theme slugs become its themes."""
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        if value or getattr(dataset, name) is None:
            setattr(dataset, name, value)
    chosen = [themes[slug] for slug in record.themes if slug in themes]
    if chosen:
        dataset.themes = chosen
    if record.extra:
        dataset.extra = {**(dataset.extra or {}), **record.extra}


def import_records(
    session: DbSession, records: list[DatasetRecord], *, source: str
) -> ImportSummary:
    """Add or update each record; a repeat (same page, or title and publisher) is updated."""
    index = CatalogueIndex.of(session, records)
    themes = themes_by_slug(session)
    summary = ImportSummary()
    for record in records:
        dataset = index.find(record)
        if dataset is None:
            dataset = Dataset(title=record.title, source=source, keywords=[], extra={})
            session.add(dataset)
            summary.created += 1
        else:
            summary.updated += 1
        apply_record(dataset, record, themes)
        index.add(dataset)
        summary.titles.append(dataset.title)
    session.flush()
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
    session: DbSession, content: bytes, filename: str = ""
) -> tuple[str, ImportSummary]:
    """Import a CSV, CKAN or DCAT file: all of it, or nothing when it is invalid."""
    kind, records = read_catalogue(content, filename)
    return kind, import_records(session, records, source="import")


def create_dataset(session: DbSession, values: dict[str, Any], themes: list[Theme]) -> Dataset:
    """A new catalogue entry from a form's values."""
    if not clean_text(values.get("title")):
        raise DatasetError("A dataset needs a title.")
    dataset = Dataset(source="manual", keywords=[], extra={})
    _set_values(dataset, values, themes)
    session.add(dataset)
    session.flush()
    return dataset


def update_dataset(
    session: DbSession,
    dataset: Dataset,
    values: dict[str, Any],
    themes: list[Theme],
    *,
    seen_version: int,
) -> Dataset:
    """Save an edit made on the given version; refuse it if someone saved since."""
    if dataset.version != seen_version:
        raise DatasetConflict(
            "Someone else saved this dataset after you opened it. "
            "Your changes were not saved: here is the latest version."
        )
    _set_values(dataset, values, themes)
    session.flush()
    return dataset


def _set_values(dataset: Dataset, values: dict[str, Any], themes: list[Theme]) -> None:
    """Copy form values onto a dataset."""
    for name in (*RECORD_FIELDS, "holder_organisation_id"):
        if name in values:
            setattr(dataset, name, values[name])
    dataset.themes = list(themes)


def search_datasets(
    query: str = "",
    *,
    theme: str = "",
    granularity: str = "",
    access: str = "",
) -> sa.Select[Any]:
    """Datasets matching words in title, publisher, description or keywords, and the filters."""
    select = sa.select(Dataset).where(Dataset.deleted_at.is_(None)).order_by(Dataset.title)
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


def undo_link_decision(session: DbSession, statement: Statement, dataset: Dataset) -> None:
    """Forget a confirm or reject, so the dataset may be suggested again."""
    link = link_for(session, statement.id, dataset.id)
    if link is not None:
        session.delete(link)
        session.flush()


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
