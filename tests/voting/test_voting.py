"""Dot votes: dots left, one or several dots per item, taking a dot back, closing freezes the
counts, a closed vote refuses dots, and 20 members voting at once lose or double no dot."""

import threading
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.voting.models import Vote, VoteRound
from insights.voting.services import (
    VoteError,
    Voter,
    cast_dot,
    change_dot_in_transaction,
    close_round,
    my_dots,
    open_round,
    results,
    results_visible,
    take_back_dot,
)
from insights.workshops.models import Workshop, WorkshopMember
from tests.factories import make_user
from tests.nextsteps.conftest import add_need, add_step

MEMBERS = 20
DOTS = 3
ATTEMPTS_PER_REQUEST_STREAM = 3  # two streams per member: 6 tries for 3 dots


@pytest.fixture
def vote(workshop: Workshop) -> VoteRound:
    """An open round on two steps, 3 dots each, several allowed on one item, results hidden."""
    steps = [add_step(workshop, "First"), add_step(workshop, "Second")]
    vote_round = open_round(db.session, workshop, title="Which first?", next_steps=steps)
    db.session.commit()
    return vote_round


def test_a_member_sees_dots_left_and_cannot_spend_more_than_they_have(
    vote: VoteRound, users: dict[str, User]
) -> None:
    me = Voter.for_user(users["member"])
    first = vote.items[0].id
    for _ in range(DOTS):
        cast_dot(db.session, vote, first, me)
    assert my_dots(db.session, vote.id, me) == {first: 3}
    with pytest.raises(VoteError, match="all your 3 dots"):
        cast_dot(db.session, vote, vote.items[1].id, me)


def test_one_dot_per_item_when_the_facilitator_says_so(
    workshop: Workshop, users: dict[str, User]
) -> None:
    step = add_step(workshop, "Only")
    vote_round = open_round(
        db.session, workshop, title="V", next_steps=[step], several_dots_per_item=False
    )
    me = Voter.for_user(users["member"])
    cast_dot(db.session, vote_round, vote_round.items[0].id, me)
    with pytest.raises(VoteError, match="at most one"):
        cast_dot(db.session, vote_round, vote_round.items[0].id, me)


def test_taking_a_dot_back_frees_it_and_keeps_dot_numbers_whole(
    vote: VoteRound, users: dict[str, User]
) -> None:
    me = Voter.for_user(users["member"])
    first, second = (i.id for i in vote.items)
    for item in (first, second, second):
        cast_dot(db.session, vote, item, me)
    take_back_dot(db.session, vote, first, me)
    numbers = db.session.scalars(sa.select(Vote.dot_number).where(Vote.voter_key == me.key))
    assert sorted(numbers) == [1, 2]
    assert my_dots(db.session, vote.id, me) == {second: 2}
    cast_dot(db.session, vote, first, me)  # the freed dot can be spent again
    assert my_dots(db.session, vote.id, me) == {first: 1, second: 2}


def test_results_are_hidden_until_close_and_closing_freezes_them(
    vote: VoteRound, users: dict[str, User]
) -> None:
    first = vote.items[0].id
    cast_dot(db.session, vote, first, Voter.for_user(users["member"]))
    assert not results_visible(vote)
    close_round(db.session, vote)
    db.session.commit()
    assert results_visible(vote) and results(db.session, vote)[first] == 1
    db.session.execute(sa.delete(Vote))  # later changes to the votes no longer move the counts
    assert results(db.session, vote)[first] == 1


def test_a_closed_vote_refuses_new_dots_and_taking_dots_back(
    vote: VoteRound, users: dict[str, User]
) -> None:
    me = Voter.for_user(users["member"])
    cast_dot(db.session, vote, vote.items[0].id, me)
    close_round(db.session, vote)
    db.session.commit()
    with pytest.raises(VoteError, match="closed"):
        cast_dot(db.session, vote, vote.items[0].id, me)
    db.session.rollback()
    with pytest.raises(VoteError, match="closed"):
        take_back_dot(db.session, vote, vote.items[0].id, me)
    db.session.rollback()
    with pytest.raises(VoteError, match="already closed"):
        close_round(db.session, vote)


def test_a_ballot_takes_only_live_steps_and_needs_of_the_workshop(
    workshop: Workshop, vote: VoteRound
) -> None:
    need = add_need(workshop, "A need")
    with pytest.raises(VoteError, match="at least one"):
        open_round(db.session, workshop, title="Empty", next_steps=[])
    with pytest.raises(VoteError, match="between 1 and 20"):
        open_round(db.session, workshop, title="V", next_steps=[], needs=[need], dots_per_member=0)
    with_need = open_round(db.session, workshop, title="Needs", next_steps=[], needs=[need])
    assert with_need.items[0].label == "A need"


def test_participants_vote_by_token_apart_from_accounts(
    vote: VoteRound, users: dict[str, User]
) -> None:
    phone, laptop = Voter.for_token("phone-1"), Voter.for_token("laptop-2")
    for voter in (phone, laptop, Voter.for_user(users["member"])):
        for _ in range(DOTS):
            cast_dot(db.session, vote, vote.items[0].id, voter)
    assert results(db.session, vote)[vote.items[0].id] == 9
    stored = db.session.scalars(sa.select(Vote).where(Vote.voter_key == phone.key)).all()
    assert {(v.voter_token, v.voter_user_id) for v in stored} == {("phone-1", None)}


def test_twenty_members_voting_at_once_lose_and_double_no_dot(
    app: Flask, workshop: Workshop, vote: VoteRound
) -> None:
    members = [make_user(db.session, "member") for _ in range(MEMBERS)]
    for member in members:
        db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=member.id))
    db.session.commit()
    items = [i.id for i in vote.items]
    outcomes: list[tuple[int, int, str | None]] = []
    barrier = threading.Barrier(MEMBERS * 2)

    def stream(member_id: int, offset: int) -> None:
        """One of two request streams of a member, each in its own app context and session."""
        with app.app_context():
            voter = Voter(key=f"user:{member_id}", user_id=member_id)
            barrier.wait()
            for n in range(ATTEMPTS_PER_REQUEST_STREAM):
                item = items[(member_id + n + offset) % len(items)]
                problem = change_dot_in_transaction(db.session, cast_dot, vote.id, item, voter)
                outcomes.append((member_id, item, problem))
            db.session.remove()

    threads = [
        threading.Thread(target=stream, args=(m.id, offset)) for m in members for offset in (0, 1)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    accepted = [(m, i) for m, i, problem in outcomes if problem is None]
    refused = [problem for _, _, problem in outcomes if problem is not None]
    db.session.expire_all()
    rows = db.session.execute(sa.select(Vote.voter_key, Vote.item_id, Vote.dot_number)).all()
    print(
        f"\n{len(outcomes)} dot requests from {MEMBERS} members in {elapsed:.2f}s on "
        f"{db.engine.dialect.name}: {len(accepted)} placed, {len(refused)} refused"
    )

    assert len(outcomes) == MEMBERS * 2 * ATTEMPTS_PER_REQUEST_STREAM
    assert len(accepted) == len(rows) == MEMBERS * DOTS  # none lost, none counted twice
    assert set(refused) == {f"You have placed all your {DOTS} dots."}
    for member in members:
        numbers = sorted(n for key, _, n in rows if key == f"user:{member.id}")
        assert numbers == [1, 2, 3]  # nobody exceeds their dots
    assert Counter(i for _, i, _ in rows) == Counter(i for _, i in accepted)

    close_round(db.session, db.session.get(VoteRound, vote.id))
    db.session.commit()
    frozen = {i.id: i.frozen_count for i in db.session.get(VoteRound, vote.id).items}
    assert frozen == dict(Counter(i for _, i in accepted))


def test_the_database_refuses_a_second_dot_with_the_same_number(
    vote: VoteRound, users: dict[str, User]
) -> None:
    from sqlalchemy.exc import IntegrityError

    key = Voter.for_user(users["member"]).key
    item = vote.items[0].id
    db.session.add(Vote(round_id=vote.id, item_id=item, voter_key=key, dot_number=1))
    db.session.flush()
    db.session.add(Vote(round_id=vote.id, item_id=item, voter_key=key, dot_number=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
