"""Capture at keyboard speed, the live board, the participant link and undo, in Chromium."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.services import enable_participant_link
from tests.browser.fixtures import log_in_page
from tests.factories import make_workshop

pytestmark = pytest.mark.browser

POST_ITS = [
    "We need ward-level volunteering data to plan recruitment",
    "GrantNav is where we look for who funds what in the borough",
    "No time or skills in-house to analyse the data we hold",
    "We hold a membership database of 400 local groups",
    "Pool State of the Sector surveys across neighbouring boroughs",
]


@pytest.fixture
def live_workshop(users: dict[str, User]):  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Live capture", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def test_facilitator_captures_five_post_its_with_the_keyboard_only(
    live_server: str, page: Page, users: dict[str, User], live_workshop
) -> None:  # type: ignore[no-untyped-def]
    log_in_page(page, live_server, users["facilitator"].email)
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/capture")
    text = page.get_by_label("Post-it", exact=True)
    expect(text).to_be_focused()
    for number, post_it in enumerate(POST_ITS, start=1):
        page.keyboard.press(f"Alt+{min(number, 5)}")
        page.keyboard.type(post_it)
        page.keyboard.press("Enter")
        expect(page.locator("#recent-cards .postit").first).to_contain_text(post_it)
        expect(text).to_have_value("")
    page.screenshot(path="benchmarks/out/capture.png", full_page=True)

    page.goto(f"{live_server}/workshops/{live_workshop.slug}/board")
    for number, post_it in enumerate(POST_ITS):
        column = page.locator(f"#ex-{live_workshop.exercises[number].id}").locator("..")
        expect(column).to_contain_text(post_it)
    page.screenshot(path="benchmarks/out/board.png", full_page=True)


def test_a_participant_post_appears_on_the_open_board_without_a_reload(
    live_server: str, page: Page, browser: Browser, users: dict[str, User], live_workshop
) -> None:  # type: ignore[no-untyped-def]
    log_in_page(page, live_server, users["facilitator"].email)
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/board")
    expect(page.locator(".postit")).to_have_count(0)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    participant = phone.new_page()
    participant.goto(f"{live_server}/p/{live_workshop.participant_token}")
    participant.get_by_text(live_workshop.exercises[2].prompt).click()
    participant.get_by_label("Your post-it").fill("Survey fatigue: groups get asked the same thing")
    participant.get_by_role("button", name="Add post-it").click()
    expect(participant.get_by_text("your post-it is on the board")).to_be_visible()
    participant.screenshot(path="benchmarks/out/participant.png", full_page=True)
    phone.close()

    card = page.locator(".postit", has_text="Survey fatigue")
    expect(card).to_be_visible(timeout=5000)
    expect(page.locator("#card-count")).to_have_text("1 post-it")
    expect(page.locator("#new-notice")).to_have_text("1 new — show")


def test_undo_of_a_delete_brings_the_card_back(
    live_server: str, page: Page, users: dict[str, User], live_workshop
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_statement

    statement = make_statement(db.session, live_workshop, "Borough-level data on grants")
    db.session.commit()
    log_in_page(page, live_server, users["facilitator"].email)
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/statements/{statement.id}")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Post-it deleted")).to_be_visible()
    expect(page.locator(".board .postit")).to_have_count(0)

    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".board .postit", has_text="Borough-level data on grants")).to_be_visible()
    db.session.expire_all()
    restored = db.session.scalar(sa.select(Statement).where(Statement.id == statement.id))
    assert restored is not None and restored.deleted_at is None
