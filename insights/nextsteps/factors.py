"""Gathering each next step's ranking factors from the database, and the ranked list."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from insights.audit.services import changed, record
from insights.auth.models import User
from insights.extensions import DbSession
from insights.nextsteps.models import NextStep, PriorityWeights, next_step_statements
from insights.nextsteps.ranking import DEFAULT_WEIGHTS, Factors, Score, check_weights, score
from insights.nextsteps.services import gap_filter, live_steps_query
from insights.organisations.models import Organisation
from insights.pairwise.services import Tally, tallies
from insights.participate.services import plus_one_counts
from insights.statements.models import Statement
from insights.voting.models import VoteItem, VoteRound
from insights.workshops.models import Workshop

QUICK_WIN_IMPACT = 4  # impact 4 or 5 ...
QUICK_WIN_EFFORT = "S"  # ... for a small effort
FINISHED = ("done", "parked")


@dataclass(frozen=True)
class RankedStep:
    """A next step in the ranking: its place, its factors and its score."""

    rank: int
    step: NextStep
    factors: Factors
    score: Score

    @property
    def quick_win(self) -> bool:
        """High impact for a small effort, and still to do."""
        step = self.step
        return (
            (step.impact or 0) >= QUICK_WIN_IMPACT
            and step.effort == QUICK_WIN_EFFORT
            and step.status not in FINISHED
        )


def workshop_weights(session: DbSession, workshop: Workshop) -> dict[str, int]:
    """The workshop's weights, with defaults for any factor never set."""
    row = session.get(PriorityWeights, workshop.id)
    return {**DEFAULT_WEIGHTS, **(row.weights if row is not None else {})}


def set_weights(
    session: DbSession, workshop: Workshop, raw: Mapping[str, object], user: User | None
) -> dict[str, int]:
    """Check and store the workshop's weights (WeightError when out of range)."""
    weights = check_weights(raw)
    before = workshop_weights(session, workshop)
    row = session.get(PriorityWeights, workshop.id)
    if row is None:
        row = PriorityWeights(workshop_id=workshop.id)
        session.add(row)
    old, new = changed(before, weights)
    record(
        session,
        "weights.set",
        "weights",
        workshop.id,
        user_id=user.id if user is not None else None,
        workshop_id=workshop.id,
        before=old,
        after=new,
    )
    row.weights = weights
    row.updated_by_id = user.id if user is not None else None
    return weights


def latest_votes(session: DbSession, step_ids: list[int]) -> dict[int, int]:
    """Step id -> dots in the latest closed round that had the step on its ballot."""
    rows = session.execute(
        sa.select(VoteItem.next_step_id, VoteItem.frozen_count)
        .join(VoteRound, VoteItem.round_id == VoteRound.id)
        .where(VoteRound.status == "closed", VoteItem.next_step_id.in_(step_ids))
        .order_by(VoteRound.closed_at, VoteRound.id)
    )
    # Later rounds overwrite earlier ones.
    return {step_id: count or 0 for step_id, count in rows if step_id is not None}


def linked_needs(session: DbSession, step_ids: list[int]) -> dict[int, list[int]]:
    """Step id -> ids of the live needs it addresses."""
    rows = session.execute(
        sa.select(next_step_statements.c.next_step_id, Statement.id)
        .join(Statement, Statement.id == next_step_statements.c.statement_id)
        .where(next_step_statements.c.next_step_id.in_(step_ids))
        .where(Statement.kind == "need", Statement.deleted_at.is_(None))
    )
    needs: dict[int, list[int]] = defaultdict(list)
    for step_id, need_id in rows:
        needs[step_id].append(need_id)
    return needs


def voices(session: DbSession, need_ids: set[int]) -> dict[int, tuple[set[int], set[str]]]:
    """Need id -> the organisations and boroughs behind it, merged duplicates included."""
    if not need_ids:
        return {}
    owner = sa.func.coalesce(Statement.merged_into_id, Statement.id)
    rows = session.execute(
        sa.select(
            owner,
            Statement.organisation_id,
            sa.func.coalesce(Statement.borough_code, Organisation.borough_code),
        )
        .outerjoin(Organisation, Statement.organisation_id == Organisation.id)
        .where(sa.or_(Statement.id.in_(need_ids), Statement.merged_into_id.in_(need_ids)))
    )
    found: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for need_id, organisation_id, borough in rows:
        organisations, boroughs = found[need_id]
        organisations.update([organisation_id] if organisation_id else [])
        boroughs.update([borough] if borough else [])
    return found


def plus_ones_behind(session: DbSession, steps: list[NextStep]) -> dict[int, int]:
    """Step id -> participants' +1s on the post-its it addresses or was made from."""
    linked = session.execute(
        sa.select(next_step_statements.c.next_step_id, next_step_statements.c.statement_id).where(
            next_step_statements.c.next_step_id.in_([s.id for s in steps])
        )
    ).all()
    statements: dict[int, set[int]] = defaultdict(set)
    for step_id, statement_id in linked:
        statements[step_id].add(statement_id)
    for step in steps:
        if step.source_statement_id:
            statements[step.id].add(step.source_statement_id)
    counts = plus_one_counts(session, {i for ids in statements.values() for i in ids})
    return {step_id: sum(counts.get(i, 0) for i in ids) for step_id, ids in statements.items()}


def step_factors(session: DbSession, steps: Iterable[NextStep]) -> dict[int, Factors]:
    """Step id -> its factors, gathered in a handful of queries for the whole list."""
    steps = list(steps)
    ids = [s.id for s in steps]
    votes = latest_votes(session, ids)
    needs = linked_needs(session, ids)
    all_needs = {n for ns in needs.values() for n in ns}
    gaps = gap_filter(session, sorted(all_needs))
    behind = voices(session, all_needs)
    pairwise = tallies(session, ids)
    plus_ones = plus_ones_behind(session, steps)
    factors = {}
    for step in steps:
        own = needs.get(step.id, [])
        organisations = set().union(*(behind[n][0] for n in own if n in behind))
        boroughs = set().union(*(behind[n][1] for n in own if n in behind))
        factors[step.id] = Factors(
            votes=votes.get(step.id, 0),
            needs=len(own),
            unmet_needs=len([n for n in own if n in gaps]),
            organisations=len(organisations),
            boroughs=len(boroughs),
            impact=step.impact,
            effort=step.effort,
            pairwise_wins=pairwise.get(step.id, Tally()).wins,
            pairwise_comparisons=pairwise.get(step.id, Tally()).comparisons,
            plus_ones=plus_ones.get(step.id, 0),
        )
    return factors


def ranked_steps(
    session: DbSession, workshop: Workshop, weights: Mapping[str, int] | None = None
) -> list[RankedStep]:
    """The workshop's live next steps, best score first (ties: more votes, then title)."""
    weights = weights or workshop_weights(session, workshop)
    steps = session.scalars(live_steps_query(workshop)).all()
    factors = step_factors(session, steps)
    scored = [(step, factors[step.id], score(factors[step.id], weights)) for step in steps]
    scored.sort(key=lambda row: (-round(row[2].total, 6), -row[1].votes, row[0].title.lower()))
    return [RankedStep(i, step, f, s) for i, (step, f, s) in enumerate(scored, start=1)]


def quick_wins(ranking: list[RankedStep]) -> list[RankedStep]:
    """Small steps, tangible outcomes: high impact, small effort, not yet done or parked."""
    return [row for row in ranking if row.quick_win]
