"""Finding: participant dot votes could be stuffed by a client that drops its cookies
(24 dots as 8 "voters"). Now a ballot is kept per device (a key in localStorage and the
session), and one address holds at most VOTERS_PER_ADDRESS ballots in a round."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.voting.models import Vote, VoteRound
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.factories import csrf_token_from, make_workshop
from tests.security.helpers import forget_last_request


@pytest.fixture
def ballot(app: Flask, users: dict[str, User]) -> tuple[str, VoteRound]:
    """An open round on a live workshop's participant link."""
    workshop: Workshop = make_workshop(db.session, "Room vote", users["facilitator"], status="live")
    token = enable_participant_link(workshop)
    step = create_next_step(db.session, workshop, NextStepInput(title="Map the groups"), None)
    vote_round = open_round(db.session, workshop, title="Phones out", next_steps=[step])
    db.session.commit()
    return f"/p/{token}/votes/{vote_round.id}", vote_round


def dots_from_a_fresh_browser(app: Flask, url: str, item_id: int, device: str = "") -> str:
    """A browser with no cookies opens the ballot and places every dot it may."""
    browser = app.test_client()
    forget_last_request()
    page = browser.get(url).get_data(as_text=True)
    key = re.search(r'data-device-key="([^"]+)"', page)
    assert key, "the ballot carries its device key for localStorage"
    for _ in range(4):
        data = {"csrf_token": csrf_token_from(page), "item_id": item_id, "device": device}
        assert browser.post(url, data=data).status_code == 302
    return key.group(1)


def ballots() -> int:
    """Distinct ballots placed so far."""
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(Vote.voter_key)))) or 0


def test_a_browser_that_clears_cookies_keeps_its_ballot(
    app: Flask, ballot: tuple[str, VoteRound]
) -> None:
    url, vote_round = ballot
    item = vote_round.items[0].id
    kept = dots_from_a_fresh_browser(app, url, item)
    # Cookies cleared; localStorage still holds the key and the page sends it back.
    dots_from_a_fresh_browser(app, url, item, device=kept)
    assert ballots() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 3


def test_a_client_dropping_cookies_and_storage_is_capped_per_address(
    app: Flask, ballot: tuple[str, VoteRound]
) -> None:
    app.config["VOTERS_PER_ADDRESS"] = 3
    url, vote_round = ballot
    for _ in range(8):
        dots_from_a_fresh_browser(app, url, vote_round.items[0].id)
    assert ballots() == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 9


def test_the_ballot_says_what_the_protection_is_and_is_not(
    app: Flask, ballot: tuple[str, VoteRound]
) -> None:
    url, _ = ballot
    page = app.test_client().get(url).get_data(as_text=True)
    assert "One ballot per phone or browser" in page
    assert "not proof against someone determined" in page
