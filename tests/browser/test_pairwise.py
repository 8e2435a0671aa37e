"""A lead in Chromium, from log-in and only clicking: moves the weight sliders and sees the
ranking previewed without a reload, tries a personal what-if, runs a pairwise round, and sees
the step the round favoured climb the ranking."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.workshops.models import Workshop
from tests.browser.fixtures import log_in_page
from tests.factories import make_statement, make_workshop

pytestmark = pytest.mark.browser

FAVOURITE = "Commission a London-wide grants data study"
STEPS = [
    ("Publish a shared directory of community groups", 5, "S"),
    ("Pool State of the Sector surveys across boroughs", 4, "M"),
    ("Agree a minimum data set for volunteering", 3, "S"),
    (FAVOURITE, 4, "L"),
]
SHOTS = Path("benchmarks/out")
WIDTHS = (390, 1366, 1920)


@pytest.fixture
def ranking_workshop(users: dict[str, User]) -> Workshop:
    """A live workshop the lead and a member belong to, with four next steps."""
    workshop = make_workshop(
        db.session, "Deciding what first", users["lead"], users["member"], status="live"
    )
    need = make_statement(db.session, workshop, "Where are the unregistered groups?")
    for number, (title, impact, effort) in enumerate(STEPS):
        ids = [need.id] if not number else []
        data = NextStepInput(title=title, impact=impact, effort=effort, statement_ids=ids)
        create_next_step(db.session, workshop, data, users["lead"])
    db.session.commit()
    return workshop


def ranked_titles(page: Page) -> list[str]:
    """The step titles of the ranking table on the page, in order."""
    return page.locator("#ranking tbody th[scope=row] a").all_inner_texts()


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at a phone, a laptop and a wide screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def pick(page: Page) -> None:
    """One pairwise pick: the favourite whenever it is shown, else the higher of the others
    in the list above (so the outcome does not depend on the order pairs come in)."""
    shown = page.locator(".pair-title").all_inner_texts()
    order = [FAVOURITE, STEPS[0][0], STEPS[2][0], STEPS[1][0]]
    winner = min(shown, key=order.index)
    page.get_by_role("button", name=f"Pick “{winner}”").click()
    expect(page.get_by_text(f"Noted: “{winner}” first.")).to_be_visible()


def test_lead_previews_weights_runs_a_pairwise_round_and_sees_the_ranking_change(
    live_server: str, page: Page, users: dict[str, User], ranking_workshop: Workshop
) -> None:
    log_in_page(page, live_server, users["lead"].email)
    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="Deciding what first", exact=True).click()
    page.get_by_role("link", name="Next steps, ranked").click()
    before = ranked_titles(page)
    assert before[-1] == FAVOURITE and len(before) == 4

    # Weights: the preview follows the slider with no page load, and nothing is saved.
    page.get_by_role("link", name="Weights", exact=True).click()
    page.evaluate("window.stillHere = true")
    page.get_by_label("Effort", exact=True).fill("10")
    expect(page.locator("#ranking-preview")).to_contain_text("Effort ×10")
    expect(page.locator("#weight-effort-value")).to_have_text("10")
    assert page.evaluate("window.stillHere") is True  # the same page: no reload
    shoot(page, "nextsteps-weights-preview")
    page.get_by_role("link", name="What if", exact=True).click()
    page.evaluate("window.stillHere = true")
    page.get_by_label("Impact", exact=True).fill("0")
    expect(page.locator("#ranking-preview")).to_contain_text("Impact ×0")
    assert page.evaluate("window.stillHere") is True
    shoot(page, "nextsteps-what-if")

    # A pairwise round: every pair once.
    page.get_by_role("link", name="Pairwise", exact=True).click()
    expect(page.get_by_text("You have made 0 picks.")).to_be_visible()
    shoot(page, "pairwise-choose")
    for _ in range(6):
        pick(page)
    expect(page.get_by_text("You have made 6 picks.")).to_be_visible()
    expect(page.locator(".standings tbody tr").first).to_contain_text(FAVOURITE)
    page.get_by_role("link", name="See the ranking").click()
    after = ranked_titles(page)
    assert after.index(FAVOURITE) < before.index(FAVOURITE), after
    favourite_row = page.locator("#ranking tbody tr", has_text=FAVOURITE)
    expect(favourite_row).to_contain_text("3 of 3")
    expect(page.locator("#ranking thead")).to_contain_text("Pairwise")
    shoot(page, "nextsteps-ranking-after-pairwise")
