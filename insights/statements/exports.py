"""Bulk out: a workshop's statements as CSV or XLSX, safe to open in Excel and Power BI."""

import io
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUGGESTED_DATASETS = 5


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM so Excel reads accents right; CRLF rows (RFC 4180); formulas neutralised."""
    safe = frame.map(neutralise)
    # With CRLF as the row end, csv quotes every cell holding a lone CR or LF, as it must.
    text = safe.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet_title: str = "Statements") -> bytes:
    """An XLSX workbook of one sheet; formulas neutralised, characters XML forbids removed."""
    return sheets_to_xlsx({sheet_title: frame})


def sheets_to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with a sheet per frame, each cell made safe as `xlsx_cell` says."""
    workbook = Workbook(write_only=True)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_cell(value: Any) -> Any:
    """One cell's value as openpyxl should write it: no formulas, no characters XML forbids,
    no NaN."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def export_statements(session: DbSession, workshop: Workshop, file_format: str) -> bytes:
    """The workshop's statements as the bytes of a CSV or XLSX file."""
    frame = export_frame(session, workshop)
    if file_format == "xlsx":
        return to_xlsx(frame)
    if file_format == "csv":
        return to_csv(frame)
    raise ValueError(f"Unknown export format {file_format!r}: use csv or xlsx.")


def export_filename(workshop: Workshop, file_format: str) -> str:
    """A download name such as data-about-the-sector-statements.xlsx."""
    return f"{workshop.slug}-statements.{file_format}"
