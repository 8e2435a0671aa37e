"""Random and hostile text thrown at every form: never a server error, never a partial write."""

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop

HOSTILE_TEXT = st.one_of(
    st.text(max_size=2100),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "=cmd|'/c calc'!A1",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\u202e\u200b",
            "😀" * 700,
            "a" * 2001,
            "%s%n{0}",
        ]
    ),
)
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(db.session, "Fuzz", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def signed_in(client: FlaskClient, email: str) -> None:
    """Log in once; later examples of the same test reuse the session."""
    if client.get("/").status_code != 200:
        log_in(client, email)


def statement_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Statement)) or 0


@FUZZ
@given(text=HOSTILE_TEXT, organisation=HOSTILE_TEXT, borough=HOSTILE_TEXT, kind=HOSTILE_TEXT)
def test_capture_never_fails_and_saves_whole_post_its_or_nothing(
    client: FlaskClient,
    users: dict[str, User],
    workshop: Workshop,
    text: str,
    organisation: str,
    borough: str,
    kind: str,
) -> None:
    signed_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/capture"
    before = statement_count()
    response = client.post(
        url,
        headers={"Accept": "application/json"},
        data={
            "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True)),
            "text": text,
            "exercise_id": str(workshop.exercises[0].id),
            "kind": kind[:20],
            "organisation": organisation[:200],
            "borough": borough[:80],
        },
    )
    assert response.status_code in (200, 422), response.status_code
    assert statement_count() == before + (1 if response.status_code == 200 else 0)
    if response.status_code == 422:
        assert response.json["error"]


@FUZZ
@given(text=HOSTILE_TEXT, name=HOSTILE_TEXT, organisation=HOSTILE_TEXT)
def test_participant_link_never_fails(
    app: Flask, client: FlaskClient, workshop: Workshop, text: str, name: str, organisation: str
) -> None:
    app.config["PARTICIPANT_POST_LIMIT"] = "10000 per minute"
    url = f"/p/{workshop.participant_token}"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True)),
            "text": text,
            "exercise_id": str(workshop.exercises[1].id),
            "author_name": name,
            "organisation": organisation,
        },
    )
    assert response.status_code in (200, 302, 413)


@FUZZ
@given(email=HOSTILE_TEXT, password=HOSTILE_TEXT)
def test_login_never_fails(
    client: FlaskClient, users: dict[str, User], email: str, password: str
) -> None:
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code in (200, 302, 429)


@FUZZ
@given(text=HOSTILE_TEXT, version=st.text(max_size=12), role=HOSTILE_TEXT, status=HOSTILE_TEXT)
def test_statement_edit_and_need_forms_never_fail(
    client: FlaskClient,
    users: dict[str, User],
    workshop: Workshop,
    text: str,
    version: str,
    role: str,
    status: str,
) -> None:
    statement = make_statement(db.session, workshop, "A need to edit")
    db.session.commit()
    signed_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/statements/{statement.id}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    edited = client.post(
        f"{url}/edit", data={"csrf_token": token, "text": text, "version": version}
    )
    need = client.post(
        f"{url}/need",
        data={
            "csrf_token": token,
            "role": role,
            "goal": text,
            "status": status,
            "version": version,
        },
    )
    assert edited.status_code in (302, 409, 422)
    assert need.status_code in (302, 409, 422)


@FUZZ
@given(title=HOSTILE_TEXT, date=HOSTILE_TEXT, network=HOSTILE_TEXT)
def test_workshop_form_never_fails(
    client: FlaskClient, users: dict[str, User], title: str, date: str, network: str
) -> None:
    signed_in(client, users["facilitator"].email)
    token = csrf_token_from(client.get("/workshops/new").get_data(as_text=True))
    response = client.post(
        "/workshops/new",
        data={"csrf_token": token, "title": title, "date": date, "host_network": network},
    )
    assert response.status_code in (200, 302)
