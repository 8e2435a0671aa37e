"""The facilitator's board: four primary actions, the rest in menus by stage; newest on top."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop

STAGES = ["Before", "During", "After", "Decide", "Share"]


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(
        db.session, "Board day", users["facilitator"], users["member"], status="live"
    )
    db.session.commit()
    return workshop


def actions_bar(page: str) -> str:
    return page.split('aria-label="Workshop actions"', 1)[1].split("</nav>", 1)[0]


def test_at_most_four_primary_actions_and_a_menu_per_stage(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    bar = actions_bar(client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True))
    outside_menus = re.sub(r"<details.*?</details>", "", bar, flags=re.S)
    assert len(re.findall(r'class="button', outside_menus)) == 4
    assert re.findall(r'<summary class="button">(\w+)</summary>', bar) == STAGES
    for action in ("Capture post-its", "Present", "Re-tag all", "Gaps", "Dot votes", "Round-up"):
        assert action in bar


def test_the_newest_post_it_is_at_the_top_of_its_exercise(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    make_statement(db.session, workshop, "Older need about grants")
    make_statement(db.session, workshop, "Newer need about volunteers")
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert page.index("Newer need about volunteers") < page.index("Older need about grants")
    assert "2 post-its" in page


def test_the_filters_and_bulk_tools_sit_folded_below_the_actions(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    make_statement(db.session, workshop, "A need")
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert '<details class="board-tools">' in page
    assert page.index("board-tools") < page.index('id="board"')
    filtered = client.get(f"/workshops/{workshop.slug}/board?q=need").get_data(as_text=True)
    assert '<details class="board-tools" open>' in filtered


def test_members_see_no_workshop_actions(client: FlaskClient, login, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    login("member")
    page = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert 'aria-label="Workshop actions"' not in page
