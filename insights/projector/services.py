"""What the projector shows: each exercise's post-its, newest first, with counts.

The projector draws hundreds of cards and needs only their words, kind, organisation and
theme names, so it reads those columns alone (two queries) rather than whole statements."""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.organisations.models import Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop


@dataclass(frozen=True)
class ProjectorCard:
    """One post-it as projected: its words, kind, organisation and themes (name, decision)."""

    id: int
    exercise_id: int | None
    kind: str
    text: str
    organisation: str
    themes: tuple[tuple[str, str], ...] = ()


@dataclass
class ProjectorColumn:
    """One exercise on the screen: its title, prompt and cards, newest first."""

    key: str
    title: str
    prompt: str
    cards: list[ProjectorCard] = field(default_factory=list)
    total: int = 0  # every live post-it of the exercise, drawn or not


# Post-its a screen shows at most: the newest. A wall of 51,000 drawn whole would never load
# (and its themes' id list would pass SQLite's limit on bound values).
PROJECTOR_CARDS = 500


def projector_cards(
    session: DbSession, workshop: Workshop, after_id: int = 0, limit: int = PROJECTOR_CARDS
) -> list[ProjectorCard]:
    """The workshop's newest live post-its (at most `limit`) newer than after_id, newest
    first."""
    rows = session.execute(
        sa.select(
            Statement.id, Statement.exercise_id, Statement.kind, Statement.text, Organisation.name
        )
        .outerjoin(Organisation, Organisation.id == Statement.organisation_id)
        .where(Statement.workshop_id == workshop.id, Statement.live(), Statement.id > after_id)
        .order_by(Statement.id.desc())
        .limit(limit)
    ).all()
    themes = card_themes(session, [row[0] for row in rows])
    return [
        ProjectorCard(id_, exercise, kind, text, organisation or "", tuple(themes.get(id_, ())))
        for id_, exercise, kind, text, organisation in rows
    ]


def card_themes(session: DbSession, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Statement id -> (theme name, decision) of its themes not rejected, in taxonomy order."""
    if not ids:
        return {}
    rows = session.execute(
        sa.select(StatementTheme.statement_id, Theme.name, StatementTheme.decision)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .where(StatementTheme.statement_id.in_(ids), StatementTheme.decision != "rejected")
        .order_by(Theme.position, Theme.id)
    )
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for statement_id, name, decision in rows:
        found[statement_id].append((name, decision))
    return found


def projector_columns(session: DbSession, workshop: Workshop) -> list[ProjectorColumn]:
    """A column per exercise (and one for post-its outside any), each newest first."""
    columns: dict[int | None, ProjectorColumn] = {
        e.id: ProjectorColumn(str(e.id), e.title, e.prompt) for e in workshop.exercises
    }
    for card in projector_cards(session, workshop):
        key = card.exercise_id if card.exercise_id in columns else None
        if key not in columns:
            columns[None] = ProjectorColumn("", "Other post-its", "")
        columns[key].cards.append(card)
    totals = session.execute(
        sa.select(Statement.exercise_id, sa.func.count())
        .where(Statement.workshop_id == workshop.id, Statement.live())
        .group_by(Statement.exercise_id)
    )
    for exercise_id, count in totals:
        key = exercise_id if exercise_id in columns else None
        if key in columns:
            columns[key].total += int(count)
    return [c for key, c in columns.items() if key is not None or c.cards]


def newest_id(session: DbSession, workshop: Workshop) -> int:
    """The id of the workshop's newest statement (0 when it has none)."""
    return int(
        session.scalar(
            sa.select(sa.func.max(Statement.id)).where(Statement.workshop_id == workshop.id)
        )
        or 0
    )
