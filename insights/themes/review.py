"""People's decisions on themes: accept, reject or add a theme on one statement or many."""

from collections.abc import Sequence

import sqlalchemy as sa

from insights.auth.models import User
from insights.extensions import DbSession
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.timeutil import utcnow

REVIEW_DECISIONS = ("accepted", "rejected")


class ReviewError(ValueError):
    """A theme decision that cannot be made, with a message for the person."""


def find_tag(session: DbSession, statement: Statement, theme: Theme) -> StatementTheme | None:
    """The statement's tag for this theme, if it has one."""
    return session.scalars(
        sa.select(StatementTheme).where(
            StatementTheme.statement_id == statement.id, StatementTheme.theme_id == theme.id
        )
    ).first()


def decide_theme(
    session: DbSession, statement: Statement, theme: Theme, decision: str, person: User
) -> StatementTheme:
    """Record a person's decision; accepting a theme that was not suggested adds it
    (source "person"), rejecting one that was not suggested keeps it from ever being."""
    if decision not in REVIEW_DECISIONS:
        raise ReviewError(f"Unknown decision {decision!r}.")
    if theme.merged_into_id is not None:
        raise ReviewError(f"“{theme.name}” was merged into another theme; use that one.")
    tag = find_tag(session, statement, theme)
    if tag is None:
        tag = StatementTheme(
            statement_id=statement.id, theme_id=theme.id, source="person", confidence=1.0
        )
        tag.evidence = []
        session.add(tag)
    tag.decision, tag.decided_by_id, tag.decided_at = decision, person.id, utcnow()
    session.flush()
    return tag


def accept_suggested(session: DbSession, statement: Statement, person: User) -> int:
    """Accept every theme that is only suggested on the statement; how many were."""
    tags = session.scalars(
        sa.select(StatementTheme).where(
            StatementTheme.statement_id == statement.id, StatementTheme.decision == "suggested"
        )
    ).all()
    now = utcnow()
    for tag in tags:
        tag.decision, tag.decided_by_id, tag.decided_at = "accepted", person.id, now
    session.flush()
    return len(tags)


def undo_decision(session: DbSession, statement: Statement, theme: Theme) -> None:
    """Take a decision back: a suggestion becomes a suggestion again, a person's tag goes."""
    tag = find_tag(session, statement, theme)
    if tag is None:
        return
    if tag.source == "person":
        session.delete(tag)
    else:
        tag.decision, tag.decided_by_id, tag.decided_at = "suggested", None, None
    session.flush()


def decide_for_many(
    session: DbSession,
    statements: Sequence[Statement],
    theme: Theme,
    decision: str,
    person: User,
) -> int:
    """The same decision on many statements (the board's bulk action); returns how many."""
    for statement in statements:
        decide_theme(session, statement, theme, decision, person)
    return len(statements)
