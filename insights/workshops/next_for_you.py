"""What each reader of a workshop can do next, so every role reaches what is theirs by clicking."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import DbSession
from insights.graph.analyses import find_gaps
from insights.graph.snapshot import load_graph_data
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import can_manage
from insights.roundups.models import RoundUp
from insights.roundups.services import latest
from insights.voting.models import VoteRound
from insights.workshops.models import Workshop


@dataclass
class NextForYou:
    """A workshop's reader view: the published round-up, open votes, next steps; for those who
    run the workshop's next steps, also the gaps, the ranking, the matrix and data requests."""

    roundup: RoundUp | None
    open_votes: list[VoteRound] = field(default_factory=list)
    next_steps: int = 0
    manages: bool = False
    gaps: int = 0


def next_for_you(session: DbSession, user: User, workshop: Workshop) -> NextForYou:
    """What this person can open next in this workshop."""
    manages = can_manage(session, user, workshop)
    steps = session.scalar(
        sa.select(sa.func.count())
        .select_from(NextStep)
        .where(NextStep.workshop_id == workshop.id, NextStep.deleted_at.is_(None))
    )
    votes = session.scalars(
        sa.select(VoteRound)
        .where(VoteRound.workshop_id == workshop.id, VoteRound.status == "open")
        .order_by(VoteRound.id.desc())
    ).all()
    gaps = len(find_gaps(load_graph_data(session, [workshop.id]))) if manages else 0
    return NextForYou(
        roundup=latest(session, workshop, published_only=True),
        open_votes=list(votes),
        next_steps=steps or 0,
        manages=manages,
        gaps=gaps,
    )
