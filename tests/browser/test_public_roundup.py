"""In Chromium: a round-up shared at its public link is drawn as a page, and its downloads open."""

import io

import pytest
from docx import Document
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from insights.extensions import db
from insights.roundups.services import generate, publish
from tests.roundups.demo import demo_workshop

pytestmark = pytest.mark.browser


def test_the_public_link_shows_the_round_up_as_a_page_and_its_downloads_work(
    live_server: str, page: Page
) -> None:
    workshop = demo_workshop(db.session)
    roundup = generate(db.session, workshop, None)
    db.session.flush()
    publish(roundup, roundup.version, "public")
    db.session.commit()

    response = page.goto(f"{live_server}/r/{roundup.public_token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(roundup.title)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert response is not None and response.headers["content-type"].startswith("text/html")
    expect(page.get_by_text("<h1")).to_have_count(0)  # drawn, not its source as text
    expect(page.get_by_text("<!doctype", exact=False)).to_have_count(0)

    with page.expect_download() as docx_download:
        page.get_by_role("link", name="Word (DOCX)").click()
    document = Document(docx_download.value.path())
    assert any(roundup.title in p.text for p in document.paragraphs)

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF").click()
    with open(pdf_download.value.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert workshop.title in text
