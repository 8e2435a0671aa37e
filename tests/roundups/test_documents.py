"""Round-up documents worth sending: read back with python-docx and pypdf as the directors'
tools would, they carry the narrative's tables as tables, next steps with owner, due date and
status, gaps with their closest datasets, and the post-its only in an optional appendix."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.roundups.content import APPENDIX_LIMIT
from insights.roundups.exports import export
from insights.roundups.models import RoundUp
from insights.roundups.services import Edit, edit, generate
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop

NARRATIVE = """## What we agreed

| Step | Owner |
| --- | --- |
| Map the groups | Camden CVS |
| Pool the surveys | London Plus |

Start from **what exists**.
"""


def flat(text: str) -> str:
    """Text with every run of whitespace made one space."""
    return re.sub(r"\s+", " ", text)


def render(app: Flask, roundup: RoundUp, workshop: Workshop, fmt: str) -> bytes:
    """One export, made as a request would make it."""
    with app.test_request_context():
        return export(db.session, roundup, workshop, fmt)


def small_workshop(users: dict[str, User], postits: int = 6) -> Workshop:
    """A workshop with a host, a next step with an owner and due date, a gap with a suggested
    dataset, and some source post-its."""
    workshop = make_workshop(db.session, "Data sharing follow-up", users["facilitator"])
    workshop.host_network = "HEAR Network"
    gap = make_statement(db.session, workshop, "Data on unregistered groups", "need")
    dataset = Dataset(title="Register of charities", keywords=[], extra={}, granularity="borough")
    db.session.add(dataset)
    db.session.flush()
    link = NeedDatasetLink(statement_id=gap.id, dataset_id=dataset.id, status="suggested")
    db.session.add(link)
    for n in range(postits):
        make_statement(db.session, workshop, f"Source post-it number {n}", "source")
    step = NextStep(
        workshop_id=workshop.id,
        title="Map the groups",
        owner_user_id=users["lead"].id,
        due_date=date(2022, 3, 31),
        status="agreed",
    )
    db.session.add(step)
    db.session.commit()
    return workshop


def roundup_of(workshop: Workshop, users: dict[str, User]) -> RoundUp:
    """A round-up of the workshop with the narrative above."""
    draft = generate(db.session, workshop, users["facilitator"])
    db.session.flush()
    change = Edit("Round-up: data sharing", NARRATIVE, tuple(draft.content["hidden"]))
    draft = edit(db.session, draft, draft.version, change, users["facilitator"])
    db.session.commit()
    return draft


def test_the_docx_has_the_narrative_table_as_a_real_table_and_the_workshop_properties(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = small_workshop(users)
    document = Document(io.BytesIO(render(app, roundup_of(workshop, users), workshop, "docx")))
    first = document.tables[0]
    assert [[c.text for c in row.cells] for row in first.rows] == [
        ["Step", "Owner"],
        ["Map the groups", "Camden CVS"],
        ["Pool the surveys", "London Plus"],
    ]
    assert not any("Step | Owner" in p.text for p in document.paragraphs)
    properties = document.core_properties
    assert properties.title == "Data sharing follow-up"
    assert properties.author == "HEAR Network"
    headings = [p for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_the_documents_give_each_next_step_its_owner_due_date_and_status(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = small_workshop(users)
    roundup = roundup_of(workshop, users)
    document = Document(io.BytesIO(render(app, roundup, workshop, "docx")))
    steps = next(t for t in document.tables if t.rows[0].cells[1].text == "Next step")
    header = [c.text for c in steps.rows[0].cells]
    row = dict(zip(header, (c.text for c in steps.rows[1].cells), strict=True))
    assert row["Next step"] == "Map the groups" and row["Owner"] == users["lead"].name
    assert row["Due"] == "31 March 2022" and row["Status"] == "agreed"
    text = flat(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render(app, roundup, workshop, "pdf"))).pages
        )
    )
    assert "Map the groups" in text and "31 March 2022" in text and users["lead"].name in text


def test_the_documents_list_each_gap_with_its_closest_datasets(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = small_workshop(users)
    roundup = roundup_of(workshop, users)
    document = Document(io.BytesIO(render(app, roundup, workshop, "docx")))
    gaps = next(t for t in document.tables if t.rows[0].cells[0].text == "Gap")
    cells = [c.text for c in gaps.rows[1].cells]
    assert cells[0] == "Data on unregistered groups"
    assert cells[2].startswith("Register of charities")
    reader = PdfReader(io.BytesIO(render(app, roundup, workshop, "pdf")))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "Register of charities" in text and "Data on unregistered groups" in text
    assert reader.metadata.title == "Data sharing follow-up"
    assert reader.metadata.author == "HEAR Network"


@pytest.mark.parametrize(("postits", "appendix"), [(6, True), (APPENDIX_LIMIT + 1, False)])
def test_the_post_its_appendix_is_off_by_default_past_the_limit(
    app: Flask, users: dict[str, User], postits: int, appendix: bool
) -> None:
    workshop = small_workshop(users, postits)
    roundup = roundup_of(workshop, users)
    assert ("appendix" not in roundup.content["hidden"]) is appendix
    text = flat(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render(app, roundup, workshop, "pdf"))).pages
        )
    )
    assert "Source post-it number 0" in text  # a few examples always
    assert (f"Source post-it number {postits - 1}" in text) is appendix
    assert ("Appendix: the post-its in full" in text) is appendix


def test_a_facilitator_can_add_the_appendix_back(app: Flask, users: dict[str, User]) -> None:
    workshop = small_workshop(users, APPENDIX_LIMIT + 5)
    roundup = roundup_of(workshop, users)
    change = Edit(roundup.title, roundup.narrative_md, ())
    roundup = edit(db.session, roundup, roundup.version, change, users["facilitator"])
    db.session.commit()
    text = flat(
        " ".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(render(app, roundup, workshop, "pdf"))).pages
        )
    )
    assert f"Source post-it number {APPENDIX_LIMIT + 4}" in text


def test_every_round_up_download_says_its_content_type_once(
    client: FlaskClient,
    login,
    users: dict[str, User],  # type: ignore[no-untyped-def]
) -> None:
    workshop = small_workshop(users)
    roundup = roundup_of(workshop, users)
    login("facilitator")
    expected = {
        "html": "text/html; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "needs-csv": "text/csv; charset=utf-8",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for fmt, content_type in expected.items():
        response = client.get(f"/workshops/{workshop.slug}/roundup/{roundup.id}/download/{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Type"] == content_type, fmt
        assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) > 0
