"""Pooling: the accepted submissions of a standard by borough and year, who has submitted, each
field compared across boroughs and with last year, and the suppressed table that may be shared.

Suppression: every count under the threshold is shown as "fewer than N" (a zero too); when a
field's answers are too few, none of its figures is shown; when a single count of a field is
hidden, the next smallest is hidden with it so it cannot be worked out from the total.
Individual rows never leave the submissions tables.

A field removed in a later version still pools for the years submitted against a version that
has it: the field list is the union of every version's fields."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from insights.core.enums import SubmissionStatus
from insights.extensions import DbSession
from insights.organisations.models import Borough
from insights.reference import london_boroughs
from insights.standards.models import DataStandard, StandardField, StandardVersion
from insights.submissions.models import Submission
from insights.submissions.validation import summary_kind

DEFAULT_THRESHOLD = 5
BOROUGH_FIELD = ""  # the field of the borough-level "organisations responding" rows


@dataclass
class FieldInfo:
    """A field as pooled: its newest wording, how it adds up, and the versions that have it."""

    name: str
    title: str
    kind: str
    unit: str
    values: list[tuple[str, str]]
    versions: list[int] = field(default_factory=list)


@dataclass
class Cell:
    """One borough's data for one year: the submission that counts, and its totals."""

    year: int
    borough_code: str
    borough: str
    version_number: int
    organisation: str
    responses: int
    aggregates: dict[str, Any]


@dataclass
class Pool:
    """A standard's pooled data: fields, and a cell per borough and year."""

    standard: DataStandard
    fields: dict[str, FieldInfo]
    cells: dict[tuple[int, str], Cell]

    @property
    def years(self) -> list[int]:
        """The years with data, newest first."""
        return sorted({year for year, _ in self.cells}, reverse=True)

    def cell(self, year: int, borough_code: str) -> Cell | None:
        """One borough's cell for a year."""
        return self.cells.get((year, borough_code))


def field_catalogue(versions: list[StandardVersion]) -> dict[str, FieldInfo]:
    """Every field of every published version, in the newest version's order and wording."""
    found: dict[str, FieldInfo] = {}
    for version in sorted(versions, key=lambda v: -v.number):
        for item in version.fields:
            info = found.get(item.name)
            if info is None:
                info = found[item.name] = _info(item)
            info.versions.append(version.number)
    for info in found.values():
        info.versions.sort()
    return found


def _info(item: StandardField) -> FieldInfo:
    """The pooling facts of a field."""
    values = [(v["code"], v["label"]) for v in item.allowed_values]
    if item.type == "boolean":
        values = [("true", "Yes"), ("false", "No")]
    return FieldInfo(item.name, item.title, summary_kind(item), item.unit, values)


def pool(session: DbSession, standard: DataStandard) -> Pool:
    """The pooled data: for each borough and year, the accepted submission against the newest
    version that has one."""
    published = [v for v in standard.versions if v.is_published]
    numbers = {v.id: v.number for v in published}
    names = {code: name for code, name in session.execute(sa.select(Borough.code, Borough.name))}
    query = (
        sa.select(Submission)
        .where(Submission.version_id.in_(list(numbers) or [0]))
        .where(Submission.status == SubmissionStatus.CURRENT.value)
    )
    cells: dict[tuple[int, str], Cell] = {}
    for submission in session.scalars(query):
        key = (submission.year, submission.borough_code)
        number = numbers[submission.version_id]
        if key in cells and cells[key].version_number >= number:
            continue
        cells[key] = Cell(
            year=submission.year,
            borough_code=submission.borough_code,
            borough=names.get(submission.borough_code, submission.borough_code),
            version_number=number,
            organisation=submission.organisation.name,
            responses=submission.response_count,
            aggregates=submission.aggregates,
        )
    return Pool(standard=standard, fields=field_catalogue(published), cells=cells)


def shown(value: float | None, threshold: int) -> tuple[float | None, str]:
    """A count as published: itself, or None and "fewer than N"."""
    if value is None or value < threshold:
        return None, f"fewer than {threshold}"
    return value, f"{value:g}"


def field_figures(
    info: FieldInfo, entry: dict[str, Any] | None, threshold: int
) -> list[dict[str, Any]]:
    """One field's published figures for one cell: responses, then counts or total and mean."""
    responses = int((entry or {}).get("responses", 0))
    enough = responses >= threshold
    figures = [_figure(info.name, "responses", "", responses, threshold)]
    if info.kind == "coded":
        counts = (entry or {}).get("counts", {})
        figures += _coded(info, counts, threshold, enough)
    elif info.kind == "numeric":
        total = float((entry or {}).get("total", 0.0))
        mean = total / responses if responses else None
        for measure, value in (("total", total), ("mean", mean)):
            figure = _figure(info.name, measure, "", value, threshold)
            if enough and value is not None:
                figure["value"], figure["shown_as"] = round(value, 2), f"{round(value, 2):g}"
            else:
                figure["value"], figure["shown_as"] = (
                    None,
                    f"not shown: fewer than {threshold} answers",
                )
            figures.append(figure)
    return figures


def _figure(
    name: str, measure: str, category: str, value: float | None, threshold: int
) -> dict[str, Any]:
    """One published figure, suppressed when it is a count under the threshold."""
    number, text = shown(value, threshold)
    return {
        "field": name,
        "measure": measure,
        "category": category,
        "value": number,
        "shown_as": text,
    }


def _coded(
    info: FieldInfo, counts: dict[str, int], threshold: int, enough: bool
) -> list[dict[str, Any]]:
    """The count of each code, with secondary suppression so a hidden count cannot be derived."""
    figures = [
        _figure(info.name, "count", code, counts.get(code, 0), threshold) for code, _ in info.values
    ]
    if not enough:
        for figure in figures:
            figure["value"], figure["shown_as"] = None, f"fewer than {threshold}"
        return figures
    hidden = [f for f in figures if f["value"] is None]
    visible = sorted((f for f in figures if f["value"] is not None), key=lambda f: f["value"])
    if len(hidden) == 1 and visible:
        visible[0]["value"], visible[0]["shown_as"] = (
            None,
            "not shown, so a smaller count stays hidden",
        )
    return figures


def published_rows(pool_data: Pool, threshold: int = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """The pooled data as it may be shared: long rows, every small count suppressed."""
    rows = []
    for (year, code), cell in sorted(pool_data.cells.items()):
        base = {
            "year": year,
            "borough_code": code,
            "borough": cell.borough,
            "standard_version": cell.version_number,
        }
        rows.append(
            {
                **base,
                **_figure(BOROUGH_FIELD, "organisations responding", "", cell.responses, threshold),
            }
        )
        for info in pool_data.fields.values():
            if cell.version_number not in info.versions:
                continue  # the version this borough used does not ask it
            rows.extend(
                {**base, **figure}
                for figure in field_figures(info, cell.aggregates.get(info.name), threshold)
            )
    return rows


@dataclass
class Comparison:
    """One field across boroughs for a year: a headline figure each, and the change since the
    year before."""

    info: FieldInfo
    year: int
    category: str
    rows: list[dict[str, Any]]

    def values(self) -> dict[str, float | None]:
        """Borough code -> headline figure (None where it is not shown)."""
        return {row["borough_code"]: row["value"] for row in self.rows}


def headline(
    info: FieldInfo, cell: Cell | None, category: str, threshold: int
) -> tuple[float | None, str]:
    """A cell's headline: the share choosing `category` (%), the mean, or the answers given."""
    if cell is None:
        return None, "no submission"
    figures = {
        (f["measure"], f["category"]): f
        for f in field_figures(info, cell.aggregates.get(info.name), threshold)
    }
    responses = figures[("responses", "")]
    if info.kind == "coded":
        count = figures.get(("count", category))
        if count is None or count["value"] is None or not responses["value"]:
            return None, count["shown_as"] if count else "not asked"
        share = round(100 * count["value"] / responses["value"], 1)
        return share, f"{share:g}%"
    if info.kind == "numeric":
        mean = figures[("mean", "")]
        return mean["value"], mean["shown_as"]
    return responses["value"], responses["shown_as"]


def most_common(pool_data: Pool, info: FieldInfo, year: int) -> str:
    """The code most organisations chose that year, all boroughs together (the first code when
    nobody answered): the answer a comparison shows unless another is asked for."""
    totals: dict[str, int] = defaultdict(int)
    for (cell_year, _), cell in pool_data.cells.items():
        if cell_year == year:
            for code, count in cell.aggregates.get(info.name, {}).get("counts", {}).items():
                totals[code] += int(count)
    order = [code for code, _ in info.values]
    if not order:
        return ""
    return max(order, key=lambda code: (totals.get(code, 0), -order.index(code)))


def compare(
    pool_data: Pool, name: str, year: int, category: str = "", threshold: int = DEFAULT_THRESHOLD
) -> Comparison:
    """The field across every London borough for a year, with the change since the year before."""
    info = pool_data.fields[name]
    if info.kind == "coded" and category not in {code for code, _ in info.values}:
        category = most_common(pool_data, info, year)
    rows = []
    for code, borough in london_boroughs():
        cell = pool_data.cell(year, code)
        value, text = headline(info, cell, category, threshold)
        before, _ = headline(info, pool_data.cell(year - 1, code), category, threshold)
        change = round(value - before, 1) if value is not None and before is not None else None
        rows.append(
            {
                "borough_code": code,
                "borough": borough,
                "submitted": cell is not None,
                "responses": shown(cell.responses, threshold)[1] if cell else "",
                "value": value,
                "shown_as": text,
                "change": change,
                "version": cell.version_number if cell else None,
            }
        )
    return Comparison(info=info, year=year, category=category, rows=rows)


def who_submitted(
    pool_data: Pool, year: int, threshold: int = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """For each borough, whether it has submitted for the year, by whom, and how many answered."""
    listing = []
    for code, borough in london_boroughs():
        cell = pool_data.cell(year, code)
        listing.append(
            {
                "borough_code": code,
                "borough": borough,
                "organisation": cell.organisation if cell else "",
                "responses": shown(cell.responses, threshold)[1] if cell else "",
                "version": cell.version_number if cell else None,
            }
        )
    return listing


def submitted_counts(pool_data: Pool) -> dict[int, int]:
    """Year -> how many boroughs have submitted."""
    counts: dict[int, int] = defaultdict(int)
    for year, _ in pool_data.cells:
        counts[year] += 1
    return dict(counts)
