"""In Chromium: a facilitator publishes the demo round-up; a member opens it, comments and
downloads the DOCX; the round-up prints on A4; screenshots of the round-up and comparison."""

import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from insights.demo.services import demo_password
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.services import tag_statements
from insights.workshops.models import Workshop, WorkshopMember
from tests.browser.fixtures import log_in_page
from tests.roundups.demo import demo_workshop, next_step_titles

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
EARLIER = [
    ("need", "We need to know how many groups closed during the pandemic in each borough."),
    ("need", "Grants data by ward so we can see where funding never reaches."),
    ("need", "Volunteering rates across London to compare with our own survey."),
    ("challenge", "Survey fatigue: groups are asked the same questions by everyone."),
    ("challenge", "No staff time to analyse the data we already collect."),
    ("source", "The Charity Commission register and our own membership list."),
    ("idea", "Pool our State of the Sector surveys with common core questions."),
]


def log_in_demo(page: Page, base: str, email: str) -> None:
    """Log in as one of the demo accounts."""
    log_in_page(page, base, email, demo_password())


def publish_as_facilitator(page: Page, base: str, workshop: Workshop) -> None:
    """The facilitator draws the round-up and publishes it to members."""
    log_in_demo(page, base, "facilitator@example.org")
    page.goto(f"{base}/workshops/{workshop.slug}/roundup")
    page.get_by_role("button", name="Draw the round-up").click()
    expect(page.get_by_role("note")).to_contain_text("Draft")
    page.get_by_label("To the workshop's members (they must log in)").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Version 1 is published to members.")).to_be_visible()


def test_a_member_reads_comments_on_and_downloads_the_published_round_up(
    live_server: str, page: Page, browser: Browser
) -> None:
    workshop = demo_workshop(db.session)
    publish_as_facilitator(page, live_server, workshop)

    member = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    reader = member.new_page()
    reader.set_default_timeout(10_000)
    log_in_demo(reader, live_server, "member@example.org")
    reader.goto(f"{live_server}/workshops/{workshop.slug}/roundup")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Round-up: Data about the sector")
    expect(reader.get_by_role("heading", name="Prioritised next steps")).to_be_visible()
    expect(reader.get_by_role("img", name="Post-its per theme")).to_be_visible()

    reader.get_by_label("Your comment on the round-up").fill("Clear and useful — thank you.")
    reader.get_by_role("button", name="Send comment").last.click()
    expect(reader.get_by_text("Comment added.")).to_be_visible()
    expect(reader.locator("#comments")).to_contain_text("Clear and useful — thank you.")

    first_step = next_step_titles()[0]
    reader.get_by_role("button", name=f"Endorse “{first_step}”").click()
    expect(reader.get_by_text(f"You endorse “{first_step}”.")).to_be_visible()

    with reader.expect_download() as caught:
        reader.get_by_role("link", name="Word (DOCX)").click()
    download = caught.value
    assert download.suggested_filename == f"{workshop.slug}-v1-roundup.docx"
    document = Document(download.path())
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert set(next_step_titles()) <= cells
    member.close()


def test_screenshots_of_the_round_up_and_the_comparison(live_server: str, page: Page) -> None:
    workshop = demo_workshop(db.session)
    earlier = earlier_workshop(workshop)
    publish_as_facilitator(page, live_server, workshop)
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / "roundup.png"), full_page=True)

    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    (OUT / "roundup-print.pdf").write_bytes(pdf)
    printed = PdfReader(io.BytesIO(pdf))
    box = printed.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 from @page
    assert "Prioritised next steps" in " ".join(p.extract_text() for p in printed.pages)
    page.screenshot(path=str(OUT / "roundup-print.png"), full_page=False)
    page.emulate_media(media="screen")

    page.goto(f"{live_server}/compare/?w={earlier.slug}&w={workshop.slug}")
    expect(page.get_by_role("img", name="Theme shares by workshop")).to_be_visible()
    page.screenshot(path=str(OUT / "compare.png"), full_page=True)


def earlier_workshop(demo: Workshop) -> Workshop:
    """The same network's 2020 meeting, smaller, tagged, with the same people invited."""
    earlier = Workshop(
        slug="data-about-the-sector-2020",
        title="Data about the sector",
        date=date(2020, 10, 8),
        host_network=demo.host_network,
        status="closed",
    )
    db.session.add(earlier)
    db.session.flush()
    for member in list(demo.memberships):
        db.session.add(
            WorkshopMember(workshop_id=earlier.id, user_id=member.user_id, role=member.role)
        )
    for kind, text in EARLIER:
        db.session.add(Statement(workshop_id=earlier.id, kind=kind, original_text=text, text=text))
    db.session.flush()
    statements = db.session.scalars(
        sa.select(Statement).where(Statement.workshop_id == earlier.id)
    ).all()
    tag_statements(db.session, statements)
    db.session.commit()
    return earlier
