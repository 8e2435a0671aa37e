"""A member in Chromium, from log-in and only clicking: compares two workshops by borough
(all 33) and reads the heatmap's text at a legible size, then opens the needs register and
finds the need both workshops raised, with both wordings."""

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.organisations.models import Borough, Organisation
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop
from tests.browser.fixtures import log_in_page
from tests.browser.test_pairwise import shoot
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

THEMES = ("volunteering", "geography-comparison", "funding-finance", "community-need")


@pytest.fixture
def london_wide(users: dict[str, User]) -> tuple[Workshop, Workshop]:
    """Two workshops whose needs come from organisations in every one of the 33 boroughs."""
    people = (users["lead"], users["member"])
    first = make_workshop(db.session, "Directors", *people, date=date(2021, 9, 16), slug="sep")
    second = make_workshop(db.session, "Follow-up", *people, date=date(2021, 11, 18), slug="nov")
    themes = dict(db.session.execute(sa.select(Theme.slug, Theme.id)).all())
    boroughs = db.session.execute(sa.select(Borough.code, Borough.name)).all()
    assert len(boroughs) == 33
    for number, (code, name) in enumerate(boroughs):
        org = Organisation(name=f"{name} CVS", type="cvs", borough_code=code)
        db.session.add(org)
        db.session.flush()
        workshop = first if number % 2 else second
        need = make_statement(db.session, workshop, f"Grants data for {name}", "need")
        need.organisation_id = org.id
        slug = THEMES[number % len(THEMES)]
        db.session.add(StatementTheme(statement_id=need.id, theme_id=themes[slug]))
    for workshop, text in (
        (first, "We need borough-level volunteering data to compare with our neighbours"),
        (second, "Volunteering figures for each borough, so we can compare boroughs"),
    ):
        make_statement(db.session, workshop, text, "need")
    db.session.commit()
    return first, second


def test_member_compares_33_boroughs_and_finds_the_same_need_in_the_register(
    live_server: str, page: Page, users: dict[str, User], london_wide: tuple[Workshop, Workshop]
) -> None:
    log_in_page(page, live_server, users["member"].email)
    page.get_by_role("link", name="Compare").first.click()
    page.get_by_label("Side by side, by").select_option("borough")
    page.get_by_role("button", name="Compare").click()
    heatmap = page.locator("svg.heatmap")
    expect(heatmap).to_be_visible()
    heights = heatmap.locator("text").evaluate_all(
        # the font size times the scale it is drawn at (a rotation does not shrink text)
        "texts => texts.map(t => { const m = t.getScreenCTM();"
        " return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })"
    )
    assert len(heights) > 33 and min(heights) >= 11, min(heights)
    expect(heatmap.locator("text", has_text="Kensington and Chelsea")).to_be_visible()
    shoot(page, "compare-by-borough")

    page.get_by_role("link", name="Open the needs register").click()
    expect(page.get_by_role("heading", name="Needs register")).to_be_visible()
    shared = page.locator("#needs-register tbody tr.standing-shared").first
    expect(shared).to_contain_text("volunteering")
    shared.get_by_text("2 wordings as evidence").click()
    expect(shared.get_by_text("Volunteering figures for each borough")).to_be_visible()
    expect(shared.get_by_text("We need borough-level volunteering data")).to_be_visible()
    shoot(page, "needs-register")
