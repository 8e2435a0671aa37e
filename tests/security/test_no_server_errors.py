"""Findings replayed: the exercise-title key loop that never ended; a 400-digit
dots_per_member; an unvalidated participant borough (a foreign-key error, then an error page
that itself failed and went out without CSP); simultaneous saves (StaleDataError) answered
with a 500 instead of the conflict page; 20-digit ids in form fields."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import DictLoader

from insights import create_app
from insights.auth.models import User
from insights.datasets.models import Dataset
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.statements.models import Statement
from insights.workshops.models import Exercise, Participant, Workshop
from tests.conftest import config_for
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


@pytest.fixture
def room(app: Flask, client: FlaskClient, users: dict[str, User]) -> Workshop:
    """A live workshop, its facilitator signed in."""
    workshop = make_workshop(db.session, "Room", users["facilitator"], users["lead"], status="live")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    return workshop


def token(client: FlaskClient) -> str:
    """A CSRF token of the signed-in session."""
    return csrf_token_from(client.get("/").get_data(as_text=True))


def test_exercise_titles_that_collide_get_keys_at_once(client: FlaskClient, room: Workshop) -> None:
    url = f"/workshops/{room.slug}/exercises"
    titles = ["a" * 36 + "-7", "a" * 40, "a" * 40, "a" * 40]
    finished = threading.Event()

    def add_all() -> None:
        for title in titles:
            data = {"csrf_token": token(client), "exercise-title": title, "exercise-prompt": "?"}
            data["exercise-kind"] = "idea"
            client.post(url, data=data)
        finished.set()

    worker = threading.Thread(target=add_all, daemon=True)
    worker.start()
    assert finished.wait(60), "the key-collision loop never ended"
    db.session.expire_all()
    keys = db.session.scalars(sa.select(Exercise.key).where(Exercise.workshop_id == room.id))
    added = [k for k in keys if k.startswith("aaaa")]
    assert len(added) == len(set(added)) == 4 and max(map(len, added)) <= 40


def test_a_400_digit_dot_count_is_a_form_error(
    client: FlaskClient, room: Workshop, users: dict[str, User]
) -> None:
    step = create_next_step(db.session, room, NextStepInput(title="Step"), None)
    db.session.commit()
    client.post("/auth/logout", data={"csrf_token": token(client)})
    log_in(client, users["lead"].email)
    response = client.post(
        f"/workshops/{room.slug}/next-steps/votes/new",
        data={
            "csrf_token": token(client),
            "title": "Vote",
            "next_steps": [str(step.id)],
            "dots_per_member": "9" * 400,
        },
    )
    assert response.status_code == 302
    assert "Between 1 and" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_borough_that_is_not_in_the_database_is_refused(
    client: FlaskClient, room: Workshop
) -> None:
    response = client.post(
        f"/workshops/{room.slug}/participants",
        data={
            "csrf_token": token(client),
            "participant-name": "Ama",
            "participant-organisation": "Hackney CVS",
            "participant-organisation_type": "cvs",
            "participant-borough": "E09999999",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


@pytest.mark.parametrize("field", ["needs", "statements", "themes", "datasets"])
def test_twenty_digit_ids_in_next_step_fields_are_refused_not_crashed(
    client: FlaskClient, room: Workshop, users: dict[str, User], field: str
) -> None:
    client.post("/auth/logout", data={"csrf_token": token(client)})
    log_in(client, users["lead"].email)
    response = client.post(
        f"/workshops/{room.slug}/next-steps/new",
        data={
            "csrf_token": token(client),
            "title": "Huge",
            "status": "proposed",
            "effort": "",
            "impact": "",
            field: ["99999999999999999999", "-3"],
            "owner": "user:99999999999999999999",
        },
    )
    assert response.status_code in (302, 422)


def test_the_error_page_never_fails_and_keeps_its_csp(database_url: str) -> None:
    app = create_app(config_for(database_url))

    @app.route("/_boom")
    def boom() -> str:
        raise RuntimeError("a bug")

    boom.allowed_roles = "public"  # type: ignore[attr-defined]
    # The friendly page itself cannot be drawn (as when its database queries fail).
    app.jinja_env.loader = DictLoader({"errors/error.html": "{{ 1 / 0 }}"})
    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@contextmanager
def someone_saves_at_the_same_moment(model: type) -> Iterator[None]:
    """Between our version check and our UPDATE, another save bumps the row's version (as a
    second editor's request would), so our UPDATE finds no row of the version it read."""
    table = model.__table__  # type: ignore[attr-defined]

    def bump(mapper: object, connection: sa.Connection, target: object) -> None:
        connection.execute(
            sa.update(table)
            .where(table.c.id == target.id)  # type: ignore[attr-defined]
            .values(version=table.c.version + 1)
        )

    sa.event.listen(model, "before_update", bump)
    try:
        yield
    finally:
        sa.event.remove(model, "before_update", bump)


def test_simultaneous_statement_saves_get_the_conflict_page(
    client: FlaskClient, room: Workshop
) -> None:
    statement = make_statement(db.session, room, "The first wording")
    db.session.commit()
    url = f"/workshops/{room.slug}/statements/{statement.id}"
    data = {"csrf_token": token(client), "text": "My wording", "version": str(statement.version)}
    with someone_saves_at_the_same_moment(Statement):
        response = client.post(f"{url}/edit", data=data)
    assert response.status_code == 409
    assert "My wording" in response.get_data(as_text=True)


def test_simultaneous_next_step_saves_get_the_conflict_page(
    client: FlaskClient, room: Workshop, users: dict[str, User]
) -> None:
    step = create_next_step(db.session, room, NextStepInput(title="Step"), None)
    db.session.commit()
    client.post("/auth/logout", data={"csrf_token": token(client)})
    log_in(client, users["lead"].email)
    url = f"/workshops/{room.slug}/next-steps/{step.id}/edit"
    data = {
        "csrf_token": token(client),
        "title": "Mine",
        "status": "proposed",
        "effort": "",
        "impact": "",
        "version": str(step.version),
    }
    with someone_saves_at_the_same_moment(NextStep):
        response = client.post(url, data=data)
    assert response.status_code == 409


def test_simultaneous_dataset_saves_get_the_conflict_page(
    client: FlaskClient, room: Workshop
) -> None:
    dataset = Dataset(title="Register", keywords=[], extra={})
    db.session.add(dataset)
    db.session.commit()
    url = f"/datasets/{dataset.id}/edit"
    data = {
        "csrf_token": token(client),
        "title": "Register of charities",
        "access": "open",
        "granularity": "",
        "holder_organisation_id": "",
        "version": str(dataset.version),
    }
    with someone_saves_at_the_same_moment(Dataset):
        response = client.post(url, data=data)
    assert response.status_code == 409
