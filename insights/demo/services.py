"""The demo: a London CVS directors' network's "Data about the sector" workshop (September
2021) and its November follow-up with specialist infrastructure organisations."""

import os
from datetime import date
from typing import Any

import sqlalchemy as sa

from insights.auth.models import User
from insights.auth.services import create_user, find_user
from insights.datasets.models import Dataset
from insights.datasets.services import decide_link
from insights.datasets.suggestions import load_demo_catalogue
from insights.extensions import DbSession
from insights.nextsteps.services import NextStepInput, create_next_step, live_steps_query
from insights.organisations.models import Organisation
from insights.reference import read_json
from insights.roundups.services import generate, publish
from insights.statements.models import NeedDetail, Statement
from insights.voting.services import open_round
from insights.workshops.models import Exercise, Participant, Workshop, WorkshopMember

DEMO_PASSWORD = "workshop-demo"  # noqa: S105  (a published demo log-in, stated in the README)


def demo_data() -> dict[str, Any]:
    """The demo workshop, accounts, participants and statements, as shipped."""
    return dict(read_json("demo_workshop.json"))


def demo_password() -> str:
    """The demo accounts' password: INSIGHTS_DEMO_PASSWORD, else the published demo one."""
    return os.environ.get("INSIGHTS_DEMO_PASSWORD", DEMO_PASSWORD)


def load_demo(session: DbSession) -> Workshop | None:
    """Create the demo accounts and workshops; returns the September workshop when it was
    new, None when it was already there. Each demo workshop is loaded at most once."""
    workshops = load_demo_workshops(session)
    first = demo_data()["workshop"]["slug"]
    return next((w for w in workshops if w.slug == first), None)


def demo_specs() -> list[dict[str, Any]]:
    """Each demo workshop with its exercises, participants, post-its, next steps and links."""
    data = demo_data()
    return [data, data["follow_up"]]


def load_demo_workshops(session: DbSession) -> list[Workshop]:
    """Load the demo workshops that are missing (September, then its November follow-up)."""
    data = demo_data()
    users = [_demo_account(session, account) for account in data["accounts"]]
    organisations = {org["name"]: _organisation(session, org) for org in data["organisations"]}
    loaded = []
    for spec in demo_specs():
        slug = spec["workshop"]["slug"]
        if session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug)) is None:
            loaded.append(_load_workshop(session, spec, users, organisations))
    return loaded


def _load_workshop(
    session: DbSession,
    spec: dict[str, Any],
    users: list[User],
    organisations: dict[str, Organisation],
) -> Workshop:
    """One demo workshop: members, participants, post-its, suggestions, links, next steps."""
    workshop = _workshop(spec["workshop"], spec["exercises"])
    session.add(workshop)
    for user in users:
        if user.role != "admin":
            role = "facilitator" if user.role == "facilitator" else "member"
            workshop.memberships.append(WorkshopMember(user=user, role=role))
    participants = {
        person["name"]: _participant(workshop, person, organisations)
        for person in spec["participants"]
    }
    session.flush()
    exercises = {exercise.key: exercise for exercise in workshop.exercises}
    statements = {}
    for item in spec["statements"]:
        statement = _statement(workshop, exercises[item["exercise"]], item, participants)
        session.add(statement)
        statements[item["text"]] = statement
    load_demo_catalogue(session, workshop)
    for link in spec.get("links", []):
        _confirm_link(session, statements[link["statement"]], link)
    for step in spec["next_steps"]:
        fields = {k: step[k] for k in ("title", "description", "effort", "impact", "status")}
        create_next_step(session, workshop, NextStepInput(**fields), None)
    return workshop


def _confirm_link(session: DbSession, statement: Statement, link: dict[str, str]) -> None:
    """A confirmed need-to-dataset link, as a facilitator would have decided it."""
    dataset = session.scalar(
        sa.select(Dataset).where(Dataset.title == link["dataset"], Dataset.deleted_at.is_(None))
    )
    if dataset is None:
        raise LookupError(f"The demo names a dataset missing from the catalogue: {link['dataset']}")
    decide_link(
        session, statement, dataset, status="confirmed", user=None, coverage=link["coverage"]
    )


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


def share_demo(session: DbSession, workshops: list[Workshop]) -> None:
    """What each new demo workshop shows its readers: a round-up published to members, an
    open dot vote on its next steps (as its spec's "share" says), so every role has
    something of its own to reach."""
    specs = {spec["workshop"]["slug"]: spec.get("share", {}) for spec in demo_specs()}
    for workshop in workshops:
        share = specs.get(workshop.slug, {})
        if "roundup" in share:
            roundup = generate(session, workshop, None)
            roundup.narrative_md = share["roundup"]["narrative"]
            session.flush()
            publish(roundup, roundup.version, share["roundup"]["visibility"])
        if "vote" in share:
            steps = list(session.scalars(live_steps_query(workshop)))
            open_round(session, workshop, next_steps=steps, **share["vote"])
