"""Theme counts across statements: by workshop, exercise, kind and borough, and which themes
occur together."""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from insights.extensions import DbSession
from insights.organisations.models import Borough
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Exercise, Workshop

# The ways the theme counts can be broken down.
BREAKDOWNS = ("workshop", "exercise", "kind", "borough")


def counted_tags(workshop_ids: Iterable[int]) -> "sa.Select[int, int, str]":
    """Live, not rejected tags of live statements in the workshops, with their theme."""
    query = (
        sa.select(StatementTheme.statement_id, Theme.id, Theme.name)
        .join(Theme, Theme.id == StatementTheme.theme_id)
        .join(Statement, Statement.id == StatementTheme.statement_id)
        .where(
            StatementTheme.decision != "rejected",
            Theme.live(),
            Statement.workshop_id.in_(list(workshop_ids)),
            Statement.live(),
        )
    )
    return query


def theme_totals(session: DbSession, workshop_ids: Iterable[int]) -> list[tuple[str, int]]:
    """Statements per theme, most frequent first."""
    tags = counted_tags(workshop_ids).subquery()
    rows = session.execute(
        sa.select(tags.c.name, sa.func.count(sa.distinct(tags.c.statement_id)))
        .group_by(tags.c.id, tags.c.name)
        .order_by(sa.func.count(sa.distinct(tags.c.statement_id)).desc(), tags.c.name)
    )
    return [(name, count) for name, count in rows]


def group_column(by: str) -> tuple[Any, Any]:
    """The label to group by and, where one is needed, the table to join for it."""
    if by == "workshop":
        return Workshop.title, (Workshop, Workshop.id == Statement.workshop_id)
    if by == "exercise":
        return Exercise.title, (Exercise, Exercise.id == Statement.exercise_id)
    if by == "borough":
        return Borough.name, (Borough, Borough.code == Statement.borough_code)
    return Statement.kind, None


def counts_by(
    session: DbSession, workshop_ids: Iterable[int], by: str
) -> dict[str, dict[str, int]]:
    """{group: {theme name: statements}} for one breakdown; groups without a value are left out."""
    label, join = group_column(by)
    query = counted_tags(workshop_ids).add_columns(label.label("grp"))
    if join is not None:
        query = query.join(*join)
    tags = query.subquery()
    rows = session.execute(
        sa.select(tags.c.grp, tags.c.name, sa.func.count(sa.distinct(tags.c.statement_id)))
        .group_by(tags.c.grp, tags.c.name)
        .order_by(tags.c.grp)
    )
    table: dict[str, dict[str, int]] = {}
    for group, name, count in rows:
        table.setdefault(str(group), {})[name] = count
    return table


def cooccurrence(
    session: DbSession, workshop_ids: Iterable[int]
) -> tuple[list[str], list[list[int]]]:
    """Theme names and a symmetric matrix of how many statements carry both themes
    (the diagonal: statements carrying the theme)."""
    tags = counted_tags(workshop_ids).subquery()
    other = aliased(tags)
    rows = session.execute(
        sa.select(tags.c.name, other.c.name, sa.func.count())
        .join(other, other.c.statement_id == tags.c.statement_id)
        .group_by(tags.c.name, other.c.name)
    )
    pairs = {(a, b): n for a, b, n in rows}
    names = [name for name, _ in theme_totals(session, workshop_ids)]
    return names, [[pairs.get((a, b), 0) for b in names] for a in names]
