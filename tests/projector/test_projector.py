"""The projector: every exercise at once, newest first, counts, changes to poll, no controls."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.factories import make_statement, make_workshop


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(db.session, "Projected", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def test_every_exercise_shows_with_its_count_and_newest_first(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    make_statement(db.session, workshop, "First need about grants")
    make_statement(db.session, workshop, "Second need about volunteers")
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/present/").get_data(as_text=True)
    for exercise in workshop.exercises:
        assert exercise.title in page
    assert "2 post-its" in page and "0 post-its" in page
    assert page.index("Second need about volunteers") < page.index("First need about grants")
    assert "<form" not in page and "<button" not in page.split('id="projector"', 1)[1]
    assert f"/j/{(workshop.participant_token or '')[:8]}" in page


def test_one_post_it_is_counted_in_the_singular(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    make_statement(db.session, workshop, "Only one")
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/present/").get_data(as_text=True)
    assert re.search(r">1 post-it<", page)


def test_changes_return_only_newer_cards(client: FlaskClient, login, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    old = make_statement(db.session, workshop, "Old card")
    new = make_statement(db.session, workshop, "New card")
    db.session.commit()
    login("facilitator")
    data = client.get(f"/workshops/{workshop.slug}/present/changes?after={old.id}").get_json()
    assert [card["id"] for card in data["cards"]] == [new.id]
    assert "New card" in data["cards"][0]["html"] and data["last_id"] == new.id
    huge = "9" * 40
    assert client.get(f"/workshops/{workshop.slug}/present/changes?after={huge}").status_code == 200


def test_without_an_open_link_the_projector_says_how_to_open_one(
    client: FlaskClient, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    workshop = make_workshop(db.session, "Draft day", users["facilitator"])
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/present/").get_data(as_text=True)
    assert "once the workshop is live and its participant link is open" in page


def test_members_cannot_open_the_projector(client: FlaskClient, login, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    login("member")
    assert client.get(f"/workshops/{workshop.slug}/present/").status_code in (403, 404)


def test_a_huge_wall_projects_its_newest_500_with_the_true_counts(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from insights.statements.models import Statement

    need = next(e for e in workshop.exercises if e.kind == "need")
    rows = [
        {
            "workshop_id": workshop.id,
            "exercise_id": need.id,
            "kind": "need",
            "original_text": f"Projected card {n:04d}",
            "text": f"Projected card {n:04d}",
            "created_at": datetime(2026, 11, 1, tzinfo=UTC),
            "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
        }
        for n in range(1200)
    ]
    db.session.execute(sa.insert(Statement), rows)
    db.session.commit()
    login("facilitator")
    page = client.get(f"/workshops/{workshop.slug}/present/").get_data(as_text=True)
    assert page.count(">Projected card ") == 500
    assert "Projected card 1199" in page and "Projected card 0699" not in page
    assert "1,200 post-its" in page
