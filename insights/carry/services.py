"""Carrying undiscussed post-its and next steps to the next workshop, by moving or copying
them. Each carried item keeps a record of where it came from; carrying it again to the same
workshop changes nothing, so nothing is lost or doubled."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from insights.audit.services import record
from insights.auth.models import User
from insights.carry.models import CarriedItem
from insights.core.enums import CarryMode, StatementSource
from insights.core.ids import valid_id
from insights.datasets.models import NeedDatasetLink
from insights.extensions import DbSession
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import can_manage, carry_forward
from insights.statements.models import NeedDetail, Statement
from insights.themes.models import StatementTheme
from insights.workshops.models import Workshop
from insights.workshops.services import visible_workshops_query

STATEMENT = "statement"
NEXT_STEP = "next-step"
# What a copy takes from its original besides the workshop (and exercise) it goes to.
STATEMENT_FIELDS = (
    "kind",
    "original_text",
    "text",
    "author_name",
    "participant_id",
    "organisation_id",
    "borough_code",
    "anonymous",
    "said_on",
    "mentions",
)
NEED_FIELDS = ("role", "goal", "benefit", "met_when", "status", "status_reason", "drafted_by")
TAG_FIELDS = ("theme_id", "source", "confidence", "evidence", "decision", "decided_by_id")
LINK_FIELDS = ("dataset_id", "status", "coverage", "score", "reasons", "decided_by_id")
STEP_FIELDS = (
    "title",
    "description",
    "owner_user_id",
    "owner_organisation_id",
    "due_date",
    "effort",
    "impact",
    "notes",
    "source_statement_id",
    "origin",
)


class CarryError(ValueError):
    """Carrying that cannot be done, with the reason."""


@dataclass
class CarryResult:
    """What one carry did: the records of items carried, and how many were already there."""

    carried: list[CarriedItem] = field(default_factory=list)
    already: int = 0


def carry_targets(session: DbSession, user: User, workshop: Workshop) -> list[Workshop]:
    """Workshops this person may carry items into: those whose next steps they run."""
    found = session.scalars(visible_workshops_query(user).where(Workshop.id != workshop.id))
    return [w for w in found if can_manage(session, user, w)]


def carry_items(
    session: DbSession,
    source: Workshop,
    target: Workshop,
    *,
    statement_ids: Sequence[int],
    next_step_ids: Sequence[int],
    mode: str,
    user: User | None,
) -> CarryResult:
    """Move or copy the chosen undiscussed items of `source` into `target`."""
    if mode not in set(CarryMode):
        raise CarryError("Choose whether to move or copy the items.")
    if source.id == target.id:
        raise CarryError("Choose another workshop to carry the items to.")
    statement_ids = [int(i) for i in statement_ids if valid_id(i)]
    next_step_ids = [int(i) for i in next_step_ids if valid_id(i)]
    steps, statements = carry_forward(session, source)
    chosen_statements = [s for s in statements if s.id in set(statement_ids)]
    chosen_steps = [s for s in steps if s.id in set(next_step_ids)]
    result = CarryResult(already=_gone(session, source, target, statement_ids, next_step_ids))
    if not chosen_statements and not chosen_steps and not result.already:
        raise CarryError("Choose at least one post-it or next step to carry.")
    for statement in chosen_statements:
        _carry_one(session, result, source, target, mode, user, statement)
    for step in chosen_steps:
        _carry_one(session, result, source, target, mode, user, step)
    session.flush()
    return result


def _carry_one(
    session: DbSession,
    result: CarryResult,
    source: Workshop,
    target: Workshop,
    mode: str,
    user: User | None,
    item: Statement | NextStep,
) -> None:
    """Carry one item unless it already went to this workshop; record where it went."""
    item_type = STATEMENT if isinstance(item, Statement) else NEXT_STEP
    if already_carried(session, item_type, item.id, target.id):
        result.already += 1
        return
    if isinstance(item, Statement):
        title = item.text
        if mode == CarryMode.MOVE:
            carried_id = move_statement(session, item, target)
        else:
            carried_id = copy_statement(session, item, target).id
    else:
        title = item.title
        carried_id = move_step(item, target) if mode == CarryMode.MOVE else 0
        carried_id = carried_id or copy_step(session, item, target).id
    entry = CarriedItem(
        item_type=item_type,
        mode=mode,
        from_workshop_id=source.id,
        to_workshop_id=target.id,
        original_id=item.id,
        carried_id=carried_id,
        title=title,
        carried_by_id=user.id if user else None,
    )
    session.add(entry)
    result.carried.append(entry)
    record(
        session,
        f"{item_type.replace('-', '_')}.carry",
        item_type.replace("-", "_"),
        item.id,
        user_id=user.id if user else None,
        workshop_id=source.id,
        after={"mode": mode, "to_workshop_id": target.id, "carried_id": carried_id},
    )


def _gone(
    session: DbSession,
    source: Workshop,
    target: Workshop,
    statement_ids: Sequence[int],
    next_step_ids: Sequence[int],
) -> int:
    """How many of the chosen items were already moved from here to the target (a form sent
    twice): they are no longer in the source, and are counted rather than refused."""
    moved = sa.select(sa.func.count()).where(
        CarriedItem.from_workshop_id == source.id,
        CarriedItem.to_workshop_id == target.id,
        CarriedItem.mode == CarryMode.MOVE.value,
    )
    statements = moved.where(
        CarriedItem.item_type == STATEMENT, CarriedItem.original_id.in_(list(statement_ids))
    )
    steps = moved.where(
        CarriedItem.item_type == NEXT_STEP, CarriedItem.original_id.in_(list(next_step_ids))
    )
    return (session.scalar(statements) or 0) + (session.scalar(steps) or 0)


def already_carried(session: DbSession, item_type: str, item_id: int, target_id: int) -> bool:
    """Whether this item (or an item this one was copied from) already went to the workshop."""
    return (
        session.scalar(
            sa.select(CarriedItem.id).where(
                CarriedItem.item_type == item_type,
                CarriedItem.to_workshop_id == target_id,
                sa.or_(CarriedItem.original_id == item_id, CarriedItem.carried_id == item_id),
            )
        )
        is not None
    )


def exercise_for(target: Workshop, kind: str) -> int | None:
    """The target's first exercise collecting this kind of post-it, if it has one."""
    return next((e.id for e in target.exercises if e.kind == kind), None)


def move_statement(session: DbSession, statement: Statement, target: Workshop) -> int:
    """Move a post-it, and the duplicates merged into it, to the target workshop."""
    merged = session.scalars(sa.select(Statement).where(Statement.merged_into_id == statement.id))
    for moved in (statement, *merged):
        moved.workshop_id = target.id
        moved.exercise_id = exercise_for(target, moved.kind)
    return statement.id


def copy_statement(session: DbSession, statement: Statement, target: Workshop) -> Statement:
    """A copy of a post-it in the target workshop, with its need form, themes and links."""
    copy = Statement(
        workshop_id=target.id,
        exercise_id=exercise_for(target, statement.kind),
        source=StatementSource.CARRIED.value,
        **_values(statement, STATEMENT_FIELDS),
    )
    if statement.need is not None:
        copy.need = NeedDetail(**_values(statement.need, NEED_FIELDS))
    session.add(copy)
    session.flush()
    for tag in session.scalars(
        sa.select(StatementTheme).where(StatementTheme.statement_id == statement.id)
    ):
        session.add(StatementTheme(statement_id=copy.id, **_values(tag, TAG_FIELDS)))
    for link in session.scalars(
        sa.select(NeedDatasetLink).where(NeedDatasetLink.statement_id == statement.id)
    ):
        session.add(NeedDatasetLink(statement_id=copy.id, **_values(link, LINK_FIELDS)))
    return copy


def move_step(step: NextStep, target: Workshop) -> int:
    """Move a next step to the target workshop."""
    step.workshop_id = target.id
    return step.id


def copy_step(session: DbSession, step: NextStep, target: Workshop) -> NextStep:
    """A copy of a next step in the target workshop, proposed afresh, addressing the same
    needs, themes and datasets."""
    copy = NextStep(workshop_id=target.id, status="proposed", **_values(step, STEP_FIELDS))
    copy.statements = list(step.statements)
    copy.themes = list(step.themes)
    copy.datasets = list(step.datasets)
    session.add(copy)
    session.flush()
    return copy


def _values(row: Any, names: Sequence[str]) -> dict[str, Any]:
    """The named attributes of a row, for a copy."""
    return {name: getattr(row, name) for name in names}


def carried_from(session: DbSession, workshop: Workshop) -> list[CarriedItem]:
    """What left this workshop for another one, newest first."""
    return list(
        session.scalars(
            sa.select(CarriedItem)
            .where(CarriedItem.from_workshop_id == workshop.id)
            .order_by(CarriedItem.id.desc())
        )
    )


def carried_into(session: DbSession, workshop: Workshop) -> list[CarriedItem]:
    """What came into this workshop from earlier ones, newest first."""
    return list(
        session.scalars(
            sa.select(CarriedItem)
            .where(CarriedItem.to_workshop_id == workshop.id)
            .order_by(CarriedItem.id.desc())
        )
    )


def origin_of(session: DbSession, item_type: str, item_id: int) -> CarriedItem | None:
    """Where a carried post-it or next step came from, if it was carried."""
    return session.scalar(
        sa.select(CarriedItem)
        .where(CarriedItem.item_type == item_type, CarriedItem.carried_id == item_id)
        .order_by(CarriedItem.id.desc())
        .limit(1)
    )


def destinations_of(session: DbSession, item_type: str, item_id: int) -> list[CarriedItem]:
    """Where copies of this post-it or next step went (a moved item is in its new home)."""
    return list(
        session.scalars(
            sa.select(CarriedItem)
            .where(CarriedItem.item_type == item_type, CarriedItem.original_id == item_id)
            .where(CarriedItem.mode == CarryMode.COPY.value)
            .order_by(CarriedItem.id)
        )
    )
