"""A big workshop's board in Chromium: the newest 200 cards and the true total, a filter, then
"Show more post-its" for the older ones with the filter kept."""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from tests.browser.fixtures import log_in_page
from tests.factories import make_workshop

pytestmark = pytest.mark.browser

CARDS = 450  # 225 needs and 225 sources


@pytest.fixture
def big_wall(users: dict[str, User]):  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Big wall day", users["facilitator"], status="live")
    exercises = {e.kind: e for e in workshop.exercises}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    rows = []
    for n in range(CARDS):
        kind = "need" if n % 2 == 0 else "source"
        text = f"Wall card {n:03d}, a {kind}"
        rows.append(
            {
                "workshop_id": workshop.id,
                "exercise_id": exercises[kind].id,
                "kind": kind,
                "original_text": text,
                "text": text,
                "created_at": start + timedelta(seconds=n),
                "updated_at": start + timedelta(seconds=n),
            }
        )
    db.session.execute(sa.insert(Statement), rows)
    db.session.commit()
    return workshop


def test_a_big_board_shows_200_cards_and_more_with_the_filter_kept(
    live_server: str, page: Page, users: dict[str, User], big_wall
) -> None:  # type: ignore[no-untyped-def]
    log_in_page(page, live_server, users["facilitator"].email)
    page.locator(".workshop-list h2").get_by_role("link", name="Big wall day").click()
    cards = page.locator(".board .postit")
    expect(cards).to_have_count(200)
    expect(page.locator("#card-count")).to_have_text("450 post-its")
    expect(page.get_by_role("link", name="Wall card 449, a source")).to_be_visible()
    expect(page.get_by_role("link", name="Wall card 000, a need")).to_have_count(0)
    shoot(page, "board-page1")

    page.get_by_text("Filter the board").click()
    page.get_by_label("Kind").select_option("need")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#card-count")).to_have_text("225 post-its")
    expect(page.locator(".page-header .meta")).to_contain_text("225 post-its match")
    expect(cards).to_have_count(200)

    page.get_by_role("link", name="Show more post-its").last.click()
    expect(cards).to_have_count(25)
    expect(page.get_by_role("link", name="Wall card 000, a need")).to_be_visible()
    expect(page.get_by_role("link", name="Wall card 048, a need")).to_be_visible()
    expect(page.locator(".postit.kind-source")).to_have_count(0)
    expect(page.get_by_label("Kind")).to_have_value("need")
    expect(page.locator("#page-range")).to_have_text("showing 201–225, newest first")
    expect(page.locator(".pager-status").first).to_have_text(
        "201–225 of 225 post-its · page 2 of 2"
    )
    shoot(page, "board-page2")


def shoot(page: Page, name: str) -> None:
    """Screenshots at a phone's, a laptop's and a wide screen's width, in the temporary
    folder's board-shots (the page's top, and its pager at the bottom)."""
    folder = Path(tempfile.gettempdir()) / "board-shots"
    folder.mkdir(exist_ok=True)
    for width in (390, 1366, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=folder / f"{name}-{width}.png")
        page.locator(".pager").last.scroll_into_view_if_needed()
        page.screenshot(path=folder / f"{name}-{width}-pager.png")
    page.set_viewport_size({"width": 1280, "height": 900})
