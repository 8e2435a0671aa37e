"""Capture mode, the board (filters, search, live changes, constant queries), statement pages."""

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.statements.services import StatementInput, add_statement
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop

JSON = {"Accept": "application/json"}


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(
        db.session, "Board", users["facilitator"], users["member"], status="live"
    )
    db.session.commit()
    return workshop


def token(client: FlaskClient, url: str) -> str:
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_capture_saves_a_post_it_and_returns_its_card_with_themes(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/capture"
    response = client.post(
        url,
        headers=JSON,
        data={
            "csrf_token": token(client, url),
            "text": "We need grants data by borough",
            "exercise_id": workshop.exercises[0].id,
            "kind": "",
            "organisation": "Barnet CVS",
            "borough": "Barnet",
            "author_name": "",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "We need grants data by borough" in response.json["html"]
    assert "Funding, grants and finances" in response.json["html"]
    assert 'title="Matched: grants' in response.json["html"]
    statement = db.session.get(Statement, response.json["id"])
    assert statement is not None and statement.borough_code == "E09000003"


def test_capture_refuses_an_empty_post_it_and_keeps_what_was_typed(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/capture"
    response = client.post(
        url,
        data={
            "csrf_token": token(client, url),
            "text": "Data by borough",
            "exercise_id": workshop.exercises[0].id,
            "borough": "Atlantis",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "&#39;Atlantis&#39; is not a London borough." in page
    assert "Data by borough</textarea>" in page
    json_response = client.post(
        url,
        headers=JSON,
        data={
            "csrf_token": token(client, url),
            "text": "   ",
            "exercise_id": workshop.exercises[0].id,
        },
    )
    assert json_response.status_code == 422
    assert "empty" in json_response.json["error"] or "required" in json_response.json["error"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) == 0


def test_members_see_the_board_but_cannot_capture(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    make_statement(db.session, workshop, "Visible to members")
    db.session.commit()
    log_in(client, users["member"].email)
    assert "Visible to members" in client.get(f"/workshops/{workshop.slug}/board").get_data(
        as_text=True
    )
    assert client.get(f"/workshops/{workshop.slug}/capture").status_code == 403


def test_a_facilitator_of_another_workshop_cannot_capture_here(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    from tests.factories import make_user

    stranger = make_user(db.session, "facilitator")
    db.session.commit()
    log_in(client, stranger.email)
    assert client.get(f"/workshops/{workshop.slug}/capture").status_code == 404


def test_board_filters_by_kind_borough_organisation_and_search(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    for text, kind, borough, organisation in [
        ("Ward-level deprivation data", "need", "Hackney", "Hackney CVS"),
        ("We look at GrantNav", "source", "Barnet", "Barnet CVS"),
        ("No time to analyse data", "challenge", "Barnet", ""),
    ]:
        add_statement(
            db.session,
            workshop,
            StatementInput(text=text, kind=kind, borough=borough, organisation=organisation),
            None,
        )
    db.session.commit()
    log_in(client, users["member"].email)
    board = f"/workshops/{workshop.slug}/board"

    def shown(query: str) -> set[str]:
        page = client.get(f"{board}?{query}").get_data(as_text=True)
        return {t for t in ("Ward-level", "GrantNav", "No time") if t in page}

    assert shown("kind=source") == {"GrantNav"}
    assert shown("borough=E09000003") == {"GrantNav", "No time"}
    assert shown("q=analyse+DATA") == {"No time"}
    assert shown("q=100%25") == set()
    org_id = db.session.scalar(sa.text("SELECT id FROM organisations WHERE name='Hackney CVS'"))
    assert shown(f"organisation={org_id}") == {"Ward-level"}


def test_board_filters_by_theme(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    from insights.themes.services import tag_statements

    statements = [
        make_statement(db.session, workshop, text)
        for text in ("Volunteer numbers by borough", "Grant funding for small groups")
    ]
    tag_statements(db.session, statements)
    db.session.commit()
    log_in(client, users["member"].email)
    page = client.get(f"/workshops/{workshop.slug}/board?theme=volunteering").get_data(as_text=True)
    assert "Volunteer numbers" in page and "Grant funding" not in page


def test_board_changes_returns_only_new_cards(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    first = make_statement(db.session, workshop, "Already on the board")
    second = make_statement(db.session, workshop, "Just arrived")
    db.session.commit()
    log_in(client, users["member"].email)
    data = client.get(f"/workshops/{workshop.slug}/board/changes?after={first.id}").json
    assert [card["id"] for card in data["cards"]] == [second.id]
    assert data["last_id"] == second.id
    assert "Just arrived" in data["cards"][0]["html"]


def count_queries(app: Flask, url: str, client: FlaskClient) -> int:
    statements: list[str] = []

    def remember(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    return len(statements)


def test_board_query_count_does_not_grow_with_the_number_of_statements(
    app: Flask, client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    from insights.themes.services import tag_statements

    log_in(client, users["member"].email)
    url = f"/workshops/{workshop.slug}/board"
    batch = [make_statement(db.session, workshop, f"Borough grants data {n}") for n in range(5)]
    tag_statements(db.session, batch)
    db.session.commit()
    small = count_queries(app, url, client)
    more = [
        make_statement(db.session, workshop, f"Volunteering in wards {n}", kind=kind)
        for n in range(60)
        for kind in ("need", "source")
    ]
    tag_statements(db.session, more)
    db.session.commit()
    assert count_queries(app, url, client) == small


def test_a_stale_edit_shows_both_versions_and_changes_nothing(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    statement = make_statement(db.session, workshop, "Original words")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/statements/{statement.id}"
    csrf = token(client, url)
    stale_version = statement.version
    assert (
        client.post(
            f"{url}/edit",
            data={"csrf_token": csrf, "text": "Colleague's words", "version": stale_version},
        ).status_code
        == 302
    )
    response = client.post(
        f"{url}/edit", data={"csrf_token": csrf, "text": "My words", "version": stale_version}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this post-it first" in page
    assert "Colleague&#39;s words" in page and "My words" in page
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).text == "Colleague's words"  # type: ignore[union-attr]


def test_need_form_saves_and_detects_a_stale_version(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    statement = make_statement(db.session, workshop, "We need borough volunteering data")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/statements/{statement.id}"
    csrf = token(client, url)
    form = {
        "csrf_token": csrf,
        "role": "CVS director",
        "goal": "borough volunteering data",
        "benefit": "compare with neighbours",
        "met_when": "Published yearly",
        "status": "valid",
        "status_reason": "",
        "version": "1",
    }
    assert client.post(f"{url}/need", data=form).status_code == 302
    db.session.expire_all()
    need = db.session.get(Statement, statement.id).need  # type: ignore[union-attr]
    assert (need.role, need.status, need.drafted_by) == ("CVS director", "valid", "person")
    stale = client.post(f"{url}/need", data={**form, "goal": "late change"})
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(Statement, statement.id).need.goal == "borough volunteering data"  # type: ignore[union-attr]


def test_not_valid_needs_require_a_reason(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    statement = make_statement(db.session, workshop, "We need everything")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/statements/{statement.id}"
    response = client.post(
        f"{url}/need",
        data={
            "csrf_token": token(client, url),
            "status": "not-valid",
            "status_reason": "",
            "version": "1",
        },
    )
    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)


def test_merging_selected_cards_from_the_board(
    client: FlaskClient, users: dict[str, User], workshop: Workshop
) -> None:
    keep = make_statement(db.session, workshop, "Survey fatigue")
    twin = make_statement(db.session, workshop, "Too many surveys")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    board = f"/workshops/{workshop.slug}/board"
    response = client.post(
        f"/workshops/{workshop.slug}/statements/merge",
        data={"csrf_token": token(client, board), "keep": "", "selected": [keep.id, twin.id]},
    )
    assert response.status_code == 302
    page = client.get(board).get_data(as_text=True)
    assert "Survey fatigue" in page and "Too many surveys" not in page
    evidence = client.get(f"/workshops/{workshop.slug}/statements/{keep.id}").get_data(as_text=True)
    assert "Too many surveys" in evidence


def test_the_demo_board_renders_with_every_exercise(
    client: FlaskClient, users: dict[str, User]
) -> None:
    from insights.demo.services import demo_data, load_demo

    load_demo(db.session)
    db.session.commit()
    log_in(
        client,
        "facilitator@example.org",
        __import__("insights.demo.services").demo.services.demo_password(),
    )
    page = client.get(f"/workshops/{demo_data()['workshop']['slug']}/board").get_data(as_text=True)
    for exercise in demo_data()["exercises"]:
        assert exercise["prompt"] in page
