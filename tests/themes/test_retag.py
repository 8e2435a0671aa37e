"""Re-tagging: people's decisions survive, unchanged statements are skipped, and the board's
button runs the work in the background with progress anyone can read."""

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.extensions import db
from insights.jobs import latest_job
from insights.statements.models import Statement
from insights.themes.retag import stale_statement_ids
from insights.themes.review import decide_theme
from insights.themes.taxonomy import update_theme
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, make_statement, make_workshop
from tests.themes.conftest import tags_of, theme


def test_a_rejected_theme_stays_rejected_after_insights_nlp_retag(
    runner: FlaskCliRunner, tagged: list[Statement], users: dict[str, User]
) -> None:
    decide_theme(db.session, tagged[0], theme("volunteering"), "rejected", users["facilitator"])
    db.session.commit()
    result = runner.invoke(args=["nlp", "retag", "--force"])
    assert result.exit_code == 0, result.output
    assert "Re-tagged 3 statement(s)" in result.output
    tag = tags_of(tagged[0])["volunteering"]
    assert (tag.decision, tag.decided_by_id) == ("rejected", users["facilitator"].id)


def test_an_accepted_theme_survives_a_retag_after_its_words_are_gone(
    runner: FlaskCliRunner, tagged: list[Statement], users: dict[str, User]
) -> None:
    decide_theme(db.session, tagged[0], theme("volunteering"), "accepted", users["facilitator"])
    tagged[0].text = "We need ward-level data to plan recruitment"
    db.session.commit()
    runner.invoke(args=["nlp", "retag"])
    assert tags_of(tagged[0])["volunteering"].decision == "accepted"


def test_a_suggestion_whose_words_are_gone_is_dropped_by_a_retag(
    runner: FlaskCliRunner, tagged: list[Statement]
) -> None:
    tagged[0].text = "We need ward-level data to plan recruitment"
    db.session.commit()
    runner.invoke(args=["nlp", "retag"])
    assert "volunteering" not in tags_of(tagged[0])


def test_a_second_retag_with_nothing_changed_skips_every_statement(
    runner: FlaskCliRunner, workshop: Workshop
) -> None:
    for number in range(5):
        make_statement(db.session, workshop, f"Volunteering data for ward {number}")
    db.session.commit()
    first = runner.invoke(args=["nlp", "retag"])
    assert "Re-tagged 5 statement(s)" in first.output
    second = runner.invoke(args=["nlp", "retag"])
    assert second.exit_code == 0
    assert "nothing to re-tag" in second.output


def test_changing_the_taxonomy_makes_every_statement_stale_again(
    tagged: list[Statement],
) -> None:
    assert stale_statement_ids(db.session) == []
    volunteering = theme("volunteering")
    update_theme(
        db.session,
        volunteering,
        name="Volunteering",
        description=volunteering.description,
        parent_id=None,
        patterns_text="volunteer\nvolunteering",
    )
    db.session.commit()
    assert stale_statement_ids(db.session) == [s.id for s in tagged]


def test_retag_of_one_workshop_leaves_the_others_alone(
    runner: FlaskCliRunner, workshop: Workshop, users: dict[str, User]
) -> None:
    other = make_workshop(db.session, "Another workshop")
    mine = make_statement(db.session, workshop, "Grants data by borough")
    theirs = make_statement(db.session, other, "Grants data by borough")
    db.session.commit()
    result = runner.invoke(args=["nlp", "retag", "--workshop", workshop.slug])
    assert "Re-tagged 1 statement(s)" in result.output
    db.session.expire_all()
    assert mine.nlp_key and theirs.nlp_key is None


def test_retag_of_an_unknown_workshop_says_so(runner: FlaskCliRunner, app) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["nlp", "retag", "--workshop", "no-such-workshop"])
    assert result.exit_code != 0
    assert "No workshop with the slug 'no-such-workshop'" in result.output


def test_the_retag_button_runs_in_the_background_and_shows_progress(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    for number in range(12):
        make_statement(db.session, workshop, f"Funding for community groups, idea {number}")
    db.session.commit()
    login("facilitator")
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert "Re-tag all" in board
    response = client.post(
        f"/workshops/{workshop.slug}/themes/retag", data={"csrf_token": csrf_token_from(board)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    job = latest_job(db.session, "retag", workshop.id)
    assert job is not None and (job.status, job.total, job.done) == ("done", 12, 12)
    progress = client.get(
        f"/workshops/{workshop.slug}/themes/retag", headers={"Accept": "application/json"}
    ).get_json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 12, 12)
    assert progress["percent"] == 100 and progress["attempts"] == 1
    page = client.get(f"/workshops/{workshop.slug}/themes/retag").get_data(as_text=True)
    assert "Done: 12 of 12." in page and 'src="/static/jobs/progress.js"' in page
    statement = db.session.scalars(sa.select(Statement)).first()
    assert statement is not None and "funding-finance" in tags_of(statement)
