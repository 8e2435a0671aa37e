"""Carry-forward that carries: chosen undiscussed post-its and next steps appear in the next
workshop with their origin; the old workshop shows where they went; nothing is lost or doubled."""

import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.carry.models import CarriedItem
from insights.carry.services import CarryError, carry_items, origin_of
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import NextStepInput, carry_forward, create_next_step
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


@pytest.fixture
def september(users: dict[str, User]) -> Workshop:
    """A workshop with an undiscussed need (served by a dataset), an idea and a next step."""
    workshop = make_workshop(
        db.session, "September", users["facilitator"], users["lead"], users["member"]
    )
    need = make_statement(db.session, workshop, "Borough volunteering data.")
    make_statement(db.session, workshop, "A shared directory of groups.", "idea")
    dataset = Dataset(title="Volunteering by borough", keywords=[], extra={})
    db.session.add(dataset)
    db.session.flush()
    db.session.add(
        NeedDatasetLink(
            statement_id=need.id, dataset_id=dataset.id, status="confirmed", coverage="serves"
        )
    )
    create_next_step(db.session, workshop, NextStepInput(title="Pool directories"), None)
    db.session.commit()
    return workshop


@pytest.fixture
def november(users: dict[str, User]) -> Workshop:
    """The next workshop, run by the same facilitator and lead."""
    workshop = make_workshop(db.session, "November", users["facilitator"], users["lead"])
    db.session.commit()
    return workshop


def texts(workshop: Workshop) -> list[str]:
    return sorted(
        db.session.scalars(
            sa.select(Statement.text).where(
                Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None)
            )
        )
    )


def titles(workshop: Workshop) -> list[str]:
    return sorted(
        db.session.scalars(sa.select(NextStep.title).where(NextStep.workshop_id == workshop.id))
    )


def everything(workshop: Workshop) -> tuple[list[int], list[int]]:
    steps, statements = carry_forward(db.session, workshop)
    return [s.id for s in statements], [s.id for s in steps]


def test_copying_puts_each_item_in_the_next_workshop_with_its_origin_once(
    september: Workshop, november: Workshop, users: dict[str, User]
) -> None:
    statement_ids, step_ids = everything(september)
    for _ in range(2):  # doing it twice doesn't double
        carry_items(
            db.session, september, november, statement_ids=statement_ids,
            next_step_ids=step_ids, mode="copy", user=users["lead"],
        )  # fmt: skip
        db.session.commit()
    assert texts(november) == texts(september)  # nothing lost, nothing doubled
    assert titles(november) == titles(september) == ["Pool directories"]
    copies = db.session.scalars(
        sa.select(Statement).where(Statement.workshop_id == november.id)
    ).all()
    for copy in copies:
        origin = origin_of(db.session, "statement", copy.id)
        assert origin is not None and origin.from_workshop_id == september.id
        assert copy.source == "carried" and copy.exercise.kind == copy.kind
    need = next(c for c in copies if c.kind == "need")
    assert need.need is not None
    assert (
        db.session.scalar(
            sa.select(NeedDatasetLink.status).where(NeedDatasetLink.statement_id == need.id)
        )
        == "confirmed"
    )  # a served need stays served
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CarriedItem)) == 3


def test_moving_takes_items_out_of_the_old_workshop_and_records_where_they_went(
    september: Workshop, november: Workshop, users: dict[str, User]
) -> None:
    before = texts(september)
    statement_ids, step_ids = everything(september)
    for _ in range(2):
        result = carry_items(
            db.session, september, november, statement_ids=statement_ids,
            next_step_ids=step_ids, mode="move", user=users["lead"],
        )  # fmt: skip
        db.session.commit()
    assert result.already == 3 and not result.carried
    assert texts(september) == [] and titles(september) == []
    assert texts(november) == before and titles(november) == ["Pool directories"]
    moved = db.session.scalars(sa.select(CarriedItem).order_by(CarriedItem.id)).all()
    assert [(m.mode, m.original_id == m.carried_id) for m in moved] == [("move", True)] * 3


def test_carrying_into_the_same_workshop_or_nothing_is_refused(
    september: Workshop, users: dict[str, User]
) -> None:
    statement_ids, step_ids = everything(september)
    with pytest.raises(CarryError):
        carry_items(
            db.session, september, september, statement_ids=statement_ids,
            next_step_ids=step_ids, mode="copy", user=users["lead"],
        )  # fmt: skip
    with pytest.raises(CarryError):
        carry_items(
            db.session, september, september, statement_ids=[], next_step_ids=[],
            mode="teleport", user=users["lead"],
        )  # fmt: skip


def test_a_lead_carries_into_a_new_workshop_and_both_pages_say_so(
    client: FlaskClient, september: Workshop, users: dict[str, User]
) -> None:
    log_in(client, users["lead"].email)
    url = f"/workshops/{september.slug}/carry-forward/"
    page = client.get(url).get_data(as_text=True)
    statement_ids, step_ids = everything(september)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "statements": [str(i) for i in statement_ids],
            "next_steps": [str(i) for i in step_ids],
            "target": "new",
            "new_title": "January follow-up",
            "new_date": "2022-01-20",
            "mode": "copy",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Carried 3 items to “January follow-up”" in page
    assert "Where carried items went (3)" in page
    january = db.session.scalars(
        sa.select(Workshop).where(Workshop.title == "January follow-up")
    ).one()
    assert texts(january) == texts(september)
    step = db.session.scalars(sa.select(NextStep).where(NextStep.workshop_id == january.id)).one()
    shown = client.get(f"/workshops/{january.slug}/next-steps/{step.id}").get_data(as_text=True)
    assert re.search(r"Copied here from\s*<a[^>]*>September</a>", shown)
    original = client.get(f"/workshops/{september.slug}/next-steps/{step_ids[0]}")
    assert re.search(r"Copied to\s*<a[^>]*>January follow-up</a>", original.get_data(as_text=True))


def test_a_member_reads_what_is_left_but_cannot_carry(
    client: FlaskClient, september: Workshop, users: dict[str, User]
) -> None:
    log_in(client, users["member"].email)
    url = f"/workshops/{september.slug}/carry-forward/"
    page = client.get(url).get_data(as_text=True)
    assert "Pool directories" in page and 'name="target"' not in page
    response = client.post(url, data={"csrf_token": csrf_token_from(page), "target": "new"})
    assert response.status_code == 403
