"""A published version in every form it is shared in: a Frictionless Table Schema, CSV and XLSX
templates (drop-downs of the code lists, a guidance sheet), a data dictionary (as an outline the
round-ups' PDF writer prints) and the questions as plain text for a survey tool."""

import copy
import io
import json
from functools import lru_cache
from typing import Any

from frictionless import Schema
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from insights.core.exports import csv_bytes, guard_workbook
from insights.roundups.outline import Item
from insights.roundups.pdf_writer import write_pdf
from insights.standards.models import DataStandard, StandardField, StandardVersion

TRUE_VALUES = ["yes", "Yes", "YES", "true", "TRUE", "1"]
FALSE_VALUES = ["no", "No", "NO", "false", "FALSE", "0"]
TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "yes or no",
    "year": "year (YYYY)",
    "date": "date (YYYY-MM-DD)",
}
HEADER_FILL = PatternFill("solid", fgColor="0B5F8A")
DATA_ROWS = 1000  # rows of the template's data sheet that carry the drop-downs


def field_descriptor(item: StandardField) -> dict[str, Any]:
    """One field as Table Schema describes it (unit and guidance as extra properties)."""
    constraints: dict[str, Any] = {}
    if item.required:
        constraints["required"] = True
    if item.codes:
        constraints["enum"] = item.codes
    if item.minimum is not None and item.type in ("integer", "number"):
        constraints["minimum"] = int(item.minimum) if item.type == "integer" else item.minimum
    if item.pattern and item.type == "string":
        constraints["pattern"] = item.pattern
    descriptor: dict[str, Any] = {
        "name": item.name,
        "title": item.title,
        "description": item.definition,
        "type": item.type,
    }
    if item.type == "boolean":
        descriptor |= {"trueValues": TRUE_VALUES, "falseValues": FALSE_VALUES}
    if constraints:
        descriptor["constraints"] = constraints
    if item.allowed_values:
        descriptor["categories"] = [
            {"value": v["code"], "label": v["label"]} for v in item.allowed_values
        ]
    if item.question:
        descriptor["question"] = item.question
    if item.identifying:
        descriptor["identifying"] = True
    if item.unit:
        descriptor["unit"] = item.unit
    if item.guidance:
        descriptor["guidance"] = item.guidance
    return descriptor


def table_schema(version: StandardVersion) -> dict[str, Any]:
    """The version as a Frictionless Table Schema descriptor, checked by frictionless."""
    return copy.deepcopy(schema_of(version).to_descriptor())


def _descriptor(version: StandardVersion) -> dict[str, Any]:
    """The version's Table Schema descriptor as we write it."""
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": version.standard.slug,
        "title": f"{version.standard.title}, version {version.number}",
        "description": version.standard.description,
        "version": str(version.number),
        "fields": [field_descriptor(item) for item in version.fields],
        "missingValues": [""],
    }


@lru_cache(maxsize=64)
def checked_schema(descriptor: str) -> Schema:
    """A Table Schema built (and so checked) by frictionless, once per distinct descriptor: a
    round of submissions is checked against the same published version many times."""
    return Schema.from_descriptor(json.loads(descriptor))  # raises when it is not valid


def schema_of(version: StandardVersion) -> Schema:
    """The version's frictionless Schema, to validate data with."""
    return checked_schema(json.dumps(_descriptor(version), sort_keys=True))


def schema_json(version: StandardVersion) -> bytes:
    """The Table Schema as pretty-printed UTF-8 JSON."""
    return json.dumps(table_schema(version), indent=2, ensure_ascii=False).encode("utf-8")


def csv_template(version: StandardVersion) -> bytes:
    """A CSV with the header row only (UTF-8 with a BOM, so Excel reads accents right),
    through the one escaping path."""
    return csv_bytes([item.name for item in version.fields], [])


def xlsx_template(version: StandardVersion) -> bytes:
    """A workbook: the Data sheet with headings and drop-downs, the Guidance and the Lists."""
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = "Data"
    lists = workbook.create_sheet("Lists")
    _guidance_sheet(workbook.create_sheet("Guidance"), version)
    for column, item in enumerate(version.fields, start=1):
        cell = data.cell(row=1, column=column, value=item.name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        data.column_dimensions[get_column_letter(column)].width = max(14, len(item.name) + 4)
        validation = _validation(lists, column, item)
        if validation is not None:
            data.add_data_validation(validation)
            letter = get_column_letter(column)
            validation.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    data.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    buffer = io.BytesIO()
    guard_workbook(workbook).save(buffer)
    return buffer.getvalue()


def _validation(lists: Any, column: int, item: StandardField) -> DataValidation | None:
    """The drop-down (or number check) for a field's column, its list written to Lists."""
    words = {"error": f"See the Guidance sheet for {item.name}.", "errorTitle": item.title}
    choices = item.codes or (["yes", "no"] if item.type == "boolean" else [])
    if choices:
        letter = get_column_letter(column)
        lists.cell(row=1, column=column, value=item.name)
        for row, code in enumerate(choices, start=2):
            lists.cell(row=row, column=column, value=code)
        reference = f"{quote_sheetname('Lists')}!${letter}$2:${letter}${len(choices) + 1}"
        return DataValidation(type="list", formula1=reference, allow_blank=True, **words)
    if item.type in ("integer", "number"):
        kind = "whole" if item.type == "integer" else "decimal"
        low = 0 if item.minimum is None else item.minimum
        return DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=str(low), allow_blank=True, **words
        )
    return None


def guidance_rows(version: StandardVersion) -> list[list[str]]:
    """A row per field: what it is, how to fill it in, and the needs it serves."""
    rows = [
        [
            "Field",
            "Question",
            "Definition",
            "Type",
            "Unit",
            "Allowed values",
            "Required",
            "Guidance",
            "Serves these needs",
        ]
    ]
    for item in version.fields:
        rows.append(
            [
                item.name,
                item.question or item.title,
                item.definition,
                TYPE_WORDS.get(item.type, item.type),
                item.unit,
                "; ".join(f"{v['code']} = {v['label']}" for v in item.allowed_values),
                "yes" if item.required else "no",
                item.guidance,
                " | ".join(need.text for need in item.needs),
            ]
        )
    return rows


def _guidance_sheet(sheet: Any, version: StandardVersion) -> None:
    """The Guidance sheet: one row per field, wrapped to read on screen."""
    for row in guidance_rows(version):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCDEFGHI", (22, 40, 50, 14, 10, 40, 9, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def dictionary_outline(version: StandardVersion) -> list[Item]:
    """The data dictionary as an outline: a heading and a table of facts per field."""
    standard: DataStandard = version.standard
    items = [
        Item("heading", f"{standard.title}: data dictionary", level=1),
        Item(
            "meta", f"Version {version.number}" + (" (draft)" if not version.is_published else "")
        ),
        Item("paragraph", standard.description),
    ]
    for item in version.fields:
        items.append(Item("heading", f"{item.title} ({item.name})", level=2))
        items.append(Item("table", rows=[["Property", "Value"], *_facts(item)]))
        items.extend(Item("bullet", f"Serves: {need.text}", level=1) for need in item.needs)
    return items


def _facts(item: StandardField) -> list[list[str]]:
    """A field's properties as rows of a two-column table."""
    facts = [
        ["Question", item.question],
        ["Definition", item.definition],
        ["Type", TYPE_WORDS.get(item.type, item.type)],
        ["Unit", item.unit],
        ["Required", "yes" if item.required else "no"],
        ["Allowed values", "; ".join(f"{v['code']} = {v['label']}" for v in item.allowed_values)],
        ["Guidance", item.guidance],
        ["Source", item.library_source],
    ]
    return [[name, value] for name, value in facts if value]


def dictionary_pdf(version: StandardVersion) -> bytes:
    """The data dictionary as an A4 PDF."""
    return write_pdf(dictionary_outline(version), b"")


def questions_text(version: StandardVersion) -> str:
    """The questions, numbered, with their answer options, ready to paste into a survey tool."""
    lines = [f"{version.standard.title} — version {version.number}", ""]
    for number, item in enumerate(version.fields, start=1):
        required = "" if item.required else " (optional)"
        lines.append(f"{number}. {item.question or item.title}{required}")
        if item.codes:
            lines.extend(f"   ( ) {value['label']}" for value in item.allowed_values)
        elif item.type == "boolean":
            lines.extend(["   ( ) Yes", "   ( ) No"])
        else:
            unit = f", in {item.unit}" if item.unit else ""
            lines.append(f"   Answer: {TYPE_WORDS.get(item.type, item.type)}{unit}")
        if item.guidance:
            lines.append(f"   Note: {item.guidance}")
        lines.append("")
    return "\n".join(lines)
