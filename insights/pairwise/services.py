"""Pairwise choices: which two next steps to show, recording a pick, and the tally.

As in All Our Ideas, a voter is shown two steps and picks one (or skips); each pick is a win
for one step and a loss for the other. The tally feeds the ranking's Pairwise factor. The
functions take a session and never commit."""

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import live_steps_query
from insights.pairwise.models import PairwiseChoice
from insights.voting.services import Voter
from insights.workshops.models import Workshop

FINISHED = ("done", "parked")


class PairwiseError(ValueError):
    """A choice that is refused, with a message for the voter."""


@dataclass(frozen=True)
class Tally:
    """A step's pairwise record."""

    wins: int = 0
    comparisons: int = 0

    @property
    def losses(self) -> int:
        """Choices the step was in and lost."""
        return self.comparisons - self.wins


def candidates(session: DbSession, workshop: Workshop) -> list[NextStep]:
    """The steps worth choosing between: live, and not done or parked."""
    steps = session.scalars(live_steps_query(workshop)).all()
    return [step for step in steps if step.status not in FINISHED]


def tallies(session: DbSession, step_ids: Iterable[int]) -> dict[int, Tally]:
    """Step id -> its wins and the choices it was in (steps never compared are left out)."""
    ids = list(step_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(PairwiseChoice.winner_id, PairwiseChoice.loser_id).where(
            sa.or_(PairwiseChoice.winner_id.in_(ids), PairwiseChoice.loser_id.in_(ids))
        )
    ).all()
    wins: Counter[int] = Counter(winner for winner, _ in rows)
    seen: Counter[int] = Counter([*(w for w, _ in rows), *(lo for _, lo in rows)])
    return {i: Tally(wins[i], seen[i]) for i in ids if seen[i]}


def judged_pairs(session: DbSession, workshop: Workshop, voter: Voter) -> Counter[frozenset[int]]:
    """How often this voter has already chosen between each pair of steps."""
    rows = session.execute(
        sa.select(PairwiseChoice.winner_id, PairwiseChoice.loser_id).where(
            PairwiseChoice.workshop_id == workshop.id, PairwiseChoice.voter_key == voter.key
        )
    )
    return Counter(frozenset(pair) for pair in rows)


def next_pair(
    session: DbSession, workshop: Workshop, voter: Voter, rng: random.Random | None = None
) -> tuple[NextStep, NextStep] | None:
    """Two steps to choose between: a pair this voter has judged least, among those the
    least compared overall, in random order; None when there are fewer than two steps."""
    steps = candidates(session, workshop)
    if len(steps) < 2:
        return None
    rng = rng or random.SystemRandom()
    judged = judged_pairs(session, workshop, voter)
    seen = tallies(session, [s.id for s in steps])

    def need(pair: tuple[NextStep, NextStep]) -> tuple[int, int, float]:
        """Sort key: unjudged pairs first, then pairs of less compared steps, then chance."""
        ids = frozenset(s.id for s in pair)
        overall = sum(seen.get(i, Tally()).comparisons for i in ids)
        return (judged[ids], overall, rng.random())

    left, right = min(combinations(steps, 2), key=need)
    return (left, right) if rng.random() < 0.5 else (right, left)


def record_choice(
    session: DbSession, workshop: Workshop, winner_id: int, loser_id: int, voter: Voter
) -> PairwiseChoice:
    """Record that the voter picked one step over the other (both live steps of the workshop)."""
    if winner_id == loser_id:
        raise PairwiseError("Pick one of two different next steps.")
    live = {s.id for s in candidates(session, workshop)}
    if winner_id not in live or loser_id not in live:
        raise PairwiseError("That pair is no longer open to choose between; here is another.")
    choice = PairwiseChoice(
        workshop_id=workshop.id,
        winner_id=winner_id,
        loser_id=loser_id,
        voter_key=voter.key,
        voter_user_id=voter.user_id,
    )
    session.add(choice)
    session.flush()
    return choice


def voter_choices(session: DbSession, workshop: Workshop, voter: Voter) -> int:
    """How many choices this voter has made in the workshop."""
    count = session.scalar(
        sa.select(sa.func.count(PairwiseChoice.id)).where(
            PairwiseChoice.workshop_id == workshop.id, PairwiseChoice.voter_key == voter.key
        )
    )
    return int(count or 0)


def turnout(session: DbSession, workshop: Workshop) -> tuple[int, int]:
    """People who have chosen, and choices made, in the workshop."""
    voters, choices = session.execute(
        sa.select(
            sa.func.count(sa.distinct(PairwiseChoice.voter_key)), sa.func.count(PairwiseChoice.id)
        ).where(PairwiseChoice.workshop_id == workshop.id)
    ).one()
    return int(voters or 0), int(choices or 0)
