"""The board a page at a time: the newest 200 cards, the true totals, links to older pages that
keep the filters, live polling on page 1 only, and odd page values give a page, never a 500."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.statements.queries import BOARD_PAGE_SIZE
from insights.workshops.models import Workshop
from tests.factories import log_in, make_workshop

CARDS = BOARD_PAGE_SIZE + 30  # 230: a full first page and 30 more


@pytest.fixture
def big(users: dict[str, User]) -> Workshop:
    """A workshop of 230 post-its, alternately needs and sources, one second apart."""
    workshop = make_workshop(db.session, "Big wall", users["facilitator"], users["member"])
    exercises = {e.kind: e for e in workshop.exercises}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for n in range(CARDS):
        kind = "need" if n % 2 == 0 else "source"
        text = f"Wall card {n:03d} ({kind})"
        db.session.add(
            Statement(
                workshop_id=workshop.id,
                exercise_id=exercises[kind].id,
                kind=kind,
                original_text=text,
                text=text,
                created_at=start + timedelta(seconds=n),
            )
        )
    db.session.commit()
    return workshop


def cards_on(page: str) -> list[int]:
    """The numbers of the wall cards a page shows, in page order."""
    return [int(n) for n in re.findall(r">Wall card (\d{3}) \(", page)]


def test_the_first_page_shows_the_newest_200_and_the_true_total(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    log_in(client, users["member"].email)
    page = client.get(f"/workshops/{big.slug}/board").get_data(as_text=True)
    shown = cards_on(page)
    assert len(shown) == BOARD_PAGE_SIZE
    assert set(shown) == set(range(30, CARDS))  # the 30 oldest wait on page 2
    assert 'data-count="230"' in page and "230 post-its" in page
    assert "100 of 115 post-its on this page" in page  # each exercise's own true total
    assert 'href="/workshops/big-wall/board?page=2"' in page and "Show more post-its" in page
    assert "data-changes-url=" in page  # page 1 is live


def test_page_two_shows_the_older_cards_and_is_not_live(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    log_in(client, users["member"].email)
    page = client.get(f"/workshops/{big.slug}/board?page=2").get_data(as_text=True)
    assert sorted(cards_on(page)) == list(range(30))
    assert "Wall card 000 (need)" in page and "Wall card 029 (source)" in page
    assert "201–230 of 230 post-its" in page
    assert "data-changes-url=" not in page


def test_a_filtered_board_pages_through_its_matches_and_keeps_the_filter(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    big_needs = CARDS // 2  # 115 needs
    for n in range(BOARD_PAGE_SIZE):  # 200 more needs, newer than every wall card
        text = f"Later need {n}"
        db.session.add(
            Statement(
                workshop_id=big.id,
                exercise_id=next(e.id for e in big.exercises if e.kind == "need"),
                kind="need",
                original_text=text,
                text=text,
                created_at=datetime(2026, 12, 1, tzinfo=UTC) + timedelta(seconds=n),
            )
        )
    db.session.commit()
    log_in(client, users["member"].email)
    first = client.get(f"/workshops/{big.slug}/board?kind=need").get_data(as_text=True)
    assert f"{big_needs + BOARD_PAGE_SIZE} post-its</span> match" in first
    assert 'href="/workshops/big-wall/board?kind=need&amp;page=2"' in first
    second = client.get(f"/workshops/{big.slug}/board?kind=need&page=2").get_data(as_text=True)
    assert sorted(cards_on(second)) == list(range(0, CARDS, 2))  # every wall need, no source
    assert 'href="/workshops/big-wall/board?kind=need"' in second  # back to page 1, filtered


@pytest.mark.parametrize("value", ["-1", "0", "abc", "999999999999999999999", "2.5", "%00"])
def test_odd_page_values_give_a_page_not_an_error(
    client: FlaskClient, users: dict[str, User], big: Workshop, value: str
) -> None:
    log_in(client, users["member"].email)
    response = client.get(f"/workshops/{big.slug}/board?page={value}")
    assert response.status_code == 200
    assert len(cards_on(response.get_data(as_text=True))) in (BOARD_PAGE_SIZE, CARDS % 200)


def test_live_changes_accept_a_huge_after_id(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    log_in(client, users["member"].email)
    url = f"/workshops/{big.slug}/board/changes?after=99999999999999999999"
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == 200


def test_deleted_post_its_come_a_hundred_to_a_page(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    wall = db.session.query(Statement).filter_by(workshop_id=big.id).order_by(Statement.id)
    for n, statement in enumerate(wall.limit(105)):
        statement.deleted_at = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(seconds=n)
    db.session.commit()
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{big.slug}/deleted"
    first = client.get(url).get_data(as_text=True)
    assert first.count("Restore</button>") == 100 and "Older deleted post-its" in first
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert sorted(re.findall(r"“Wall card (\d{3})", second)) == ["000", "001", "002", "003", "004"]
    assert f'name="next" value="{url}?page=2"' in second  # a restore comes back to this page
    for value in ("-1", "abc", "999999999999999999999"):
        assert client.get(f"{url}?page={value}").status_code == 200


def test_a_poll_from_an_old_last_id_gets_the_newest_page_not_the_whole_wall(
    client: FlaskClient, users: dict[str, User], big: Workshop
) -> None:
    log_in(client, users["member"].email)
    url = f"/workshops/{big.slug}/board/changes?after=0"
    data = client.get(url, headers={"Accept": "application/json"}).json
    assert len(data["cards"]) == BOARD_PAGE_SIZE
    assert "Wall card 229 (source)" in data["cards"][-1]["html"]  # oldest first, newest last
    assert data["last_id"] == max(card["id"] for card in data["cards"])
