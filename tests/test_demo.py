"""`insights demo load`: a realistic workshop, loaded once."""

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from insights.extensions import db
from insights.models import Exercise, Participant, Statement, User, Workshop


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
        for model in (Workshop, Exercise, Participant, Statement, User)
    }


def test_demo_load_creates_the_cvs_directors_workshop(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    workshop = db.session.scalar(sa.select(Workshop))
    assert workshop is not None and workshop.title == "Data about the sector"
    assert workshop.date is not None and (workshop.date.year, workshop.date.month) == (2021, 9)
    assert [e.kind for e in workshop.exercises] == [
        "need",
        "source",
        "challenge",
        "collected",
        "idea",
    ]
    participants = db.session.scalars(sa.select(Participant)).all()
    assert len(participants) == 16
    assert len({p.borough_code for p in participants}) == 16
    assert counts()["Statement"] >= 60
    roles = set(db.session.scalars(sa.select(User.role)))
    assert {"facilitator", "lead", "member"} <= roles


def test_demo_load_twice_changes_nothing(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo", "load"])
    before = counts()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert counts() == before
