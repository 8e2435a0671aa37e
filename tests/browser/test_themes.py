"""Themes in Chromium: a captured post-it shows chips whose hover text names the words that
triggered them, and a theme rejected on the statement page stays rejected after a re-tag."""

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.themes.services import current_gazetteer, current_taxonomy, pipeline_for
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

POST_IT = "We need ward-level volunteering data to plan recruitment"


@pytest.fixture
def live_workshop(users: dict[str, User]):  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Theme review", users["facilitator"], status="live")
    db.session.commit()
    pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))  # load it once
    return workshop


def test_a_captured_post_it_shows_explained_chips_and_a_rejected_theme_stays_rejected(
    app: Flask, live_server: str, page: Page, users: dict[str, User], live_workshop
) -> None:  # type: ignore[no-untyped-def]
    log_in_page(page, live_server, users["facilitator"].email)
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/capture")
    page.get_by_label("Post-it", exact=True).fill(POST_IT)
    page.keyboard.press("Enter")
    card = page.locator("#recent-cards .postit", has_text=POST_IT)
    chip = card.locator('.chip[data-theme="volunteering"]')
    expect(chip).to_be_visible()
    expect(chip).to_have_attribute(
        "title", "Matched: volunteering · weak evidence: one word matches"
    )
    chip.hover()

    card.get_by_role("link", name=POST_IT).click()
    review = page.locator('.review[data-theme="volunteering"]')
    expect(review).to_contain_text("Matched: volunteering")
    review.get_by_role("button", name="Reject Volunteering and civic participation").click()
    expect(page.get_by_text("Theme rejected.")).to_be_visible()
    expect(review.locator(".review-state")).to_have_text("rejected")

    result = app.test_cli_runner().invoke(args=["nlp", "retag", "--force"])
    assert result.exit_code == 0, result.output
    page.reload()
    expect(page.locator('.review[data-theme="volunteering"] .review-state')).to_have_text(
        "rejected"
    )
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/board")
    board_card = page.locator(".board .postit", has_text=POST_IT)
    expect(board_card).to_be_visible()
    expect(board_card.locator('.chip[data-theme="volunteering"]')).to_have_count(0)
    page.screenshot(path="benchmarks/out/themes-board.png", full_page=True)


def test_the_retag_button_shows_progress_until_done(
    live_server: str, page: Page, users: dict[str, User], live_workshop
) -> None:  # type: ignore[no-untyped-def]
    for number in range(20):
        make_statement(db.session, live_workshop, f"Grants data for small groups, note {number}")
    db.session.commit()
    log_in_page(page, live_server, users["facilitator"].email)
    page.goto(f"{live_server}/workshops/{live_workshop.slug}/board")
    page.get_by_text("After", exact=True).click()  # the board's menu for after the workshop
    page.get_by_role("button", name="Re-tag all").click()
    expect(page.get_by_role("heading", name="Re-tag the post-its")).to_be_visible()
    expect(page.locator(".job-status")).to_contain_text("Done: 20 of 20.")
    expect(page.locator(".job-bar")).to_have_attribute("value", "100")
