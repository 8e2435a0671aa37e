"""What the projector shows: each exercise's post-its, newest first, with counts."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.statements.models import Statement
from insights.statements.queries import BoardFilters, board_query, with_card_data
from insights.workshops.models import Workshop


@dataclass
class ProjectorColumn:
    """One exercise on the screen: its title, prompt and cards, newest first."""

    key: str
    title: str
    prompt: str
    cards: list[Statement] = field(default_factory=list)


def projector_columns(session: DbSession, workshop: Workshop) -> list[ProjectorColumn]:
    """A column per exercise (and one for post-its outside any), each newest first."""
    columns: dict[int | None, ProjectorColumn] = {
        e.id: ProjectorColumn(str(e.id), e.title, e.prompt) for e in workshop.exercises
    }
    query = board_query(workshop, BoardFilters()).order_by(None).order_by(Statement.id.desc())
    for statement in session.scalars(with_card_data(query)):
        key = statement.exercise_id if statement.exercise_id in columns else None
        if key not in columns:
            columns[None] = ProjectorColumn("", "Other post-its", "")
        columns[key].cards.append(statement)
    return [c for key, c in columns.items() if key is not None or c.cards]


def cards_after(session: DbSession, workshop: Workshop, after_id: int) -> list[Statement]:
    """Post-its added since the last one the projector shows, oldest first."""
    query = board_query(workshop, BoardFilters()).where(Statement.id > after_id)
    return list(session.scalars(with_card_data(query.limit(500))))


def newest_id(session: DbSession, workshop: Workshop) -> int:
    """The id of the workshop's newest statement (0 when it has none)."""
    return int(
        session.scalar(
            sa.select(sa.func.max(Statement.id)).where(Statement.workshop_id == workshop.id)
        )
        or 0
    )
