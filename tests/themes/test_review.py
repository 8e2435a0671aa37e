"""Reviewing themes: accept, reject or add one on a statement, or one on many from the board."""

import pytest
from flask.testing import FlaskClient

from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, make_statement, make_workshop
from tests.themes.conftest import tags_of, theme


def post(client: FlaskClient, url: str, **data: object):  # type: ignore[no-untyped-def]
    """POST a form the way the page does, CSRF token included."""
    token = csrf_token_from(client.get("/workshops/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def statement_url(workshop: Workshop, statement: Statement) -> str:
    return f"/workshops/{workshop.slug}/statements/{statement.id}"


def test_the_statement_page_shows_each_theme_with_source_strength_and_matched_words(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    html = client.get(statement_url(workshop, tagged[0])).get_data(as_text=True)
    assert "Volunteering and civic participation" in html
    assert "Suggested by the rules: weak evidence: one word matches" in html
    assert "confidence 100%" not in html
    assert "Matched: <mark>volunteering</mark>" in html
    assert ">Accept<" in html and ">Reject<" in html and "Add theme" in html


def test_a_facilitator_accepts_a_suggested_theme(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    facilitator = login("facilitator")
    volunteering = theme("volunteering")
    response = post(client, f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}/accept")
    assert response.status_code == 302
    tag = tags_of(tagged[0])["volunteering"]
    assert (tag.decision, tag.source, tag.decided_by_id) == ("accepted", "rule", facilitator.id)
    assert tag.decided_at is not None


def test_a_rejected_theme_leaves_the_card_but_stays_on_record(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    volunteering = theme("volunteering")
    post(client, f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}/reject")
    assert tags_of(tagged[0])["volunteering"].decision == "rejected"
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    card = board[board.index(f'id="card-{tagged[0].id}"') :].split("</li>\n", 1)[0]
    assert 'data-theme="volunteering"' not in card


def test_adding_a_theme_records_it_as_a_persons_accepted_decision(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    facilitator = login("facilitator")
    crisis = theme("crisis-response")
    post(client, f"{statement_url(workshop, tagged[2])}/themes/add", theme_id=crisis.id)
    tag = tags_of(tagged[2])["crisis-response"]
    assert (tag.source, tag.decision, tag.decided_by_id) == ("person", "accepted", facilitator.id)
    html = client.get(statement_url(workshop, tagged[2])).get_data(as_text=True)
    assert "Added by a person" in html


def test_undo_turns_a_decision_back_into_a_suggestion(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    volunteering = theme("volunteering")
    url = f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}"
    post(client, f"{url}/reject")
    post(client, f"{url}/undo")
    tag = tags_of(tagged[0])["volunteering"]
    assert (tag.decision, tag.decided_by_id) == ("suggested", None)


@pytest.mark.parametrize("role", ["member", "lead"])
def test_members_and_leads_cannot_review_themes(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement], role: str
) -> None:  # type: ignore[no-untyped-def]
    volunteering = theme("volunteering")
    login(role)
    url = f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}/reject"
    assert post(client, url).status_code == 403
    assert tags_of(tagged[0])["volunteering"].decision == "suggested"


def test_bulk_apply_puts_the_theme_on_every_selected_card(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    facilitator = login("facilitator")
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert "Apply theme to selected" in board
    standards = theme("standards-sharing")
    response = post(
        client,
        f"/workshops/{workshop.slug}/themes/bulk",
        selected=[tagged[0].id, tagged[1].id],
        bulk_theme=standards.id,
        bulk_action="accepted",
    )
    assert response.status_code == 302
    for statement in tagged[:2]:
        tag = tags_of(statement)["standards-sharing"]
        assert (tag.decision, tag.source, tag.decided_by_id) == (
            "accepted",
            "person",
            facilitator.id,
        )
    assert "standards-sharing" not in tags_of(tagged[2])


def test_bulk_reject_rejects_the_theme_on_the_selected_cards(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    volunteering = theme("volunteering")
    post(
        client,
        f"/workshops/{workshop.slug}/themes/bulk",
        selected=[tagged[0].id],
        bulk_theme=volunteering.id,
        bulk_action="rejected",
    )
    assert tags_of(tagged[0])["volunteering"].decision == "rejected"


def test_bulk_apply_refuses_cards_of_another_workshop(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement], users
) -> None:  # type: ignore[no-untyped-def]
    other = make_workshop(db.session, "Someone else's", users["facilitator"])
    stranger = make_statement(db.session, other, "Grants data for the borough")
    db.session.commit()
    login("facilitator")
    response = post(
        client,
        f"/workshops/{workshop.slug}/themes/bulk",
        selected=[stranger.id],
        bulk_theme=theme("funding-finance").id,
        bulk_action="accepted",
    )
    assert response.status_code == 404


def json_post(client: FlaskClient, url: str):  # type: ignore[no-untyped-def]
    """POST as the board's script does: CSRF header, JSON wanted."""
    token = csrf_token_from(client.get("/workshops/").get_data(as_text=True))
    return client.post(url, headers={"Accept": "application/json", "X-CSRFToken": token})


def test_the_board_reviews_in_place_and_gets_the_card_back(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    volunteering = theme("volunteering")
    url = f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}"
    rejected = json_post(client, f"{url}/reject").get_json()
    assert rejected["id"] == tagged[0].id and rejected["message"] == "Theme rejected."
    assert 'data-decision="rejected"' in rejected["html"]  # still in view, to undo
    assert "Undo decision on Volunteering" in rejected["html"]
    undone = json_post(client, f"{url}/undo").get_json()
    assert 'data-decision="suggested"' in undone["html"]
    assert tags_of(tagged[0])["volunteering"].decision == "suggested"


def test_accept_all_on_a_card_accepts_every_suggestion_and_nothing_else(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    suggested = [t for t in tags_of(tagged[1]).values() if t.decision == "suggested"]
    assert suggested
    response = json_post(client, f"{statement_url(workshop, tagged[1])}/themes/accept-all")
    count = len(suggested)
    assert response.get_json()["message"] == f"{count} theme{'s' if count > 1 else ''} accepted."
    assert {t.decision for t in tags_of(tagged[1]).values()} == {"accepted"}
    assert {t.decision for t in tags_of(tagged[0]).values()} == {"suggested"}


def test_a_decision_from_the_board_without_scripts_returns_to_the_board(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    volunteering = theme("volunteering")
    url = f"{statement_url(workshop, tagged[0])}/themes/{volunteering.id}/accept"
    board = f"/workshops/{workshop.slug}/board"
    response = post(client, url, next=board)
    assert response.status_code == 302 and response.headers["Location"].endswith(board)
    elsewhere = post(client, url, next="https://example.com/")
    assert "example.com" not in elsewhere.headers["Location"]


def test_the_board_offers_review_buttons_only_to_facilitators(
    client: FlaskClient, login, workshop: Workshop, tagged: list[Statement]
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert "Accept all on this card" in board and 'aria-label="Reject Volunteering' in board
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(board)})
    login("member")
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert "Accept all on this card" not in board and "review-form" not in board
