"""The participant link: only its own live workshop, only while open, limited in rate and size."""

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link, revoke_participant_link
from tests.factories import csrf_token_from, make_workshop


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(db.session, "Phones", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def post(client: FlaskClient, workshop: Workshop, **fields: object):  # type: ignore[no-untyped-def]
    url = f"/p/{workshop.participant_token}"
    data = {
        "csrf_token": csrf_token_from(client.get(url).get_data(as_text=True)),
        "exercise_id": workshop.exercises[1].id,
        "text": "We look at the London Datastore",
        **fields,
    }
    return client.post(url, data=data)


def stored() -> list[Statement]:
    return list(db.session.scalars(sa.select(Statement)))


def test_anyone_with_the_link_adds_an_anonymous_post_it(
    client: FlaskClient, workshop: Workshop
) -> None:
    response = post(client, workshop, anonymous="y", author_name="Secret Name")
    assert response.status_code == 302
    [statement] = stored()
    assert statement.kind == "source" and statement.source == "participant"
    assert statement.anonymous and statement.author_name == ""


def test_a_named_post_it_keeps_name_and_organisation(
    client: FlaskClient, workshop: Workshop
) -> None:
    post(client, workshop, author_name="Sam", organisation="Ealing CVS")
    [statement] = stored()
    assert not statement.anonymous and statement.author_name == "Sam"
    assert statement.organisation is not None and statement.organisation.name == "Ealing CVS"


def test_a_revoked_link_stops_at_once(client: FlaskClient, workshop: Workshop) -> None:
    token = workshop.participant_token
    revoke_participant_link(workshop)
    db.session.commit()
    assert client.get(f"/p/{token}").status_code == 404
    enable_participant_link(workshop)
    db.session.commit()
    assert workshop.participant_token != token
    assert client.get(f"/p/{token}").status_code == 404


def test_a_closed_or_draft_workshop_says_it_is_not_taking_post_its_now(
    client: FlaskClient, workshop: Workshop
) -> None:
    token = csrf_token_from(client.get(f"/p/{workshop.participant_token}").get_data(as_text=True))
    for status in ("closed", "draft"):
        workshop.status = status
        db.session.commit()
        page = client.get(f"/p/{workshop.participant_token}").get_data(as_text=True)
        assert "This workshop is not taking post-its now" in page
        assert "mistyped" not in page
        sent = client.post(
            f"/p/{workshop.participant_token}",
            data={"csrf_token": token, "exercise_id": workshop.exercises[0].id, "text": "Late"},
        )
        assert "not taking post-its now" in sent.get_data(as_text=True)
    assert stored() == []


def test_a_revoked_link_is_not_found(client: FlaskClient, workshop: Workshop) -> None:
    revoke_participant_link(workshop)
    db.session.commit()
    assert client.get(f"/p/{workshop.participant_token}").status_code == 404


def test_anonymous_hides_the_name_but_keeps_organisation_and_borough(
    client: FlaskClient, workshop: Workshop
) -> None:
    page = client.get(f"/p/{workshop.participant_token}").get_data(as_text=True)
    assert "still shows the organisation and borough" in page
    response = post(
        client,
        workshop,
        anonymous="y",
        author_name="Secret Name",
        organisation="Hackney CVS",
        borough="E09000012",
    )
    assert response.status_code == 302
    (statement,) = stored()
    assert statement.anonymous and statement.author_name == ""
    assert statement.organisation is not None and statement.organisation.name == "Hackney CVS"
    assert statement.borough_code == "E09000012"


def test_a_borough_that_is_not_offered_is_refused(client: FlaskClient, workshop: Workshop) -> None:
    response = post(client, workshop, borough="Atlantis")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert stored() == []


def test_the_phone_form_shows_every_prompt_in_full(client: FlaskClient, workshop: Workshop) -> None:
    page = client.get(f"/p/{workshop.participant_token}").get_data(as_text=True)
    for exercise in workshop.exercises:
        assert exercise.prompt in page


def test_the_short_link_leads_to_the_participant_page(
    client: FlaskClient, workshop: Workshop
) -> None:
    token = workshop.participant_token or ""
    response = client.get(f"/j/{token[:8]}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/p/{token}")
    assert client.get(f"/j/{token[:7]}").status_code == 404
    revoke_participant_link(workshop)
    db.session.commit()
    assert client.get(f"/j/{token[:8]}").status_code == 404


def test_the_link_reaches_only_its_own_workshop(client: FlaskClient, workshop: Workshop) -> None:
    other = make_workshop(db.session, "Other", status="live")
    db.session.commit()
    response = post(client, workshop, exercise_id=other.exercises[0].id)
    assert response.status_code == 200
    assert "no exercise" in response.get_data(as_text=True)
    assert stored() == []


def test_posts_are_rate_limited_per_client(
    app: Flask, client: FlaskClient, workshop: Workshop
) -> None:
    app.config["PARTICIPANT_POST_LIMIT"] = "3 per minute"
    statuses = [post(client, workshop, text=f"post {n}").status_code for n in range(5)]
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3:] == [429, 429]
    assert len(stored()) == 3


def test_oversized_requests_and_texts_are_refused(client: FlaskClient, workshop: Workshop) -> None:
    too_long = post(client, workshop, text="x" * 2001)
    assert too_long.status_code == 200 and "2000" in too_long.get_data(as_text=True)
    huge = post(client, workshop, text="y" * 20_000)
    assert huge.status_code == 413
    assert stored() == []
