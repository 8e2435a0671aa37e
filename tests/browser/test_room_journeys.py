"""The workshop day in Chromium, one journey per role, each from the log-in page (the
participant from the URL read out of the QR code) and each step reached only by clicking
visible links and buttons. Every page is checked for sideways scroll at 390, 1366 and 1920 px,
with screenshots in benchmarks/out/room/."""

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from insights.demo.services import demo_password, load_demo
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.participate.services import plus_one_counts
from insights.roundups.services import generate, publish
from insights.statements.models import Statement
from insights.themes.services import (
    current_gazetteer,
    current_taxonomy,
    pipeline_for,
    tag_statements,
)
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.browser.fixtures import log_in_page
from tests.browser.room import check_widths, mark_page, still_same_page
from tests.factories import log_in
from tests.qr import decode_qr

pytestmark = pytest.mark.browser

POST_IT = "We need ward-level volunteering data to plan recruitment"


@pytest.fixture
def demo(app: Flask) -> Workshop:
    """The demo workshop, live, with a published round-up and an open dot vote."""
    load_demo(db.session)
    workshop = db.session.query(Workshop).order_by(Workshop.id).first()
    assert workshop is not None
    workshop.status = "live"
    step = db.session.query(NextStep).filter_by(workshop_id=workshop.id).first() or NextStep(
        workshop_id=workshop.id, title="Pool volunteering data"
    )
    db.session.add(step)
    open_round(db.session, workshop, title="Which first?", next_steps=[step])
    roundup = generate(db.session, workshop, None)
    publish(roundup, roundup.version, "members")
    db.session.commit()
    return workshop


def test_facilitator_sets_up_captures_reviews_in_place_and_presents(
    live_server: str, page: Page
) -> None:
    load_demo(db.session)
    db.session.commit()
    pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))  # load it once
    log_in_page(page, live_server, "facilitator@example.org", demo_password())
    check_widths(page, "fac-home")
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill("Room day")
    page.get_by_role("button", name="Create workshop").click()
    page.get_by_role("button", name="Make it live").click()
    page.get_by_role("button", name="Open a participant link").click()
    page.get_by_role("button", name="Let participants see the post-its").click()
    expect(page.get_by_role("img", name="QR code of the participant link")).to_be_visible()
    check_widths(page, "fac-manage")

    page.locator(".breadcrumb").get_by_role("link", name="Room day").click()
    check_widths(page, "fac-board-empty")
    page.get_by_role("link", name="Capture post-its").first.click()
    page.get_by_label("Post-it", exact=True).fill(POST_IT)
    page.keyboard.press("Enter")
    expect(page.locator("#recent-cards .postit", has_text=POST_IT)).to_be_visible(timeout=30_000)
    check_widths(page, "fac-capture")

    page.locator(".breadcrumb").get_by_role("link", name="Room day").click()
    card = page.locator(".board .postit", has_text=POST_IT)
    chip = card.locator('.chip[data-theme="volunteering"]')
    expect(chip).to_have_attribute("data-decision", "suggested")
    mark_page(page)
    chip.get_by_role("button", name="Accept Volunteering and civic participation").click()
    expect(card.locator('.chip[data-theme="volunteering"]')).to_have_attribute(
        "data-decision", "accepted"
    )
    assert still_same_page(page), "accepting a theme reloaded the board"
    check_widths(page, "fac-board")

    page.get_by_role("link", name="Present").click()
    expect(page.locator(".projector-card", has_text=POST_IT)).to_be_visible()
    expect(page.locator(".join-qr")).to_be_visible()
    check_widths(page, "fac-projector")
    page.get_by_role("link", name="Back to the board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Room day")


def test_facilitator_reviews_themes_from_the_keyboard(live_server: str, page: Page) -> None:
    load_demo(db.session)
    workshop = db.session.query(Workshop).order_by(Workshop.id).first()
    assert workshop is not None
    tag_statements(db.session, db.session.query(Statement).filter_by(workshop_id=workshop.id).all())
    db.session.commit()
    log_in_page(page, live_server, "facilitator@example.org", demo_password())
    page.locator(".workshop-list h2").get_by_role("link", name=workshop.title).click()
    mark_page(page)
    assert page.locator(".board .accept-all").count() > 0, "no suggestions on the demo board"
    for _ in range(200):  # J until a card with suggestions is the current one
        page.keyboard.press("j")
        if page.locator(".postit.is-current .accept-all").count():
            break
    card_id = page.locator(".postit.is-current").get_attribute("id")
    page.keyboard.press("a")
    card = page.locator(f"#{card_id}")
    expect(card.locator('.chip[data-decision="suggested"]')).to_have_count(0)
    expect(card.locator('.chip[data-decision="accepted"]').first).to_be_visible()
    page.keyboard.press("u")
    expect(card.locator('.chip[data-decision="accepted"]')).to_have_count(0)
    assert still_same_page(page)


def test_lead_reaches_gaps_next_steps_and_the_vote(
    live_server: str, page: Page, demo: Workshop
) -> None:
    log_in_page(page, live_server, "lead@example.org", demo_password())
    check_widths(page, "lead-home")
    page.locator("main").get_by_role("link", name="Gaps").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gaps")
    check_widths(page, "lead-gaps")
    page.get_by_role("link", name="Workshop insights").click()
    page.locator("main").get_by_role("link", name="Next steps").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Next steps")
    check_widths(page, "lead-next-steps")
    page.get_by_role("link", name="Workshop insights").click()
    page.get_by_role("link", name="Vote: Which first?").click()
    page.get_by_role("button", name="Add a dot to").first.click()
    expect(page.locator("#dots-left")).to_have_text("2")
    check_widths(page, "lead-ballot")


def test_member_reads_the_round_up_and_votes(live_server: str, page: Page, demo: Workshop) -> None:
    log_in_page(page, live_server, "member@example.org", demo_password())
    check_widths(page, "member-home")
    page.get_by_role("link", name="Round-up:").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_widths(page, "member-roundup")
    page.get_by_role("link", name="Workshop insights").click()
    page.get_by_role("link", name="Vote open: Which first?").click()
    page.get_by_role("button", name="Add a dot to").first.click()
    expect(page.locator("#dots-left")).to_have_text("2")
    check_widths(page, "member-ballot")


def test_participant_joins_from_the_qr_code_posts_and_plus_ones_on_a_phone(
    app: Flask, live_server: str, browser: Browser, demo: Workshop
) -> None:
    enable_participant_link(demo)
    demo.participants_see_cards = True
    db.session.commit()
    app.config["PUBLIC_URL"] = live_server
    client = app.test_client()
    log_in(client, "facilitator@example.org", demo_password())
    (url,) = decode_qr(client.get(f"/workshops/{demo.slug}/qr.png").get_data())
    second = demo.exercises[1]

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(url)
    expect(page.get_by_text(second.prompt)).to_be_visible()
    check_widths(page, "phone-form")
    page.get_by_text(second.prompt).click()
    page.get_by_label("Your post-it").fill("We look at the London Datastore first")
    page.get_by_label("Your organisation (optional)").fill("Hackney CVS")
    page.get_by_label("Your borough (optional)").select_option(label="Hackney")
    page.get_by_role("button", name="Add post-it").click()
    expect(page.get_by_text("your post-it is on the board")).to_be_visible()
    page.get_by_role("link", name="See everyone's post-its").click()
    card = page.locator(".postit", has_text="We look at the London Datastore first")
    expect(card).to_contain_text("Hackney CVS")
    check_widths(page, "phone-cards")
    card.get_by_role("button", name="+1").click()
    expect(page.get_by_text("+1 counted.")).to_be_visible()
    expect(card).to_contain_text("1 × +1")
    expect(card.get_by_role("button", name="+1")).to_have_count(0)
    phone.close()

    db.session.expire_all()
    statement = db.session.query(Statement).filter_by(text="We look at the London Datastore first")
    (posted,) = statement.all()
    assert posted.anonymous and posted.borough_code == "E09000012"
    assert plus_one_counts(db.session, [posted.id]) == {posted.id: 1}
