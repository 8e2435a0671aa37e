"""A dot vote in Chromium: the lead opens it, two members vote from their own browsers, the
lead closes it and sees the ranking and the impact / effort matrix."""

import pytest
from playwright.sync_api import Browser, Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.workshops.models import Workshop, WorkshopMember
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_user, make_workshop

pytestmark = pytest.mark.browser

STEPS = [
    ("Publish a shared directory of community groups", 5, "S"),
    ("Pool State of the Sector surveys across boroughs", 4, "M"),
    ("Agree a minimum data set for volunteering", 3, "S"),
    ("Commission a London-wide grants data study", 4, "L"),
]


@pytest.fixture
def voting_workshop(users: dict[str, User]) -> Workshop:
    """A live workshop with a lead, two members, four next steps and a need behind one."""
    second_member = make_user(db.session, "member", "member2@example.test")
    workshop = make_workshop(
        db.session, "Prioritising together", users["lead"], users["member"], status="live"
    )
    workshop.memberships.append(WorkshopMember(user=second_member, role="member"))
    need = make_statement(db.session, workshop, "Where are the unregistered groups?")
    for number, (title, impact, effort) in enumerate(STEPS):
        data = NextStepInput(
            title=title, impact=impact, effort=effort, statement_ids=[need.id] if not number else []
        )
        create_next_step(db.session, workshop, data, users["lead"])
    db.session.commit()
    return workshop


def vote_as(browser: Browser, base: str, email: str, slug: str, titles: list[str]) -> None:
    """A member logs in from their own browser profile and places a dot on each title."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in_page(page, base, email)
    page.goto(f"{base}/workshops/{slug}/next-steps/votes/")
    page.get_by_role("link", name="Which next steps first?").click()
    expect(page.locator("#dots-left")).to_have_text("3")
    for title in titles:
        page.get_by_role("button", name=f"Add a dot to {title}").click()
    expect(page.locator("#dots-left")).to_have_text(str(3 - len(titles)))
    expect(page.get_by_text("Results are hidden until the vote closes")).to_be_visible()
    page.screenshot(path="benchmarks/out/nextsteps-ballot.png", full_page=True)
    context.close()


def test_lead_runs_a_dot_vote_and_sees_the_ranking_and_matrix(
    live_server: str, page: Page, browser: Browser, users: dict[str, User], voting_workshop
) -> None:  # type: ignore[no-untyped-def]
    slug = voting_workshop.slug
    log_in_page(page, live_server, users["lead"].email)
    page.goto(f"{live_server}/workshops/{slug}/next-steps/votes/")
    page.get_by_label("Title of the vote").fill("Which next steps first?")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("The vote is open")).to_be_visible()
    ballot_url = page.url

    first, second, third = (title for title, _, _ in STEPS[:3])
    vote_as(browser, live_server, users["member"].email, slug, [second, second, first])
    vote_as(browser, live_server, "member2@example.test", slug, [second, third, first])

    page.goto(ballot_url)
    expect(page.get_by_text("2 voters have placed 6 dots")).to_be_visible()
    page.get_by_role("button", name="Close the vote and freeze the counts").click()
    expect(page.get_by_text("This vote is closed")).to_be_visible()
    expect(page.locator(".ballot-item").first).to_contain_text("3 dots")
    expect(page.locator(".ballot-item").first).to_contain_text(second)

    page.get_by_role("link", name="Ranking", exact=True).click()
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(4)
    # The most-voted step is not first: the quick win with a gap behind it outscores it.
    expect(rows.first).to_contain_text(first)
    expect(rows.filter(has_text=second).locator("td.factor").first).to_contain_text("3")
    page.screenshot(path="benchmarks/out/nextsteps-ranking.png", full_page=True)

    page.get_by_role("link", name="Impact and effort").click()
    points = page.locator("svg.matrix-chart a.point")
    expect(points).to_have_count(4)
    page.screenshot(path="benchmarks/out/nextsteps-matrix.png", full_page=True)
    points.first.click()
    expect(page.locator("h1")).to_have_text(first)
