"""Fixtures for the theme tests: a workshop its facilitator runs, with tagged post-its."""

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.themes.services import tag_statements
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop

POST_ITS = [
    ("We need ward-level volunteering data to plan recruitment", "need"),
    ("GrantNav is where we look for who funds what in the borough", "source"),
    ("No time or skills in-house to analyse the data we hold", "challenge"),
]


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A live workshop: the facilitator runs it, the lead and member are invited."""
    workshop = make_workshop(
        db.session,
        "Themes workshop",
        users["facilitator"],
        users["lead"],
        users["member"],
        status="live",
    )
    db.session.commit()
    return workshop


@pytest.fixture
def tagged(workshop: Workshop) -> list[Statement]:
    """Three post-its, tagged by the rules."""
    statements = [make_statement(db.session, workshop, text, kind) for text, kind in POST_ITS]
    tag_statements(db.session, statements)
    db.session.commit()
    return statements


def theme(slug: str) -> Theme:
    """A theme of the taxonomy by slug."""
    found = db.session.scalar(sa.select(Theme).where(Theme.slug == slug))
    assert found is not None, slug
    return found


def tags_of(statement: Statement) -> dict[str, StatementTheme]:
    """The statement's tags by theme slug, fresh from the database."""
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(StatementTheme).where(StatementTheme.statement_id == statement.id)
    )
    return {tag.theme.slug: tag for tag in rows}
