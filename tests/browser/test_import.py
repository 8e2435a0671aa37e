"""A facilitator uploads a spreadsheet, fixes the column mapping in the preview and imports it;
and pastes a handful of post-its, in Chromium. Every journey starts at the log-in page and
reaches the import pages by clicking: Workshops, the workshop's board, its "Before" menu."""

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from tests.browser.fixtures import log_in_page
from tests.factories import make_workshop

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "import-shots"  # looked at by people, not kept


@pytest.fixture
def slug(app: Flask, users: dict[str, User], tmp_path: Path) -> str:
    """A workshop the facilitator runs; uploads wait in the test's folder."""
    app.config["IMPORT_UPLOAD_FOLDER"] = str(tmp_path / "imports")
    workshop = make_workshop(db.session, "Data about the sector", users["facilitator"])
    db.session.commit()
    return workshop.slug


def open_from_the_board(page: Page, base_url: str, email: str, item: str) -> None:
    """Log in, open the board from the Workshops list, then an item of its Before menu."""
    log_in_page(page, base_url, email)
    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="Data about the sector", exact=True).click()
    actions = page.get_by_role("navigation", name="Workshop actions")
    actions.locator("summary", has_text="Before").click()
    actions.get_by_role("link", name=item, exact=True).click()


def page_width(page: Page) -> int:
    """How wide the drawn page is, in CSS pixels (wider than the window means it scrolls)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def shoot(page: Page, name: str) -> None:
    """Screenshots at a phone, a laptop and a wide screen; the page must fit the phone."""
    SHOTS.mkdir(exist_ok=True)
    for width in (390, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert page_width(page) <= width, f"{name} is {page_width(page)} px wide at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_facilitator_uploads_a_csv_remaps_a_column_and_imports_it(
    live_server: str, page: Page, users: dict[str, User], slug: str, tmp_path: Path
) -> None:
    upload = tmp_path / "postits.csv"
    upload.write_text(
        "Said,Kind,Place\n"
        "We need borough-level volunteering data,need,Hackney\n"
        "No time to analyse data,challenge,Narnia\n",
        encoding="utf-8",
    )
    open_from_the_board(page, live_server, users["facilitator"].email, "Import a file")
    page.get_by_label("CSV, XLSX or Trello board (JSON) file").set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("No column holds the post-it text")).to_be_visible()
    page.get_by_label("Column 'Said' holds").select_option("text")
    page.get_by_label("Column 'Place' holds").select_option("borough")
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_text("is not a London borough.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("row 3")

    page.get_by_role("button", name="Import 1 post-it").click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 0

    page.get_by_label("Column 'Place' holds").select_option("ignore")
    page.get_by_role("button", name="Import 1 post-it").click()
    expect(page.get_by_text("2 post-its added")).to_be_visible()
    expect(page.get_by_text("No time to analyse data").first).to_be_visible()


def test_facilitator_pastes_post_its_with_the_keyboard(
    live_server: str, page: Page, users: dict[str, User], slug: str
) -> None:
    open_from_the_board(page, live_server, users["facilitator"].email, "Paste post-its")
    box = page.get_by_label("Post-its, one per line")
    box.fill("Registers of small groups\nchallenge: survey fatigue\n\nidea: pool data")
    page.get_by_label("Exercise for lines without a kind").select_option("sources")
    box.focus()
    page.keyboard.press("Tab")  # to the exercise select
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    expect(page.get_by_text("3 post-its added")).to_be_visible()
    kinds = db.session.scalars(sa.select(Statement.kind).order_by(Statement.id)).all()
    assert kinds == ["source", "challenge", "idea"]


SURVEY = (
    Path(__file__).resolve().parents[1] / "data" / "postits" / "autistica_google_form_responses.csv"
)


def test_facilitator_imports_a_real_survey_export_from_the_board_by_clicking(
    live_server: str, page: Page, users: dict[str, User], slug: str
) -> None:
    open_from_the_board(page, live_server, users["facilitator"].email, "Import a file")
    expect(page.get_by_role("heading", name="Upload post-its")).to_be_visible()
    page.get_by_label("CSV, XLSX or Trello board (JSON) file").set_input_files(str(SURVEY))
    page.get_by_label("Kind for rows that name no kind or exercise").select_option("need")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("Recognised a Google Forms export.")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("written month first (US)")
    shoot(page, "survey-preview-question")
    page.get_by_label("Dates are written").select_option("mdy")
    page.get_by_role("button", name="Check again").click()

    summary = page.get_by_role("region", name="What the import will do")
    expect(summary).to_contain_text("28 post-its will be added")
    expect(summary).to_contain_text("14 blank answers will be skipped")
    expect(summary).to_contain_text("Kept as notes on each post-it:")
    expect(summary).to_contain_text("'Q2: Do you have a personal connection to autism?'")
    shoot(page, "survey-preview-ready")
    page.get_by_role("button", name="Import 28 post-its").click()

    expect(page.get_by_text("28 post-its added; 14 blank answers skipped.")).to_be_visible()
    expect(
        page.get_by_text("I would like to know what the project can offer.").first
    ).to_be_visible()
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 28


BOARD = Path(__file__).resolve().parents[1] / "data" / "postits" / "trello_weekly_sprint_board.json"


def test_a_trello_board_export_previews_within_a_phone_and_imports(
    live_server: str, page: Page, users: dict[str, User], slug: str
) -> None:
    open_from_the_board(page, live_server, users["facilitator"].email, "Import a file")
    page.get_by_label("CSV, XLSX or Trello board (JSON) file").set_input_files(str(BOARD))
    page.get_by_label("Kind for rows that name no kind or exercise").select_option("idea")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_text("Recognised a Trello export.")).to_be_visible()
    expect(page.get_by_label("Column 'List' holds")).to_have_value("group")
    expect(page.get_by_label("Column 'Label colour' holds")).to_have_value("colour")
    expect(page.get_by_label("Column 'Description' holds")).to_have_value("note")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page_width(page) <= 390
    shoot(page, "trello-preview")
    page.get_by_role("button", name="Import 20 post-its").click()
    expect(page.get_by_text("20 post-its added")).to_be_visible()
    expect(
        page.get_by_text("Forward ssh connections to gitlab.himmelwright.net").first
    ).to_be_visible()
