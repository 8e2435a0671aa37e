"""Pairwise choices: the pairs shown, picks recorded and refused, and the ranking's Pairwise
factor moved by them."""

import random

import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.factors import ranked_steps
from insights.nextsteps.ranking import win_share
from insights.pairwise.models import PairwiseChoice
from insights.pairwise.services import (
    PairwiseError,
    next_pair,
    record_choice,
    tallies,
)
from insights.voting.services import Voter
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, make_workshop
from tests.nextsteps.conftest import add_step


def url(workshop: Workshop, tail: str = "") -> str:
    return f"/workshops/{workshop.slug}/next-steps/pairwise/{tail}"


def test_the_win_share_starts_even_and_moves_with_each_win_and_loss() -> None:
    assert win_share(0, 0) == 0.5
    assert win_share(1, 1) > win_share(0, 0) > win_share(0, 1)
    assert win_share(9, 10) > win_share(3, 4) > 0.5
    assert 0 < win_share(0, 50) < win_share(0, 5) < 0.5


def test_a_voter_sees_the_pairs_they_have_not_judged_first(
    workshop: Workshop, users: dict[str, User]
) -> None:
    a, b, c = (add_step(workshop, title) for title in ("A", "B", "C"))
    voter = Voter.for_user(users["member"])
    rng = random.Random(4)
    seen = set()
    for _ in range(3):
        pair = next_pair(db.session, workshop, voter, rng)
        assert pair is not None
        seen.add(frozenset(s.id for s in pair))
        record_choice(db.session, workshop, pair[0].id, pair[1].id, voter)
    db.session.commit()
    assert seen == {frozenset({a.id, b.id}), frozenset({a.id, c.id}), frozenset({b.id, c.id})}


def test_done_and_parked_steps_are_not_offered_and_one_step_makes_no_pair(
    workshop: Workshop, users: dict[str, User]
) -> None:
    live = add_step(workshop, "Live")
    done = add_step(workshop, "Done", status="done")
    voter = Voter.for_user(users["member"])
    assert next_pair(db.session, workshop, voter) is None
    try:
        record_choice(db.session, workshop, live.id, done.id, voter)
    except PairwiseError as error:
        assert "no longer open" in str(error)
    else:
        raise AssertionError("a pick against a finished step was recorded")


def test_a_step_of_another_workshop_cannot_be_picked(
    workshop: Workshop, users: dict[str, User]
) -> None:
    mine = add_step(workshop, "Mine")
    other = make_workshop(db.session, "Elsewhere", users["lead"])
    db.session.commit()
    theirs = add_step(other, "Theirs")
    voter = Voter.for_user(users["lead"])
    for winner, loser in ((mine.id, theirs.id), (mine.id, mine.id)):
        try:
            record_choice(db.session, workshop, winner, loser, voter)
        except PairwiseError:
            continue
        raise AssertionError("a pick outside the workshop was recorded")
    assert db.session.scalar(sa.select(sa.func.count(PairwiseChoice.id))) == 0


def test_wins_lift_a_step_in_the_ranking_and_the_factor_shows_the_record(
    workshop: Workshop, users: dict[str, User]
) -> None:
    favourite = add_step(workshop, "Zebra crossing data")  # last by title: ties sort it last
    other = add_step(workshop, "Address register")
    before = [row.step.id for row in ranked_steps(db.session, workshop)]
    assert before == [other.id, favourite.id]
    for role in ("member", "lead", "facilitator"):
        record_choice(db.session, workshop, favourite.id, other.id, Voter.for_user(users[role]))
    db.session.commit()
    ranking = ranked_steps(db.session, workshop)
    assert [row.step.id for row in ranking] == [favourite.id, other.id]
    part = {p.name: p for p in ranking[0].score.parts}["pairwise"]
    assert part.value == "3 of 3" and part.share == win_share(3, 3)
    assert tallies(db.session, [other.id])[other.id].losses == 3


def test_a_member_picks_through_the_page_and_the_standings_show_it(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    first, second = add_step(workshop, "First <step>"), add_step(workshop, "Second step")
    login("member")
    page = client.get(url(workshop)).get_data(as_text=True)
    assert "This one first" in page and "First &lt;step&gt;" in page and "Second step" in page
    token = csrf_token_from(page)
    response = client.post(
        url(workshop, "choose"),
        data={"csrf_token": token, "winner": str(second.id), "loser": str(first.id)},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You have made 1 pick." in page
    choice = db.session.scalar(sa.select(PairwiseChoice))
    assert (choice.winner_id, choice.loser_id) == (second.id, first.id)
    ranking = client.get(f"/workshops/{workshop.slug}/next-steps/").get_data(as_text=True)
    assert "1 of 1" in ranking and "Pairwise" in ranking


def test_bad_picks_are_refused_without_a_server_error(
    client: FlaskClient,
    login,
    workshop: Workshop,  # type: ignore[no-untyped-def]
) -> None:
    step = add_step(workshop, "Only")
    add_step(workshop, "Other")
    login("member")
    token = csrf_token_from(client.get(url(workshop)).get_data(as_text=True))
    for winner, loser in (("x", "1"), ("99999999999", "1"), (str(step.id), str(step.id))):
        response = client.post(
            url(workshop, "choose"), data={"csrf_token": token, "winner": winner, "loser": loser}
        )
        assert response.status_code in (302, 400)
    assert (
        client.post(url(workshop, "choose"), data={"winner": "1", "loser": "2"}).status_code == 400
    )
    assert db.session.scalar(sa.select(sa.func.count(PairwiseChoice.id))) == 0


def test_a_participant_picks_from_the_workshop_link_without_an_account(
    client: FlaskClient, workshop: Workshop
) -> None:
    from insights.workshops.services import enable_participant_link

    token = enable_participant_link(workshop)
    first, second = add_step(workshop, "First step"), add_step(workshop, "Second step")
    db.session.commit()
    listing = client.get(f"/p/{token}/votes/").get_data(as_text=True)
    assert f"/p/{token}/pairwise/" in listing  # reached by a link from the votes page
    page = client.get(f"/p/{token}/pairwise/").get_data(as_text=True)
    assert "This one first" in page and "/next-steps/" not in page  # no member pages linked
    data = {"csrf_token": csrf_token_from(page), "winner": str(first.id), "loser": str(second.id)}
    for _ in range(2):
        assert client.post(f"/p/{token}/pairwise/", data=data).status_code == 302
    keys = db.session.scalars(sa.select(PairwiseChoice.voter_key)).all()
    assert len(keys) == 2 and len(set(keys)) == 1 and keys[0].startswith("token:")
    assert "You have made 2 picks." in client.get(f"/p/{token}/pairwise/").get_data(as_text=True)
    assert client.get("/p/not-a-link/pairwise/").status_code == 404
