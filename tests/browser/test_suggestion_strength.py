"""In Chromium: a facilitator finds, from the gaps page, a need with no good match yet, and on
its page sees suggestions with their strength in words, weak ones folded away."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.datasets.services import load_starter_catalogue
from insights.datasets.suggestions import refresh_workshop_suggestions
from insights.extensions import db
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
ODD = "We need allotment waiting list data by ward"
GOOD = "Which funders give grants to small groups in Newham"


def test_a_need_without_a_good_match_is_found_from_the_gaps_page(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session, "Data about the sector", users["facilitator"])
    make_statement(db.session, workshop, ODD)
    make_statement(db.session, workshop, GOOD)
    refresh_workshop_suggestions(db.session, workshop)
    db.session.commit()

    log_in_page(page, live_server, users["facilitator"].email)
    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="Data about the sector", exact=True).click()
    page.locator("summary", has_text="After").click()  # the board's "After" menu
    page.get_by_role("link", name="Gaps", exact=True).click()
    unmatched = page.get_by_role("region", name="No good match yet")
    expect(unmatched).to_contain_text(ODD)
    expect(unmatched).not_to_contain_text(GOOD)
    shoot(page, "gaps-no-good-match")

    page.get_by_role("link", name=GOOD).first.click()
    expect(
        page.get_by_text("strong match").or_(page.get_by_text("possible match")).first
    ).to_be_visible()
    shoot(page, "need-suggestions-strength")
    page.go_back()
    unmatched.get_by_role("link", name=ODD).click()  # to its card further down the page
    page.locator("li.gap.card").get_by_role("link", name=ODD).click()
    expect(page.get_by_text("No good match in the catalogue yet.")).to_be_visible()
    folded = page.locator("details.weak-suggestions")
    expect(folded.locator("li.suggestion").first).to_be_hidden()
    folded.locator("summary").click()
    expect(folded.locator("li.suggestion").first).to_be_visible()
    expect(folded).to_contain_text("weak match")
    shoot(page, "need-weak-folded")


def shoot(page: Page, name: str) -> None:
    """Screenshots at a phone, a laptop and a wide screen."""
    OUT.mkdir(exist_ok=True)
    for width in (390, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
