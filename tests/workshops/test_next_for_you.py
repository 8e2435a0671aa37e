"""The workshop page shows each reader what is theirs: round-up, open votes, next steps; and, for
those who run the next steps, gaps, ranking weights, the matrix and carry-forward."""

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.roundups.services import generate, publish
from insights.voting.services import open_round
from insights.workshops.models import Workshop
from tests.factories import log_in, make_statement, make_workshop


def workshop_with_a_vote_and_a_round_up(users: dict[str, User]) -> Workshop:
    """A closed workshop with a need, a next step, an open vote and a published round-up."""
    workshop = make_workshop(
        db.session, "Follow-up", users["facilitator"], users["lead"], users["member"]
    )
    make_statement(db.session, workshop, "We need ward-level grants data.")
    step = create_next_step(db.session, workshop, NextStepInput(title="Pool grants data"), None)
    open_round(db.session, workshop, title="What first?", next_steps=[step])
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.flush()
    publish(roundup, roundup.version, "members")
    db.session.commit()
    return workshop


def board(client: FlaskClient, workshop: Workshop) -> str:
    response = client.get(f"/workshops/{workshop.slug}/board")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_member_sees_the_published_round_up_open_votes_and_next_steps(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = workshop_with_a_vote_and_a_round_up(users)
    log_in(client, users["member"].email)
    page = board(client, workshop)
    assert "Read the round-up" in page
    assert "Vote: What first?" in page
    assert "Next steps, ranked (1)" in page
    assert "Gaps (" not in page and "Impact and effort matrix" not in page
    assert client.get(f"/workshops/{workshop.slug}/roundup").status_code == 200


def test_a_lead_also_sees_gaps_ranking_and_matrix(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = workshop_with_a_vote_and_a_round_up(users)
    log_in(client, users["lead"].email)
    page = board(client, workshop)
    assert "Read the round-up" in page and "Vote: What first?" in page
    assert "Gaps (1)" in page
    assert "Ranking weights" in page and "Impact and effort matrix" in page


def test_before_publishing_a_member_is_told_there_is_no_round_up_yet(
    client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Draft only", users["facilitator"], users["member"])
    generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    log_in(client, users["member"].email)
    page = board(client, workshop)
    assert "No round-up published yet." in page and "Read the round-up" not in page
