"""Bulk out: a workshop's statements as CSV or XLSX, safe to open in Excel and Power BI.

A CSV has no cell types, so a text that a spreadsheet would run as a formula gets a leading
apostrophe there; an XLSX cell has a type, so text is written as a text cell and needs none."""

from collections import defaultdict
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from insights.core.downloads import CONTENT_TYPES
from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Exercise, Workshop

EXPORT_COLUMNS = (
    "id",
    "workshop",
    "exercise",
    "kind",
    "text",
    "original_text",
    "organisation",
    "borough",
    "author",
    "created_at",
    "themes",
    "datasets",
    "suggested_datasets",
)
EXPORT_FORMATS = {name: CONTENT_TYPES[name] for name in ("csv", "xlsx")}
SUGGESTED_DATASETS = 5


def export_frame(session: DbSession, workshop: Workshop) -> pd.DataFrame:
    """One row per live statement (not deleted, not merged away), in board order."""
    rows = session.execute(_statements_query(workshop)).all()
    ids = [row.id for row in rows]
    themes = _theme_slugs(session, ids)
    confirmed, suggested = _dataset_titles(session, ids)
    records = [
        {
            "id": row.id,
            "workshop": workshop.slug,
            "exercise": row.exercise or "",
            "kind": row.kind,
            "text": row.text,
            "original_text": row.original_text,
            "organisation": row.organisation or "",
            "borough": row.borough or "",
            "author": "" if row.anonymous else row.author_name,
            "created_at": _utc(row.created_at),
            "themes": ";".join(themes[row.id]),
            "datasets": ";".join(confirmed[row.id]),
            "suggested_datasets": ";".join(suggested[row.id][:SUGGESTED_DATASETS]),
        }
        for row in rows
    ]
    return pd.DataFrame.from_records(records, columns=list(EXPORT_COLUMNS))


def _statements_query(workshop: Workshop) -> sa.Select:
    """The live statements of a workshop with the names of their exercise, organisation, borough."""
    return (
        sa.select(
            Statement.id,
            Statement.kind,
            Statement.text,
            Statement.original_text,
            Statement.author_name,
            Statement.anonymous,
            Statement.created_at,
            Exercise.title.label("exercise"),
            Organisation.name.label("organisation"),
            Borough.name.label("borough"),
        )
        .outerjoin(Exercise, Statement.exercise_id == Exercise.id)
        .outerjoin(Organisation, Statement.organisation_id == Organisation.id)
        .outerjoin(Borough, Statement.borough_code == Borough.code)
        .where(Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None))
        .where(Statement.merged_into_id.is_(None))
        .order_by(Exercise.position.nulls_last(), Statement.created_at, Statement.id)
    )


def _in_chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    """Ids in slices small enough for any database's limit on bound parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _theme_slugs(session: DbSession, ids: list[int]) -> dict[int, list[str]]:
    """Statement id -> slugs of its themes that no one rejected, in taxonomy order."""
    slugs: dict[int, list[str]] = defaultdict(list)
    for chunk in _in_chunks(ids):
        query = (
            sa.select(StatementTheme.statement_id, Theme.slug)
            .join(Theme, StatementTheme.theme_id == Theme.id)
            .where(StatementTheme.statement_id.in_(chunk))
            .where(StatementTheme.decision != "rejected")
            .order_by(StatementTheme.statement_id, Theme.position, Theme.slug)
        )
        for statement_id, slug in session.execute(query):
            slugs[statement_id].append(slug)
    return slugs


def _dataset_titles(
    session: DbSession, ids: list[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Statement id -> titles of confirmed datasets, and of suggested ones best first."""
    confirmed: dict[int, list[str]] = defaultdict(list)
    suggested: dict[int, list[str]] = defaultdict(list)
    for chunk in _in_chunks(ids):
        query = (
            sa.select(NeedDatasetLink.statement_id, NeedDatasetLink.status, Dataset.title)
            .join(Dataset, NeedDatasetLink.dataset_id == Dataset.id)
            .where(NeedDatasetLink.statement_id.in_(chunk))
            .where(NeedDatasetLink.status.in_(("confirmed", "suggested")))
            .where(Dataset.deleted_at.is_(None))
            .order_by(NeedDatasetLink.statement_id, NeedDatasetLink.score.desc(), Dataset.title)
        )
        for statement_id, status, title in session.execute(query):
            (confirmed if status == "confirmed" else suggested)[statement_id].append(title)
    return confirmed, suggested


def _utc(moment: datetime | None) -> datetime | None:
    """A stored time as naive UTC (SQLite drops the zone; spreadsheets have none)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None, microsecond=0)


def export_statements(session: DbSession, workshop: Workshop, file_format: str) -> bytes:
    """The workshop's statements as the bytes of a CSV or XLSX file."""
    frame = export_frame(session, workshop)
    if file_format == "xlsx":
        return frames_to_xlsx({"Statements": frame})
    if file_format == "csv":
        return frame_to_csv(frame)
    raise ValueError(f"Unknown export format {file_format!r}: use csv or xlsx.")


def export_filename(workshop: Workshop, file_format: str) -> str:
    """A download name such as data-about-the-sector-statements.xlsx."""
    return f"{workshop.slug}-statements.{file_format}"
