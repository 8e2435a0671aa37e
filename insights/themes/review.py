"""People's decisions on themes: accept, reject or add a theme on one statement or many."""

from collections.abc import Sequence

import sqlalchemy as sa

from insights.audit.services import record
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
    session: DbSession,
    statement: Statement,
    theme: Theme,
    decision: str,
    person: User,
    *,
    audit: bool = True,
) -> StatementTheme:
    """Record a person's decision; accepting a theme that was not suggested adds it
    (source "person"), rejecting one that was not suggested keeps it from ever being."""
    if decision not in REVIEW_DECISIONS:
        raise ReviewError(f"Unknown decision {decision!r}.")
    if theme.merged_into_id is not None:
        raise ReviewError(f"“{theme.name}” was merged into another theme; use that one.")
    tag = find_tag(session, statement, theme)
    before = None if tag is None else {"decision": tag.decision, "source": tag.source}
    if tag is None:
        tag = StatementTheme(
            statement_id=statement.id, theme_id=theme.id, source="person", confidence=1.0
        )
        tag.evidence = []
        session.add(tag)
    if audit:
        record_tag(session, "theme_tag.decide", statement, theme, person, before, decision)
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
    if tags:
        record(
            session,
            "theme_tag.accept_all",
            "theme_tag",
            statement.id,
            user_id=person.id,
            workshop_id=statement.workshop_id,
            after={"decision": "accepted", "themes": sorted(t.theme_id for t in tags)},
        )
    session.flush()
    return len(tags)


def undo_decision(
    session: DbSession, statement: Statement, theme: Theme, person: User | None = None
) -> None:
    """Take a decision back: a suggestion becomes a suggestion again, a person's tag goes."""
    tag = find_tag(session, statement, theme)
    if tag is None:
        return
    before = {"decision": tag.decision, "source": tag.source}
    after = None if tag.source == "person" else "suggested"
    record_tag(session, "theme_tag.undo", statement, theme, person, before, after)
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
    """The same decision on many statements (the board's bulk action); returns how many.
    One audit entry says what the bulk action did to which statements."""
    for statement in statements:
        decide_theme(session, statement, theme, decision, person, audit=False)
    record(
        session,
        "theme_tag.bulk",
        "theme_tag",
        theme.id,
        user_id=person.id,
        workshop_id=statements[0].workshop_id if statements else None,
        after={"decision": decision, "theme": theme.slug},
        statements=[s.id for s in statements],
    )
    return len(statements)


def record_tag(
    session: DbSession,
    action: str,
    statement: Statement,
    theme: Theme,
    person: User | None,
    before: dict[str, str] | None,
    decision: str | None,
) -> None:
    """Audit one decision on one statement's theme."""
    record(
        session,
        action,
        "theme_tag",
        f"{statement.id}:{theme.id}",
        user_id=person.id if person else None,
        workshop_id=statement.workshop_id,
        before=before,
        after={"decision": decision, "theme": theme.slug} if decision else None,
    )
