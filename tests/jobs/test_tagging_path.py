"""One tagging path: a few pasted or uploaded post-its are tagged in the request, many go to a
"retag" job; the command line runs the same job in its own process; phones are limited one by
one, not as one venue address."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.extensions import db
from insights.jobs import Job
from insights.statements.models import Statement
from insights.themes.retag import stale_statement_ids
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link
from tests.factories import csrf_token_from, make_workshop


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A live workshop run by the facilitator, open to phones."""
    workshop = make_workshop(db.session, "Tagging path", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def jobs() -> list[Job]:
    """Every job, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Job).order_by(Job.id)))


def paste(client: FlaskClient, workshop: Workshop, lines: list[str]) -> str:
    """Paste the lines as the facilitator; the page shown afterwards."""
    url = f"/workshops/{workshop.slug}/import/paste"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    exercise = workshop.exercises[0].key
    data = {"csrf_token": token, "exercise": exercise, "text": "\n".join(lines)}
    return client.post(url, data=data, follow_redirects=True).get_data(as_text=True)


def test_a_few_pasted_post_its_are_tagged_in_the_request(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    page = paste(client, workshop, ["Volunteering data by ward", "Grants data for small groups"])
    assert "2 post-its added" in page and "in the background" not in page
    assert jobs() == [] and stale_statement_ids(db.session, workshop.id) == []


def test_many_pasted_post_its_are_tagged_by_a_job(
    app: Flask, client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    app.config["TAG_IN_REQUEST_LIMIT"] = 3
    login("facilitator")
    lines = [f"Volunteering data by ward, note {n}" for n in range(5)]
    page = paste(client, workshop, lines)
    assert "5 post-its added" in page and "themes are being tagged in the background" in page
    [job] = jobs()
    ids = db.session.scalars(sa.select(Statement.id).order_by(Statement.id)).all()
    assert (job.kind, job.workshop_id, job.params) == ("retag", workshop.id, {"statement_ids": ids})
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert stale_statement_ids(db.session, workshop.id) == []


def test_insights_statements_import_tags_through_a_job_run_in_its_own_process(
    runner: FlaskCliRunner, workshop: Workshop, tmp_path: Path
) -> None:
    csv_file = tmp_path / "post-its.csv"
    csv_file.write_text("text,kind\nVolunteering data by ward,need\nGrantNav,source\n")
    result = runner.invoke(
        args=["statements", "import", str(csv_file), "--workshop", workshop.slug]
    )
    assert result.exit_code == 0, result.output
    [job] = jobs()
    assert (job.kind, job.status, job.done, job.title) == (
        "retag",
        "done",
        2,
        "Tag 2 imported post-its",
    )
    assert stale_statement_ids(db.session, workshop.id) == []


def test_insights_nlp_retag_runs_a_job_in_its_own_process(
    runner: FlaskCliRunner, workshop: Workshop
) -> None:
    db.session.add(Statement(workshop_id=workshop.id, kind="need", original_text="x", text="x"))
    db.session.commit()
    result = runner.invoke(args=["nlp", "retag", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    [job] = jobs()
    assert (job.status, job.done, job.attempts) == ("done", 1, 1)


def post_from_phone(client: FlaskClient, workshop: Workshop, text: str) -> int:
    """A phone opens the link's page and posts a post-it; the status of the post."""
    url = f"/p/{workshop.participant_token}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "exercise_id": workshop.exercises[0].id, "text": text}
    return client.post(url, data=data).status_code


def test_phones_behind_one_address_each_have_their_own_limit(
    app: Flask, workshop: Workshop
) -> None:
    app.config["PARTICIPANT_POST_LIMIT"] = "2 per minute"
    statuses = []
    for number in range(2):
        phone = app.test_client()
        with app.app_context():  # each phone's requests get their own `g` (CSRF token, user)
            statuses += [post_from_phone(phone, workshop, f"Phone {number}, {m}") for m in range(3)]
    assert statuses == [302, 302, 429, 302, 302, 429]
