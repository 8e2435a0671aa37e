"""Builders of real objects through the ORM, for tests."""

import itertools
import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from insights.auth.models import User
from insights.auth.services import create_user
from insights.statements.models import NeedDetail, Statement
from insights.workshops.models import Workshop, WorkshopMember
from insights.workshops.services import create_workshop

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(session: Session, role: str = "member", email: str | None = None) -> User:
    """An account with the test password."""
    email = email or f"{role}{next(_numbers)}@example.test"
    user = create_user(session, email, f"Test {role.title()}", role, PASSWORD)
    session.flush()
    return user


def make_workshop(
    session: Session, title: str = "Data about the sector", *members: User, **fields: object
) -> Workshop:
    """A workshop with the template exercises and the given accounts as members."""
    workshop = create_workshop(session, title)
    for name, value in fields.items():
        setattr(workshop, name, value)
    for user in members:
        role = "facilitator" if user.role == "facilitator" else "member"
        workshop.memberships.append(WorkshopMember(user=user, role=role))
    session.flush()
    return workshop


def make_statement(
    session: Session, workshop: Workshop, text: str, kind: str = "need"
) -> Statement:
    """A post-it in the first exercise of its kind."""
    exercise = next((e for e in workshop.exercises if e.kind == kind), None)
    statement = Statement(
        workshop_id=workshop.id,
        exercise_id=exercise.id if exercise else None,
        kind=kind,
        original_text=text,
        text=text,
    )
    if kind == "need":
        statement.need = NeedDetail()
    session.add(statement)
    session.flush()
    return statement


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, CSRF token and all."""
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
