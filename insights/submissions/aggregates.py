"""Submissions already added up: a CVS that only has its survey's totals sends them as rows of
field, value, count, checked with frictionless and then against the version's fields.

    field,value,count
    organisations_responding,,48          <- how many organisations answered the survey
    income_band,under-10k,21              <- coded fields: how many chose each code
    paid_staff,responses,40               <- numeric fields: how many answered,
    paid_staff,total,310                  <-   and the total of their answers
    charity_number,responses,30           <- other fields: how many answered

Identifying fields are never sent added up (there is nothing to add)."""

import io
from collections import defaultdict
from typing import Any

import pandas as pd
from frictionless import Resource, Schema

from insights.standards.models import StandardField, StandardVersion
from insights.statements.imports import Problem
from insights.submissions.validation import SubmissionRejected, summary_kind

RESPONDING = "organisations_responding"
COLUMNS = ("field", "value", "count")


def aggregate_schema(version: StandardVersion) -> Schema:
    """The frictionless schema of an aggregates file for this version."""
    names = [RESPONDING, *(f.name for f in version.fields if not f.identifying)]
    return Schema.from_descriptor(
        {
            "fields": [
                {
                    "name": "field",
                    "type": "string",
                    "constraints": {"required": True, "enum": names},
                },
                {"name": "value", "type": "string"},
                {
                    "name": "count",
                    "type": "number",
                    "constraints": {"required": True, "minimum": 0},
                },
            ],
            "missingValues": [""],
        }
    )


def check_aggregates(version: StandardVersion, frame: pd.DataFrame) -> tuple[int, dict[str, Any]]:
    """The organisations responding and each field's totals; refused whole with every problem."""
    headers = {str(c).strip().lower(): c for c in frame.columns}
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        lacks = ", ".join(missing)
        message = f"An aggregates file has the columns field, value and count; it lacks {lacks}."
        raise SubmissionRejected([Problem(message)])
    table = pd.DataFrame({c: frame[headers[c]].astype(str).str.strip() for c in COLUMNS})
    table = table[(table != "").any(axis=1)]
    problems = _frictionless_problems(version, table)
    if problems:
        raise SubmissionRejected(problems)
    return _add_up(version, table)


def _frictionless_problems(version: StandardVersion, table: pd.DataFrame) -> list[Problem]:
    """What frictionless refuses in the file, by row and column."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False)
    resource = Resource(
        data=buffer.getvalue().encode(), format="csv", schema=aggregate_schema(version)
    )
    rows = list(table.index)
    problems = []
    for number, name, cell, kind in resource.validate().flatten(
        ["rowNumber", "fieldName", "cell", "type"]
    ):
        where = rows[number - 2] + 2 if number and 2 <= number < len(rows) + 2 else number
        if kind == "constraint-error" and name == "field":
            message = f"“{cell}” is not a field of version {version.number} that can be added up."
        elif kind == "constraint-error" and cell in (None, ""):
            message = f"The {name} is missing."
        else:
            message = f"“{cell}” is not a count of zero or more."
        problems.append(Problem(message, where, name or None))
    return problems


def _add_up(version: StandardVersion, table: pd.DataFrame) -> tuple[int, dict[str, Any]]:
    """The file's rows as the same totals a rows file adds up to; refuses rows that make no
    sense for their field (an unknown code, a fraction of an organisation)."""
    fields = {f.name: f for f in version.fields if not f.identifying}
    totals: dict[str, dict[str, Any]] = {}
    responding, problems = None, []
    for index, row in table.iterrows():
        number, count = int(index) + 2, float(row["count"])  # type: ignore[call-overload]
        if row["field"] == RESPONDING:
            responding = int(count)
            continue
        item = fields[row["field"]]
        entry = totals.setdefault(item.name, _empty(item))
        problem = _add_row(item, entry, row["value"], count)
        if problem:
            problems.append(Problem(problem, number, "value"))
    if responding is None:
        problems.append(Problem(f"Add a row {RESPONDING},,N with how many organisations answered."))
    if problems:
        raise SubmissionRejected(problems)
    for entry in totals.values():
        if entry["kind"] == "coded":
            entry["counts"] = dict(entry["counts"])
            entry["responses"] = int(sum(entry["counts"].values()))
    return int(responding or 0), totals


def _empty(item: StandardField) -> dict[str, Any]:
    """A field's totals before any row is added."""
    kind = summary_kind(item)
    entry: dict[str, Any] = {"kind": kind, "responses": 0}
    if kind == "coded":
        entry["counts"] = defaultdict(int)
    elif kind == "numeric":
        entry["total"] = 0.0
    return entry


def _add_row(item: StandardField, entry: dict[str, Any], value: str, count: float) -> str:
    """Add one row to its field's totals; a problem in words when it does not fit."""
    if entry["kind"] == "numeric" and value == "total":
        entry["total"] += count
        return ""
    if not count.is_integer():
        return f"{count:g} is not a whole number of organisations."
    codes = item.codes or (["true", "false"] if item.type == "boolean" else [])
    if entry["kind"] == "coded":
        if value not in codes:
            allowed = ", ".join(codes[:12])
            return f"“{value}” is not one of the allowed values of {item.name}: {allowed}."
        entry["counts"][value] += int(count)
        return ""
    if value != "responses":
        words = "responses or total" if entry["kind"] == "numeric" else "responses"
        return f"For {item.name} the value is {words}, not “{value}”."
    entry["responses"] += int(count)
    return ""
