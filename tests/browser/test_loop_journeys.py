"""In Chromium, from log-in and only by clicking: a member finds what is new, reads the published
round-up, comments, endorses and votes; a lead goes from the gaps page to a next step and to a
data request, sends it and records the answer. Screenshots at 390, 1366 and 1920 px."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.demo.services import demo_password
from insights.extensions import db
from insights.nextsteps.services import live_steps_query
from insights.notices.services import notify_roundup_published, notify_vote_opened
from insights.roundups.services import generate, publish
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from tests.browser.fixtures import log_in_page
from tests.roundups.demo import demo_workshop

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out"
WIDTHS = (390, 1366, 1920)


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots of the current page at a phone, a laptop and a desktop width."""
    OUT.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def user(email: str) -> User:
    found = db.session.scalars(sa.select(User).where(User.email == email)).one()
    return found


def published_with_an_open_vote(workshop: Workshop) -> str:
    """The facilitator has published the round-up and the lead has opened a vote (members were
    told of both); returns the vote's title."""
    facilitator, lead = user("facilitator@example.org"), user("lead@example.org")
    roundup = generate(db.session, workshop, facilitator)
    db.session.flush()
    publish(roundup, roundup.version, "members")
    notify_roundup_published(
        db.session, workshop, roundup, facilitator, f"/workshops/{workshop.slug}/roundup"
    )
    steps = list(db.session.scalars(live_steps_query(workshop)))
    vote = open_round(db.session, workshop, title="What do we do first?", next_steps=steps[:4])
    notify_vote_opened(
        db.session, workshop, vote, lead, f"/workshops/{workshop.slug}/next-steps/votes/{vote.id}"
    )
    db.session.commit()
    return vote.title


def test_a_member_reads_the_round_up_comments_endorses_and_votes(
    live_server: str, page: Page
) -> None:
    workshop = demo_workshop(db.session)
    vote_title = published_with_an_open_vote(workshop)

    log_in_page(page, live_server, "member@example.org", demo_password())
    news = page.get_by_role("region", name="What's new for you")
    expect(news).to_contain_text("The round-up of “Data about the sector” is published")
    expect(news).to_contain_text(f"A vote opened in “Data about the sector”: {vote_title}")
    shoot(page, "home-news")

    page.get_by_role("link", name="Data about the sector", exact=True).first.click()
    next_for_you = page.get_by_role("navigation", name="What you can do next")
    expect(next_for_you).to_be_visible()
    expect(next_for_you.get_by_role("link", name="Gaps")).to_have_count(0)  # leads only
    shoot(page, "board-member")
    next_for_you.get_by_role("link", name="Read the round-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Round-up: Data about the sector")

    page.get_by_label("Your comment on the round-up").fill("Agree with starting from what exists.")
    page.get_by_role("button", name="Send comment").last.click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    first_step = "Map the data that already exists"
    page.get_by_role("button", name=f"Endorse “{first_step}”").click()
    expect(page.get_by_text(f"You endorse “{first_step}”.")).to_be_visible()

    page.get_by_role("link", name="Data about the sector", exact=True).first.click()
    page.get_by_role("link", name=f"Vote: {vote_title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vote_title)
    page.get_by_role("button", name=f"Add a dot to {first_step}").click()
    expect(page.locator("#dots-left")).to_have_text("2")
    expect(page.locator(".ballot-item", has_text=first_step)).to_contain_text("Your dots: 1")


def test_a_lead_goes_from_the_gaps_page_to_a_next_step_and_a_data_request(
    live_server: str, page: Page
) -> None:
    demo_workshop(db.session)
    log_in_page(page, live_server, "lead@example.org", demo_password())
    page.get_by_role("link", name="Data about the sector", exact=True).first.click()
    shoot(page, "board-lead")
    page.get_by_role("navigation", name="What you can do next").get_by_role(
        "link", name="Gaps"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps: Data about the sector")
    shoot(page, "gaps")

    gap = page.locator("li.gap").filter(has_text="borough-level volunteering data").first
    need_text = gap.locator(".gap-need").inner_text()
    expect(gap.locator(".tags")).to_be_visible()
    gap.get_by_text("Closest datasets").click()
    expect(gap.locator(".shortfalls").first).to_be_visible()
    gap.get_by_role("button", name="Make a next step for this gap").click()
    expect(page.get_by_text("Draft next step made.")).to_be_visible()
    page.get_by_role("button", name="Save next step").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Find or collect data")

    page.get_by_role("link", name="Data about the sector").first.click()
    page.get_by_role("navigation", name="What you can do next").get_by_role(
        "link", name="Gaps"
    ).click()
    gap = page.locator("li.gap").filter(has_text=need_text).first
    gap.get_by_role("button", name="Draft a data request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the data request")
    page.get_by_label("Email or postal address").fill("datastore@london.gov.uk")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("pre.letter")).to_contain_text(need_text)
    expect(page.locator("pre.letter")).to_contain_text("Contact: datastore@london.gov.uk")
    shoot(page, "data-request")

    page.get_by_role("button", name="Mark as sent").click()
    expect(page.get_by_text("Marked as sent on")).to_be_visible()
    page.get_by_label("Find the dataset they named").fill("volunteering borough")
    page.get_by_role("button", name="Search the catalogue").click()
    page.get_by_label("Reply", exact=True).select_option("answered")
    page.get_by_label("What they said").fill("Our Taking Part tables cover this at borough level.")
    page.get_by_label("Dataset they named (links it to the needs)").select_option(
        label="Volunteering by borough (Taking Part survey) (DCMS via London Datastore)"
    )
    page.get_by_role("button", name="Record the reply").click()
    expect(page.get_by_text("Reply recorded: answered.")).to_be_visible()
    expect(page.get_by_text("it is now linked to the needs above")).to_be_visible()

    page.get_by_role("link", name="Data requests").first.click()
    expect(page.locator("table.requests")).to_contain_text("answered")
    page.get_by_role("link", name="Gaps of this workshop").click()
    expect(page.locator("li.gap").filter(has_text=need_text)).to_have_count(0)  # no longer a gap


def test_a_lead_carries_undiscussed_items_into_a_new_workshop(live_server: str, page: Page) -> None:
    workshop = demo_workshop(db.session)
    log_in_page(page, live_server, "lead@example.org", demo_password())
    page.get_by_role("link", name=workshop.title, exact=True).first.click()
    page.get_by_role("navigation", name="What you can do next").get_by_role(
        "link", name="Carry forward"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carry to the next workshop")
    step = "Data skills peer-learning sessions"
    idea = "Peer learning session where CVSs show each other their dashboards."
    page.get_by_label(step).check()
    page.get_by_label(idea).check()
    page.get_by_label("Carry them to").select_option(label="A new workshop…")
    page.get_by_label("Title of the new workshop").fill("Data about the sector: spring 2022")
    page.get_by_label("Copy them (they stay here too, marked as carried)").check()
    shoot(page, "carry")
    page.get_by_role("button", name="Carry to the next workshop").click()
    expect(
        page.get_by_text("Carried 2 items to “Data about the sector: spring 2022”")
    ).to_be_visible()
    gone = page.get_by_role("region", name="Where carried items went (2)")
    expect(gone).to_contain_text(step)

    gone.get_by_role("link", name=idea).click()
    expect(page.get_by_text("Copied here from")).to_be_visible()
    expect(page.locator(".carried-origin")).to_contain_text(workshop.title)
    page.locator(".carried-origin").get_by_role("link", name=workshop.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(workshop.title)
