"""Every round-up download opens in a library that reads its format, and holds the workshop's
themes and next steps."""

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskCliRunner
from pypdf import PdfReader

from insights.auth.models import User
from insights.extensions import db
from insights.roundups.exports import export
from insights.roundups.models import RoundUp
from insights.roundups.services import Edit, edit, generate
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop
from tests.roundups.demo import next_step_titles


@pytest.fixture
def roundup(demo: Workshop, users: dict[str, User]) -> RoundUp:
    """The demo's round-up with a narrative."""
    draft = generate(db.session, demo, users["facilitator"])
    db.session.flush()
    change = Edit(
        "Round-up: data about the sector", "## What we heard\n\nStart from **what exists**."
    )
    draft = edit(db.session, draft, draft.version, change, users["facilitator"])
    db.session.commit()
    return draft


def themes_of(roundup: RoundUp) -> list[str]:
    """The names of the round-up's themes."""
    return [theme["name"] for theme in roundup.content["themes"]]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text)


def render(app: Flask, roundup: RoundUp, demo: Workshop, fmt: str) -> bytes:
    """One export, made as a request would make it."""
    with app.test_request_context():
        return export(db.session, roundup, demo, fmt)


def test_the_html_file_is_self_contained(app: Flask, roundup: RoundUp, demo: Workshop) -> None:
    html = render(app, roundup, demo, "html").decode()
    assert html.startswith("<!doctype html>") and "<style>" in html and "<svg" in html
    for outside in ("<script", "<link", 'src="http', "src='http", "url(http", "@import", "<img"):
        assert outside not in html.lower(), outside
    assert "<strong>what exists</strong>" in html
    for name in themes_of(roundup) + next_step_titles():
        assert name.replace("'", "&#39;") in html, name


def test_the_markdown_file(app: Flask, roundup: RoundUp, demo: Workshop) -> None:
    text = render(app, roundup, demo, "md").decode()
    assert text.startswith("# Round-up: data about the sector\n")
    assert "## What we heard\n\nStart from **what exists**." in text
    assert "| Theme | Post-its | Share |" in text
    for name in themes_of(roundup) + next_step_titles():
        assert name in text, name


def test_the_docx_has_headings_tables_and_the_chart(
    app: Flask, roundup: RoundUp, demo: Workshop
) -> None:
    document = Document(io.BytesIO(render(app, roundup, demo, "docx")))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:3] == ["Round-up: data about the sector", "What we heard", "Who took part"]
    assert "Prioritised next steps" in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert set(themes_of(roundup)) <= cells
    assert set(next_step_titles()) <= cells
    assert len(document.inline_shapes) == 1  # the themes chart, as a picture


def test_the_pdf_is_a4_and_holds_themes_and_next_steps(
    app: Flask, roundup: RoundUp, demo: Workshop
) -> None:
    reader = PdfReader(io.BytesIO(render(app, roundup, demo, "pdf")))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for name in themes_of(roundup) + next_step_titles():
        assert flat(name) in text, name


def test_the_xlsx_has_statements_needs_themes_and_next_steps(
    app: Flask, roundup: RoundUp, demo: Workshop
) -> None:
    sheets = pd.read_excel(io.BytesIO(render(app, roundup, demo, "xlsx")), sheet_name=None)
    assert list(sheets) == ["Statements", "Needs", "Themes", "Next steps"]
    statements = sheets["Statements"]
    assert len(statements) == 75 and {"themes", "datasets"} <= set(statements.columns)
    assert statements["themes"].str.contains("geography-comparison", na=False).any()
    assert set(sheets["Themes"]["theme"]) == set(themes_of(roundup))
    assert list(sheets["Next steps"]["next step"]) == [
        s["title"] for s in roundup.content["next_steps"]
    ]


def test_the_statements_csv(app: Flask, roundup: RoundUp, demo: Workshop) -> None:
    frame = pd.read_csv(io.BytesIO(render(app, roundup, demo, "csv")), encoding="utf-8-sig")
    assert len(frame) == 75 and frame["themes"].str.contains("volunteering", na=False).any()


def test_the_needs_csv_has_the_user_story_shape_a_bom_and_no_formulas(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Needs", users["facilitator"])
    need = make_statement(db.session, workshop, '=HYPERLINK("http://evil") grant data')
    assert need.need is not None
    need.need.role, need.need.goal = "As a CVS director", "+borough grant data"
    need.need.benefit, need.need.met_when = "so that we find gaps", "@every borough covered"
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    raw = render(app, roundup, workshop, "needs-csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "As a", "I need", "so that", "met when"]
    assert rows[1][1:5] == [
        "As a CVS director",
        "'+borough grant data",
        "so that we find gaps",
        "'@every borough covered",
    ]
    assert rows[1][6].startswith("'=HYPERLINK")


def test_the_command_line_exports_the_newest_round_up(
    runner: FlaskCliRunner, demo: Workshop, tmp_path: Path
) -> None:
    out = tmp_path / "roundup.docx"
    result = runner.invoke(
        args=["roundup", "export", "--workshop", demo.slug, "--format", "docx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "drew version 1 as a draft" in result.output
    document = Document(str(out))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert set(next_step_titles()) <= cells
    again = runner.invoke(
        args=["roundup", "export", "--workshop", demo.slug, "--format", "md", "--out", str(out)]
    )
    assert again.exit_code == 0 and "drew" not in again.output
    assert "Wrote version 1 (draft) as md" in again.output


def test_the_command_line_refuses_an_unknown_workshop(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        args=[
            "roundup",
            "export",
            "--workshop",
            "nope",
            "--format",
            "md",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert result.exit_code != 0 and "No workshop has the slug 'nope'" in result.output
