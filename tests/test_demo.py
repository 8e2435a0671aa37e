"""`insights demo load`: two realistic workshops of one programme, loaded once."""

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.datasets.models import NeedDatasetLink
from insights.demo.services import DEMO_PASSWORD, demo_data, load_demo_workshops
from insights.extensions import db
from insights.graph.analyses import find_gaps
from insights.graph.snapshot import load_graph_data
from insights.models import Exercise, Participant, Statement, User, Workshop
from tests.factories import log_in

FOLLOW_UP = "data-sharing-specialist-infrastructure-2021"


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
        for model in (Workshop, Exercise, Participant, Statement, User, NeedDatasetLink)
    }


def workshop_by_slug(slug: str) -> Workshop:
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    assert workshop is not None
    return workshop


def confirmed_links(workshop: Workshop) -> list[NeedDatasetLink]:
    return list(
        db.session.scalars(
            sa.select(NeedDatasetLink)
            .join(Statement, Statement.id == NeedDatasetLink.statement_id)
            .where(Statement.workshop_id == workshop.id, NeedDatasetLink.status == "confirmed")
        )
    )


def test_demo_load_creates_the_cvs_directors_workshop(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    workshop = workshop_by_slug(demo_data()["workshop"]["slug"])
    assert workshop.title == "Data about the sector"
    assert workshop.date is not None and (workshop.date.year, workshop.date.month) == (2021, 9)
    assert [e.kind for e in workshop.exercises] == [
        "need",
        "source",
        "challenge",
        "collected",
        "idea",
    ]
    participants = db.session.scalars(
        sa.select(Participant).where(Participant.workshop_id == workshop.id)
    ).all()
    assert len(participants) == 16
    assert len({p.borough_code for p in participants}) == 16
    assert counts()["Statement"] >= 60
    roles = set(db.session.scalars(sa.select(User.role)))
    assert {"facilitator", "lead", "member"} <= roles


def test_demo_has_the_november_follow_up_with_the_hear_network(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "load"])
    assert FOLLOW_UP in result.output
    follow_up = workshop_by_slug(FOLLOW_UP)
    assert follow_up.date is not None and (follow_up.date.year, follow_up.date.month) == (2021, 11)
    assert "HEAR Network" in follow_up.host_network
    needs = db.session.scalars(
        sa.select(Statement).where(Statement.workshop_id == follow_up.id, Statement.kind == "need")
    ).all()
    assert len(needs) >= 10
    members = {m.user.email for m in follow_up.memberships}
    assert {"member@example.org", "lead@example.org"} <= members


def test_demo_confirms_some_links_so_not_every_need_is_a_gap(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo", "load"])
    for slug in (demo_data()["workshop"]["slug"], FOLLOW_UP):
        workshop = workshop_by_slug(slug)
        assert len(confirmed_links(workshop)) >= 4
        gaps = find_gaps(load_graph_data(db.session, [workshop.id]))
        needs = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Statement)
            .where(Statement.workshop_id == workshop.id, Statement.kind == "need")
        )
        assert 0 < len(gaps) < (needs or 0)


def test_demo_load_twice_changes_nothing(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo", "load"])
    before = counts()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert counts() == before


def test_demo_load_adds_the_follow_up_to_a_database_with_only_september(app: Flask) -> None:
    load_demo_workshops(db.session)
    db.session.commit()
    db.session.execute(sa.delete(Workshop).where(Workshop.slug == FOLLOW_UP))
    db.session.commit()
    added = load_demo_workshops(db.session)
    db.session.commit()
    assert [w.slug for w in added] == [FOLLOW_UP]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)) == 2


def test_the_demo_round_up_members_read_tells_a_story_not_a_placeholder(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    log_in(client, "member@example.org", DEMO_PASSWORD)
    page = client.get(
        f"/workshops/{demo_data()['workshop']['slug']}/roundup", follow_redirects=True
    ).get_data(as_text=True)
    assert "<h2>What we heard</h2>" in page
    assert "Unregistered community groups, mutual aid groups" in page
    assert "Write the story" not in page and "No story yet" not in page
