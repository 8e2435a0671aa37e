"""In Chromium: a facilitator confirms a suggested dataset and the need leaves the gaps page;
the graph page draws and highlights a node's neighbours."""

import pytest
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.datasets.services import load_starter_catalogue
from insights.extensions import db
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

NEED = "Deprivation by ward to target our outreach"


def test_facilitator_confirms_a_suggestion_and_the_need_leaves_the_gaps_page(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    load_starter_catalogue(db.session)
    make_workshop(db.session, "Data about the sector", users["facilitator"])
    workshop = make_workshop(db.session, "Borough data", users["facilitator"])
    make_statement(db.session, workshop, NEED)
    db.session.commit()

    log_in_page(page, live_server, users["facilitator"].email)
    page.get_by_role("link", name="Datasets and gaps").click()
    page.get_by_role("link", name="Gaps", exact=True).click()
    # The gap's card links to its need page (the "no good match yet" list links to the card).
    page.locator("a[href^='/datasets/needs/']", has_text=NEED).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NEED)
    first = page.locator(".suggestion").first
    expect(first).to_contain_text("Matching terms")
    title = first.get_by_role("heading", level=3).get_by_role("link").inner_text()
    first.get_by_role("button", name=f"Confirm: {title} serves this need").click()

    expect(page.get_by_text(f"“{title}” serves for this need.")).to_be_visible()
    page.get_by_role("link", name="Gaps", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps")
    expect(page.get_by_role("link", name=NEED)).to_have_count(0)


def test_the_graph_page_draws_and_highlights_neighbours(
    live_server: str, page: Page, users: dict[str, User]
) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session, "Graph", users["lead"])
    make_statement(db.session, workshop, NEED)
    db.session.commit()

    log_in_page(page, live_server, users["lead"].email)
    page.goto(f"{live_server}/graph/")
    canvas = page.locator("#graph-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")
    expect(page.get_by_role("status")).to_contain_text("nodes")
    page.get_by_label("Find a node").fill("Indices of Deprivation")
    page.get_by_label("Find a node").press("Enter")
    page.get_by_label("Find a node").dispatch_event("change")
    expect(page.locator("#graph-details")).to_contain_text("Indices of Deprivation")
