"""Next steps as CSV or XLSX, ranked, with their score and every factor behind it; each
column name once (the needs count is `needs`, their wordings `needs_addressed`)."""

import pandas as pd

from insights.core.downloads import CONTENT_TYPES
from insights.core.exports import frame_to_csv, frames_to_xlsx
from insights.extensions import DbSession
from insights.nextsteps.factors import RankedStep, ranked_steps
from insights.nextsteps.ranking import FACTORS
from insights.workshops.models import Workshop

EXPORT_FORMATS = {name: CONTENT_TYPES[name] for name in ("csv", "xlsx")}
STEP_COLUMNS = (
    "rank",
    "id",
    "title",
    "status",
    "score",
    *FACTORS,
    *(f"{name}_points" for name in FACTORS),
    "quick_win",
    "owner",
    "due_date",
    "origin",
    "description",
    "notes",
    "pairwise_comparisons",
    "needs_addressed",
    "themes",
    "datasets",
)


def step_record(row: RankedStep) -> dict[str, object]:
    """One ranked step as a flat row."""
    step, factors = row.step, row.factors
    record: dict[str, object] = {
        "rank": row.rank,
        "id": step.id,
        "title": step.title,
        "status": step.status,
        "score": round(row.score.total, 1),
        **{name: _blank_if_none(getattr(factors, name)) for name in FACTORS},
        **{f"{p.name}_points": round(p.points, 2) for p in row.score.parts},
        "quick_win": "yes" if row.quick_win else "",
        "owner": step.owner_name,
        "due_date": step.due_date.isoformat() if step.due_date else "",
        "origin": step.origin,
        "description": step.description,
        "notes": step.notes,
        "pairwise_comparisons": factors.pairwise_comparisons,
        # "needs" is the count (a factor); the wordings of those needs go here.
        "needs_addressed": "; ".join(s.text for s in step.statements if s.kind == "need"),
        "themes": "; ".join(t.name for t in step.themes),
        "datasets": "; ".join(d.title for d in step.datasets),
    }
    return record


def export_frame(session: DbSession, workshop: Workshop) -> pd.DataFrame:
    """The ranked next steps of a workshop, one row each."""
    records = [step_record(row) for row in ranked_steps(session, workshop)]
    return pd.DataFrame.from_records(records, columns=list(STEP_COLUMNS))


def _blank_if_none(value: object) -> object:
    """Unknown impact or effort is an empty cell, not NaN or "None"."""
    return "" if value is None else value


def export_next_steps(session: DbSession, workshop: Workshop, file_format: str) -> bytes:
    """The workshop's ranked next steps as the bytes of a CSV or XLSX file."""
    frame = export_frame(session, workshop)
    if file_format == "csv":
        return frame_to_csv(frame)
    if file_format == "xlsx":
        return frames_to_xlsx({"Next steps": frame})
    raise ValueError(f"Unknown export format {file_format!r}: use csv or xlsx.")


def export_filename(workshop: Workshop, file_format: str) -> str:
    """A download name such as data-about-the-sector-next-steps.csv."""
    return f"{workshop.slug}-next-steps.{file_format}"
