"""Checking a submission against its version: read (the imports' reader and limits), map the
file's columns to the standard's fields, validate every row with frictionless, and add up the
answers. Nothing here touches the database."""

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from frictionless import Resource

from insights.ingest.limits import Limits
from insights.ingest.problems import ImportRejected, Problem
from insights.ingest.reading import read_table
from insights.standards.models import StandardField, StandardVersion
from insights.standards.outputs import FALSE_VALUES, TRUE_VALUES, schema_of

IGNORE = ""
MAX_PROBLEMS = 500


class SubmissionRejected(ImportRejected):
    """A submission refused whole, with every problem named by row and column."""


@dataclass
class Mapping:
    """Which file column holds each field, and what is left over."""

    columns: dict[str, str]  # field name -> file column
    unmatched: list[str] = field(default_factory=list)  # file columns no field claims
    missing: list[str] = field(default_factory=list)  # required fields no column holds

    @property
    def complete(self) -> bool:
        """Whether every required field has a column."""
        return not self.missing


@dataclass
class Checked:
    """A valid submission: its rows as typed values and its added-up answers."""

    rows: list[dict[str, Any]]
    aggregates: dict[str, Any]
    mapping: Mapping


def heading_key(text: str) -> str:
    """A heading compared loosely: lower case, words joined by _ ("Paid staff" = "paid_staff")."""
    return "_".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def map_columns(
    version: StandardVersion, headers: Sequence[str], remembered: dict[str, str]
) -> Mapping:
    """Columns to fields: the given (or remembered) choices first, then headings that are a
    field's name or title."""
    fields = {item.name: item for item in version.fields}
    columns: dict[str, str] = {}
    for header in headers:
        chosen = remembered.get(header)
        if chosen in fields and chosen not in columns:
            columns[chosen] = header
    for header in headers:
        if header in columns.values() or header in remembered:
            continue
        key = heading_key(header)
        for item in version.fields:
            if item.name not in columns and key in (item.name, heading_key(item.title)):
                columns[item.name] = header
                break
    unmatched = [h for h in headers if h not in columns.values() and remembered.get(h) != IGNORE]
    missing = [item.name for item in version.fields if item.required and item.name not in columns]
    return Mapping(columns=columns, unmatched=unmatched, missing=missing)


def read_submission(data: bytes, filename: str, limits: Limits | None = None) -> pd.DataFrame:
    """The file's cells as text, by the same rules as every other import."""
    try:
        return read_table(data, filename, limits).frame
    except ImportRejected as rejected:
        raise SubmissionRejected(rejected.problems) from None


def check_rows(version: StandardVersion, frame: pd.DataFrame, mapping: Mapping) -> Checked:
    """Validate every row against the version's Table Schema; refuse the file whole with every
    problem, or return the typed rows and their totals."""
    if mapping.missing:
        names = ", ".join(mapping.missing)
        raise SubmissionRejected([Problem(f"No column holds the required fields: {names}.")])
    table = pd.DataFrame({item.name: _column(frame, mapping, item) for item in version.fields})
    table = table[(table != "").any(axis=1)]  # cells are trimmed already
    if table.empty:
        raise SubmissionRejected([Problem("There are no answers in the file: every row is blank.")])
    problems = validate_table(version, table)
    if problems:
        raise SubmissionRejected(problems)
    typed = typed_table(version, table)
    problems = _lost_numbers(version, table, typed)
    if problems:
        raise SubmissionRejected(problems)
    return Checked(rows=_records(typed), aggregates=add_up(version, typed), mapping=mapping)


def _lost_numbers(
    version: StandardVersion, table: pd.DataFrame, typed: pd.DataFrame
) -> list[Problem]:
    """Numbers the schema accepts but no float holds (a 400-digit count): refused by row and
    column rather than stored as blanks or infinities."""
    problems = []
    for item in version.fields:
        if item.type not in ("integer", "number", "year"):
            continue
        given = table[item.name] != ""
        lost = given & ~typed[item.name].apply(lambda v: pd.notna(v) and abs(v) < 1e15)
        for index in table.index[lost][:MAX_PROBLEMS]:
            cell = str(table.at[index, item.name])[:20]
            problems.append(Problem(f"“{cell}…” is too large a number.", index + 2, item.name))
    return problems


def _column(frame: pd.DataFrame, mapping: Mapping, item: StandardField) -> pd.Series:
    """A field's cells, trimmed ("" throughout when the file has no column for it)."""
    header = mapping.columns.get(item.name)
    if header is None:
        return pd.Series([""] * len(frame), index=frame.index, dtype=str)
    return frame[header].astype(str).str.strip()


def validate_table(version: StandardVersion, table: pd.DataFrame) -> list[Problem]:
    """Every cell frictionless refuses, in words, with its spreadsheet row and column.

    frictionless reads and checks each row against the version's Table Schema (types, required,
    code lists, minimums, patterns). The schema was checked once when it was built, so its
    rows are streamed rather than re-checking the schema for every file (a fifth of the time)."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    data = buffer.getvalue().encode("utf-8")
    resource = Resource(data=data, format="csv", encoding="utf-8", schema=schema_of(version))
    rows = list(table.index)  # the frame's index is the spreadsheet row less 2
    fields = {item.name: item for item in version.fields}
    problems: list[Problem] = []
    with resource:
        for row in resource.row_stream:  # type: ignore[attr-defined]
            for error in row.errors:
                number = error.row_number
                where = rows[number - 2] + 2 if 2 <= number < len(rows) + 2 else number
                message = _in_words(error.type, fields.get(error.field_name), error.cell)
                problems.append(Problem(message, where, error.field_name or None))
            if len(problems) >= MAX_PROBLEMS:
                break
    return problems


def _in_words(kind: str, item: StandardField | None, cell: Any) -> str:
    """What is wrong with a cell, as a person would say it."""
    if item is None:
        return f"The file does not fit the standard ({kind})."
    shown = f"“{cell}”"
    if kind == "type-error":
        return f"{shown} is not a {_type_word(item)}."
    if kind == "constraint-error":
        if cell in (None, ""):
            return f"{item.title} is required: this row leaves it blank."
        if item.codes:
            more = "…" if len(item.codes) > 12 else ""
            return f"{shown} is not one of the allowed values: {', '.join(item.codes[:12])}{more}."
        if item.minimum is not None:
            return f"{shown} is below the smallest allowed value, {item.minimum:g}."
        if item.pattern:
            return f"{shown} is not in the expected form (see the guidance for {item.name})."
    return f"{shown} does not fit the field {item.name} ({kind})."


def _type_word(item: StandardField) -> str:
    """The type as people say it."""
    return {
        "integer": "whole number",
        "number": "number",
        "boolean": "yes or no",
        "year": "year such as 2024",
        "date": "date in the form YYYY-MM-DD",
    }.get(item.type, "text")


def typed_table(version: StandardVersion, table: pd.DataFrame) -> pd.DataFrame:
    """The validated cells as numbers, booleans and text (blanks as None)."""
    typed = table.copy()
    for item in version.fields:
        column = table[item.name]
        if item.type in ("integer", "number", "year"):
            typed[item.name] = pd.to_numeric(column.replace("", None), errors="coerce")
        elif item.type == "boolean":
            typed[item.name] = column.map(_boolean)
        else:
            typed[item.name] = column.replace("", None)
    return typed


def _boolean(value: str) -> bool | None:
    """yes / no as the schema reads them."""
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    return None


def _records(typed: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain JSON-ready dictionaries: Python numbers, None for blanks (no NaN)."""
    names = list(typed.columns)
    columns = [[_plain(value) for value in typed[name].tolist()] for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _plain(value: Any) -> Any:
    """A cell as JSON holds it: whole floats as ints, NaN as None."""
    if isinstance(value, float):
        if value != value:
            return None
        return int(value) if value.is_integer() else value
    return value


def add_up(version: StandardVersion, typed: pd.DataFrame) -> dict[str, Any]:
    """Each field's answers added up: counts per code, totals of numbers, answers given.
    Identifying fields are never added up, so they can never reach the pool."""
    totals: dict[str, Any] = {}
    for item in version.fields:
        if item.identifying:
            continue
        column = typed[item.name].dropna()
        entry: dict[str, Any] = {"kind": summary_kind(item), "responses": int(len(column))}
        if entry["kind"] == "coded":
            counts = column.astype(str).str.lower() if item.type == "boolean" else column
            entry["counts"] = {str(k): int(v) for k, v in counts.value_counts().items()}
        elif entry["kind"] == "numeric":
            entry["total"] = float(column.sum())
        totals[item.name] = entry
    return totals


def summary_kind(item: StandardField) -> str:
    """How a field's answers add up: coded (counts per value), numeric (a total), or answered."""
    if item.codes or item.type == "boolean":
        return "coded"
    if item.type in ("integer", "number"):
        return "numeric"
    return "answered"
