"""The published forms of a version: Table Schema, templates, dictionary and questions."""

import io

from flask import Flask
from frictionless import Resource, Schema
from openpyxl import load_workbook
from pypdf import PdfReader

from insights.extensions import db
from insights.standards.outputs import (
    csv_template,
    dictionary_pdf,
    questions_text,
    table_schema,
    xlsx_template,
)
from tests.factories import make_user
from tests.standards.builders import filled_csv, published_standard


def test_frictionless_validates_the_published_schema_and_a_filled_template(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    _, _, version = published_standard(db.session, lead)
    descriptor = table_schema(version)
    assert Schema.metadata_validate(descriptor) is None or not list(
        Schema.metadata_validate(descriptor)
    )
    income = next(f for f in descriptor["fields"] if f["name"] == "income_band")
    assert income["constraints"]["enum"][:2] == ["none", "under-10k"]
    data = filled_csv(version, "Hackney", 20)
    report = Resource(data=data, format="csv", schema=Schema.from_descriptor(descriptor)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])


def test_the_xlsx_templates_drop_downs_hold_the_code_lists(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    _, _, version = published_standard(db.session, lead)
    workbook = load_workbook(io.BytesIO(xlsx_template(version)))
    data = workbook["Data"]
    headers = [cell.value for cell in data[1]]
    assert headers == [item.name for item in version.fields]
    lists = workbook["Lists"]
    checked = 0
    for item in version.fields:
        letter = data.cell(row=1, column=headers.index(item.name) + 1).column_letter
        rules = [
            v
            for v in data.data_validations.dataValidation
            if f"{letter}2" in str(v.sqref).split(":")[0].split()
            or str(v.sqref).startswith(f"{letter}2:")
        ]
        if not item.codes:
            continue
        assert len(rules) == 1, item.name
        rule = rules[0]
        assert rule.type == "list"
        sheet_name, cells = rule.formula1.split("!")
        assert sheet_name.strip("'") == "Lists"
        start, end = (part.replace("$", "") for part in cells.split(":"))
        values = [row[0].value for row in lists[start:end]]
        assert values == item.codes, item.name
        checked += 1
    assert checked >= 5
    guidance = workbook["Guidance"]
    assert guidance["A1"].value == "Field"
    assert {row[0].value for row in guidance.iter_rows(min_row=2)} == set(headers)


def test_the_csv_template_dictionary_and_questions_name_every_field(app: Flask) -> None:
    lead = make_user(db.session, "lead")
    _, _, version = published_standard(db.session, lead)
    names = [item.name for item in version.fields]
    assert csv_template(version).decode("utf-8-sig").strip() == ",".join(names)
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(dictionary_pdf(version))).pages
    )
    assert "data dictionary" in text and "income_band" in text
    questions = questions_text(version)
    assert "What was your organisation's total income" in questions
    assert "( ) Under £10,000" in questions
