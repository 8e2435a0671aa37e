"""In Chromium: an admin filters the audit log and downloads it as CSV; a facilitator
publishes a dataset made from a private post-it; a participant's ballot survives clearing
cookies (its key is kept in localStorage) and says what that protection is and is not."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from insights.auth.models import User
from insights.datasets.suggestions import dataset_from_statement
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.statements.services import edit_statement
from insights.voting.services import open_round
from insights.workshops.services import enable_participant_link
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser
WIDTHS = (390, 1366, 1920)


def screenshots(page: Page, name: str) -> None:
    """The page at a phone's, a laptop's and a desktop's width, for a person to look at."""
    folder = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"trust-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_filters_the_audit_log_and_downloads_it(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Hackney data day", users["facilitator"])
    other = make_workshop(db.session, "Lambeth data day", users["facilitator"])
    card = make_statement(db.session, workshop, "=SUM(A1) ward data")
    make_statement(db.session, other, "Elsewhere")
    db.session.commit()
    edit_statement(db.session, card, "=SUM(A1) ward-level data", card.version, users["facilitator"])
    db.session.commit()

    log_in_page(page, live_server, users["admin"].email)
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    page.get_by_label("Workshop").select_option(label="Hackney data day")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("statement.edit")
    expect(rows.first).to_contain_text("ward-level data")
    screenshots(page, "audit")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download these entries as CSV").click()
    text = Path(caught.value.path()).read_bytes().decode("utf-8-sig")
    entries = list(csv.DictReader(io.StringIO(text)))
    assert [e["action"] for e in entries] == ["statement.edit"]
    assert entries[0]["workshop"] == "Hackney data day"
    assert "ward-level data" in entries[0]["after"]


def test_a_facilitator_publishes_a_dataset_made_from_a_private_post_it(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Our network", users["facilitator"])
    collected = make_statement(db.session, workshop, "Our member survey of 400 groups", "collected")
    dataset_from_statement(db.session, collected, users["facilitator"])
    db.session.commit()

    log_in_page(page, live_server, users["facilitator"].email)
    page.get_by_role("link", name="Datasets and gaps").click()
    card = page.locator("h2", has_text="Our member survey of 400 groups")
    expect(card).to_contain_text("private to its workshop")
    card.get_by_role("link").click()
    expect(page.get_by_text("Private to Our network.")).to_be_visible()
    screenshots(page, "dataset-private")
    page.get_by_role("button", name="Publish to the shared catalogue").click()
    expect(page.locator(".flash-success")).to_contain_text("Published to the shared catalogue")
    expect(page.get_by_role("button", name="Make private to the workshop again")).to_be_visible()


def test_a_phone_keeps_its_ballot_when_its_cookies_are_cleared(
    live_server: str, context: BrowserContext, page: Page, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Room vote", users["facilitator"], status="live")
    token = enable_participant_link(workshop)
    step = create_next_step(db.session, workshop, NextStepInput(title="Map the groups"), None)
    open_round(db.session, workshop, title="What first?", next_steps=[step])
    db.session.commit()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/p/{token}/votes/")  # the link on the projector's QR code
    page.get_by_role("link", name="What first?").click()
    page.get_by_text("One ballot per phone or browser").click()
    expect(page.get_by_text("not proof against someone determined")).to_be_visible()
    page.get_by_role("button", name="Add a dot to Map the groups").click()
    expect(page.get_by_text("Your dots: 1")).to_be_visible()
    kept = page.evaluate("localStorage.getItem('insights-device-key')")
    assert kept

    context.clear_cookies()
    page.reload()
    page.get_by_role("button", name="Add a dot to Map the groups").click()
    expect(page.get_by_text("Your dots: 2")).to_be_visible()
    expect(page.locator("#dots-left")).to_have_text("1")
    screenshots(page, "ballot")
