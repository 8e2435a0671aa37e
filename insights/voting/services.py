"""Dot votes: open a round, place and take back dots, close and freeze the counts.

Fairness under concurrent requests rests on two things. Each dot first claims the round's row
(an UPDATE, so it locks on PostgreSQL and takes the write lock on SQLite) and re-reads the
round's status and the voter's dots under that lock. And a voter's n-th dot is a row with a
unique (round_id, voter_key, dot_number): if two requests ever did count the same dots, only
one insert could succeed, and the other gets an IntegrityError that its caller retries or
refuses. A dot is never lost or counted twice. Functions take a session and never commit.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from insights.audit.services import record
from insights.auth.models import User
from insights.extensions import DbSession
from insights.nextsteps.models import NextStep
from insights.statements.models import Statement
from insights.timeutil import utcnow
from insights.voting.models import Vote, VoteItem, VoteRound
from insights.workshops.models import Workshop

MAX_DOTS = 20
RETRIES = 5
BUSY = "Many people voted at the same moment and your dot did not go through: please try again."


class VoteError(ValueError):
    """A vote that is refused, with a message for the voter."""


@dataclass(frozen=True)
class Voter:
    """Whoever places dots: an account, or a participant's browser behind the workshop link."""

    key: str
    user_id: int | None = None
    token: str | None = None
    # For participants: a keyed hash of their address, and how many ballots one address may
    # hold in a round (a room behind one NAT), so dropping cookies cannot mint voters freely.
    address: str | None = None
    address_cap: int = 0

    @classmethod
    def for_user(cls, user: User) -> "Voter":
        """A voter with an account."""
        return cls(key=f"user:{user.id}", user_id=user.id)

    @classmethod
    def for_token(cls, token: str, address: str | None = None, address_cap: int = 0) -> "Voter":
        """A participant without an account, known by a device key kept in their browser."""
        return cls(key=f"token:{token}", token=token, address=address, address_cap=address_cap)


def open_round(
    session: DbSession,
    workshop: Workshop,
    *,
    title: str,
    next_steps: list[NextStep],
    needs: list[Statement] | None = None,
    dots_per_member: int = 3,
    several_dots_per_item: bool = True,
    show_results_live: bool = False,
    opened_by: User | None = None,
) -> VoteRound:
    """Open a dot vote on next steps (and, if chosen, needs) of the workshop."""
    needs = needs or []
    if not 1 <= dots_per_member <= MAX_DOTS:
        raise VoteError(f"Give each member between 1 and {MAX_DOTS} dots.")
    if not next_steps and not needs:
        raise VoteError("Choose at least one next step or need to vote on.")
    if any(s.workshop_id != workshop.id or s.deleted_at for s in next_steps) or any(
        n.workshop_id != workshop.id or n.kind != "need" for n in needs
    ):
        raise VoteError("Only live next steps and needs of this workshop can be on the ballot.")
    vote_round = VoteRound(
        workshop_id=workshop.id,
        title=" ".join(title.split())[:200] or "Dot vote",
        dots_per_member=dots_per_member,
        several_dots_per_item=several_dots_per_item,
        show_results_live=show_results_live,
        opened_by_id=opened_by.id if opened_by is not None else None,
    )
    vote_round.items = [VoteItem(next_step=s) for s in next_steps]
    vote_round.items += [VoteItem(statement=n) for n in needs]
    session.add(vote_round)
    session.flush()
    record(
        session,
        "vote.open",
        "vote",
        vote_round.id,
        user_id=opened_by.id if opened_by is not None else None,
        workshop_id=workshop.id,
        after={
            "title": vote_round.title,
            "dots_per_member": dots_per_member,
            "next_steps": [s.id for s in next_steps],
            "needs": [n.id for n in needs],
        },
    )
    return vote_round


def claim_open_round(session: DbSession, round_id: int) -> bool:
    """Lock the round's row for this transaction; False when the round is not open."""
    result = session.execute(
        sa.update(VoteRound)
        .where(VoteRound.id == round_id, VoteRound.status == "open")
        .values(status="open")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def voter_dots(session: DbSession, round_id: int, voter_key: str) -> list[Vote]:
    """The voter's dots in the round, in the order they were placed."""
    return list(
        session.scalars(
            sa.select(Vote)
            .where(Vote.round_id == round_id, Vote.voter_key == voter_key)
            .order_by(Vote.dot_number)
        )
    )


def round_item(vote_round: VoteRound, item_id: int) -> VoteItem:
    """An item of this round's ballot."""
    item = next((i for i in vote_round.items if i.id == item_id), None)
    if item is None:
        raise VoteError("That is not on this ballot.")
    return item


def cast_dot(session: DbSession, vote_round: VoteRound, item_id: int, voter: Voter) -> Vote:
    """Place one dot, if the round is open and the voter has a dot left."""
    item = round_item(vote_round, item_id)
    if not claim_open_round(session, vote_round.id):
        raise VoteError("This vote is closed: it takes no more dots.")
    dots = voter_dots(session, vote_round.id, voter.key)
    if len(dots) >= vote_round.dots_per_member:
        raise VoteError(f"You have placed all your {vote_round.dots_per_member} dots.")
    if not dots:
        check_address_cap(session, vote_round, voter)
    if not vote_round.several_dots_per_item and any(d.item_id == item.id for d in dots):
        raise VoteError("In this vote each item takes at most one of your dots.")
    vote = Vote(
        round_id=vote_round.id,
        item_id=item.id,
        voter_user_id=voter.user_id,
        voter_token=voter.token,
        voter_key=voter.key,
        dot_number=len(dots) + 1,
        address_key=voter.address,
    )
    session.add(vote)
    session.flush()  # a duplicate dot_number raises IntegrityError here
    return vote


def check_address_cap(session: DbSession, vote_round: VoteRound, voter: Voter) -> None:
    """Refuse a new participant ballot once its address holds as many as the cap allows."""
    if voter.address is None or voter.address_cap <= 0:
        return
    ballots = session.scalar(
        sa.select(sa.func.count(sa.distinct(Vote.voter_key))).where(
            Vote.round_id == vote_round.id, Vote.address_key == voter.address
        )
    )
    if (ballots or 0) >= voter.address_cap:
        raise VoteError(
            f"{voter.address_cap} ballots have already been cast from this network in this "
            "vote, the most one network may cast. Ask the facilitator if you need to vote."
        )


def take_back_dot(session: DbSession, vote_round: VoteRound, item_id: int, voter: Voter) -> None:
    """Remove one of the voter's dots from an item while the round is open."""
    item = round_item(vote_round, item_id)
    if not claim_open_round(session, vote_round.id):
        raise VoteError("This vote is closed: its dots can no longer change.")
    dots = voter_dots(session, vote_round.id, voter.key)
    on_item = [d for d in dots if d.item_id == item.id]
    if not on_item:
        raise VoteError("You have no dot on that.")
    # Keep dot numbers 1..n without holes: the last dot moves onto the freed number.
    freed, last = on_item[-1], dots[-1]
    freed.item_id = last.item_id
    session.delete(last)
    session.flush()


def close_round(
    session: DbSession, vote_round: VoteRound, by: User | None = None
) -> dict[int, int]:
    """Close the round and freeze each item's count; returns item id -> dots."""
    if not claim_open_round(session, vote_round.id):
        raise VoteError("This vote is already closed.")
    counts = live_counts(session, vote_round.id)
    for item in vote_round.items:
        item.frozen_count = counts.get(item.id, 0)
    vote_round.status = "closed"
    vote_round.closed_at = utcnow()
    record(
        session,
        "vote.close",
        "vote",
        vote_round.id,
        user_id=by.id if by is not None else None,
        workshop_id=vote_round.workshop_id,
        before={"status": "open"},
        after={"status": "closed", "counts": {str(k): v for k, v in counts.items()}},
    )
    session.flush()
    return {item.id: item.frozen_count or 0 for item in vote_round.items}


def live_counts(session: DbSession, round_id: int) -> dict[int, int]:
    """Item id -> dots placed so far."""
    rows = session.execute(
        sa.select(Vote.item_id, sa.func.count())
        .where(Vote.round_id == round_id)
        .group_by(Vote.item_id)
    )
    return {item_id: count for item_id, count in rows}


def results_visible(vote_round: VoteRound) -> bool:
    """Counts are shown once the round closes, or all along when the facilitator chose so."""
    return not vote_round.is_open or vote_round.show_results_live


def results(session: DbSession, vote_round: VoteRound) -> dict[int, int]:
    """Item id -> dots: frozen once closed, live before."""
    if vote_round.is_open:
        return live_counts(session, vote_round.id)
    return {item.id: item.frozen_count or 0 for item in vote_round.items}


def my_dots(session: DbSession, round_id: int, voter: Voter) -> Counter[int]:
    """Item id -> the voter's dots on it."""
    return Counter(d.item_id for d in voter_dots(session, round_id, voter.key))


def turnout(session: DbSession, round_id: int) -> tuple[int, int]:
    """How many voters have placed dots, and how many dots, so far."""
    voters, dots = session.execute(
        sa.select(sa.func.count(sa.distinct(Vote.voter_key)), sa.func.count()).where(
            Vote.round_id == round_id
        )
    ).one()
    return int(voters), int(dots)


def workshop_rounds(session: DbSession, workshop: Workshop) -> list[VoteRound]:
    """The workshop's vote rounds, open ones first, newest first."""
    return list(
        session.scalars(
            sa.select(VoteRound)
            .where(VoteRound.workshop_id == workshop.id)
            .order_by(VoteRound.status.desc(), VoteRound.id.desc())
        )
    )


def change_dot_in_transaction(
    session: DbSession, action: Callable[..., Any], round_id: int, item_id: int, voter: Voter
) -> str | None:
    """Place (cast_dot) or take back (take_back_dot) a dot as one committed transaction;
    returns None when done, else why not.

    The one function here that commits: a dot is a whole unit of work. An IntegrityError means
    a concurrent request took the same dot number, so the transaction is rolled back and the
    dot re-counted and retried: it is neither lost nor counted twice."""
    for _ in range(RETRIES):
        vote_round = session.get(VoteRound, round_id)
        if vote_round is None:
            return "That vote does not exist."
        try:
            action(session, vote_round, item_id, voter)
            session.commit()
            return None
        except VoteError as error:
            session.rollback()
            return str(error)
        except IntegrityError:
            session.rollback()
    return BUSY
