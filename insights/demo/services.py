"""The demo: a realistic "Data about the sector" workshop of a London CVS directors' network."""

import os
from datetime import date
from typing import Any

import sqlalchemy as sa

from insights.auth.models import User
from insights.auth.services import create_user, find_user
from insights.datasets.suggestions import load_demo_catalogue
from insights.extensions import DbSession
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.organisations.models import Organisation
from insights.reference import read_json
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Exercise, Participant, Workshop, WorkshopMember

DEMO_PASSWORD = "workshop-demo"  # noqa: S105  (a published demo log-in, stated in the README)


def demo_data() -> dict[str, Any]:
    """The demo workshop, accounts, participants and statements, as shipped."""
    return dict(read_json("demo_workshop.json"))


def demo_password() -> str:
    """The demo accounts' password: INSIGHTS_DEMO_PASSWORD, else the published demo one."""
    return os.environ.get("INSIGHTS_DEMO_PASSWORD", DEMO_PASSWORD)


def load_demo(session: DbSession) -> Workshop | None:
    """Create the demo accounts and workshop; returns None when the demo is already there."""
    data = demo_data()
    if session.scalar(sa.select(Workshop).where(Workshop.slug == data["workshop"]["slug"])):
        return None
    users = [_demo_account(session, account) for account in data["accounts"]]
    organisations = {org["name"]: _organisation(session, org) for org in data["organisations"]}
    workshop = _workshop(data["workshop"], data["exercises"])
    session.add(workshop)
    for user in users:
        if user.role != "admin":
            role = "facilitator" if user.role == "facilitator" else "member"
            workshop.memberships.append(WorkshopMember(user=user, role=role))
    participants = {
        person["name"]: _participant(workshop, person, organisations)
        for person in data["participants"]
    }
    session.flush()
    exercises = {exercise.key: exercise for exercise in workshop.exercises}
    for item in data["statements"]:
        session.add(_statement(workshop, exercises[item["exercise"]], item, participants))
    load_demo_catalogue(session, workshop)
    for step in data["next_steps"]:
        fields = {k: step[k] for k in ("title", "description", "effort", "impact", "status")}
        create_next_step(session, workshop, NextStepInput(**fields), None)
    return workshop


def _demo_account(session: DbSession, account: dict[str, str]) -> User:
    """The demo account with this email, created if missing."""
    existing = find_user(session, account["email"])
    if existing is not None:
        return existing
    return create_user(session, account["email"], account["name"], account["role"], demo_password())


def _organisation(session: DbSession, org: dict[str, Any]) -> Organisation:
    """The organisation with this name, created if missing."""
    existing = session.scalar(sa.select(Organisation).where(Organisation.name == org["name"]))
    if existing is not None:
        return existing
    organisation = Organisation(
        name=org["name"],
        type=org["type"],
        borough_code=org.get("borough"),
        org_id=org.get("org_id"),
    )
    session.add(organisation)
    return organisation


def _workshop(fields: dict[str, Any], exercises: list[dict[str, str]]) -> Workshop:
    """The demo workshop with its exercises."""
    workshop = Workshop(**{**fields, "date": date.fromisoformat(fields["date"])})
    for position, exercise in enumerate(exercises):
        workshop.exercises.append(Exercise(position=position, **exercise))
    return workshop


def _participant(
    workshop: Workshop, person: dict[str, Any], organisations: dict[str, Organisation]
) -> Participant:
    """A demo participant, attached to the workshop."""
    organisation = organisations.get(person.get("organisation") or "")
    participant = Participant(
        name=person["name"],
        organisation=organisation,
        borough_code=person.get("borough"),
        named_with_consent=bool(person.get("named_with_consent")),
    )
    workshop.participants.append(participant)
    return participant


def _statement(
    workshop: Workshop,
    exercise: Exercise,
    item: dict[str, Any],
    participants: dict[str, Participant],
) -> Statement:
    """One demo post-it, in its participant's words."""
    participant = participants.get(item.get("participant") or "")
    statement = Statement(
        workshop_id=workshop.id,
        exercise_id=exercise.id,
        kind=exercise.kind,
        original_text=item["text"],
        text=item["text"],
        anonymous=bool(item.get("anonymous")) or participant is None,
        participant_id=participant.id if participant else None,
        author_name=participant.name if participant and participant.named_with_consent else "",
        organisation_id=participant.organisation_id if participant else None,
        borough_code=participant.borough_code if participant else None,
        source="demo",
    )
    if exercise.kind == "need":
        statement.need = NeedDetail()
    return statement
