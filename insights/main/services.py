"""What each role's first screen shows: the next thing that person does."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import DbSession
from insights.roundups.models import RoundUp
from insights.voting.models import VoteRound
from insights.workshops.models import Workshop
from insights.workshops.services import can_facilitate, visible_workshops_query

HOME_LIMIT = 20


@dataclass
class HomeScreen:
    """The signed-in person's workshops and, by role, what to do next in them."""

    workshops: list[Workshop]
    running: list[Workshop] = field(default_factory=list)
    open_votes: list[tuple[VoteRound, Workshop]] = field(default_factory=list)
    roundups: list[tuple[RoundUp, Workshop]] = field(default_factory=list)


def home_screen(session: DbSession, user: User) -> HomeScreen:
    """The workshops the user may open, the live ones they run, open votes and round-ups."""
    workshops = list(session.scalars(visible_workshops_query(user).limit(HOME_LIMIT)))
    visible = visible_workshops_query(user).with_only_columns(Workshop.id).order_by(None)
    running = [w for w in workshops if w.status == "live" and can_facilitate(session, user, w)]
    open_votes = session.execute(
        sa.select(VoteRound, Workshop)
        .join(Workshop, Workshop.id == VoteRound.workshop_id)
        .where(VoteRound.status == "open", VoteRound.workshop_id.in_(visible))
        .order_by(VoteRound.opened_at.desc())
        .limit(HOME_LIMIT)
    ).all()
    roundups = session.execute(
        sa.select(RoundUp, Workshop)
        .join(Workshop, Workshop.id == RoundUp.workshop_id)
        .where(RoundUp.status == "published", RoundUp.workshop_id.in_(visible))
        .order_by(RoundUp.published_at.desc())
        .limit(HOME_LIMIT)
    ).all()
    votes = [(row[0], row[1]) for row in open_votes]
    return HomeScreen(
        workshops, running, votes, latest_per_workshop([(r[0], r[1]) for r in roundups])
    )


def latest_per_workshop(
    roundups: list[tuple[RoundUp, Workshop]],
) -> list[tuple[RoundUp, Workshop]]:
    """Only the newest published round-up of each workshop (they come newest first)."""
    seen: set[int] = set()
    newest = []
    for roundup, workshop in roundups:
        if workshop.id not in seen:
            seen.add(workshop.id)
            newest.append((roundup, workshop))
    return newest
