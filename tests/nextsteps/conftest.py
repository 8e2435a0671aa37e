"""Fixtures for next steps: a workshop with a lead, a facilitator and members, and builders."""

import pytest
from flask import Flask

from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.organisations.models import Organisation
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import make_statement, make_workshop


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A live workshop the facilitator, lead and member belong to (the admin does not)."""
    found = make_workshop(
        db.session,
        "Prioritising",
        users["facilitator"],
        users["lead"],
        users["member"],
        status="live",
    )
    db.session.commit()
    return found


def add_step(workshop: Workshop, title: str = "A step", **fields: object) -> NextStep:
    """A committed next step with the given fields."""
    step = create_next_step(db.session, workshop, NextStepInput(title=title, **fields), None)  # type: ignore[arg-type]
    db.session.commit()
    return step


def add_need(
    workshop: Workshop, text: str, organisation: str | None = None, borough: str | None = None
) -> Statement:
    """A need post-it from an organisation in a borough (ONS code)."""
    need = make_statement(db.session, workshop, text, "need")
    if organisation:
        org = Organisation(name=organisation, borough_code=borough)
        db.session.add(org)
        db.session.flush()
        need.organisation_id = org.id
    need.borough_code = borough
    db.session.commit()
    return need


def confirm_dataset_for(need: Statement, title: str = "Volunteering survey") -> Dataset:
    """A dataset confirmed to serve the need, so it is no longer a gap."""
    dataset = Dataset(title=title, keywords=[], extra={})
    db.session.add(dataset)
    db.session.flush()
    db.session.add(NeedDatasetLink(statement_id=need.id, dataset_id=dataset.id, status="confirmed"))
    db.session.commit()
    return dataset
