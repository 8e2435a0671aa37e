"""Telling people: members see what is new for them on their home page (a vote opened, a
round-up published, a comment on their post); with SMTP configured they also get an email,
tested against a real SMTP server (aiosmtpd) on 127.0.0.1."""

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask, g
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.nextsteps.services import NextStepInput, create_next_step
from insights.notices.models import Notice
from insights.roundups.services import generate
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_user, make_workshop


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802  (aiosmtpd's hook name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    """A real SMTP server on localhost, and the app configured to send through it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="hub@x.test")
    yield handler
    controller.stop()
    for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_FROM"):
        app.config.pop(key, None)


@pytest.fixture
def workshop(users: dict[str, User]) -> Workshop:
    """A workshop with a lead, a facilitator, two members and a next step a member proposed."""
    other = make_user(db.session, "member", "second.member@example.test")
    found = make_workshop(
        db.session, "Data sharing", users["facilitator"], users["lead"], users["member"], other
    )
    create_next_step(db.session, found, NextStepInput(title="Pool directories"), users["member"])
    db.session.commit()
    return found


def open_a_vote(client: FlaskClient, workshop: Workshop) -> None:
    """The lead opens a dot vote through the form."""
    page = client.get(f"/workshops/{workshop.slug}/next-steps/votes/").get_data(as_text=True)
    step_id = workshop_step_id(workshop)
    response = client.post(
        f"/workshops/{workshop.slug}/next-steps/votes/new",
        data={
            "csrf_token": csrf_token_from(page),
            "title": "What first?",
            "next_steps": str(step_id),
            "dots_per_member": "3",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def workshop_step_id(workshop: Workshop) -> int:
    from insights.nextsteps.models import NextStep

    return int(db.session.scalar(sa.select(NextStep.id).where(NextStep.workshop_id == workshop.id)))


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A fresh browser-like client, logged in as this person (the test's app context caches
    the last signed-in user on g, so it is forgotten first)."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    client = app.test_client()
    log_in(client, user.email)
    return client


def notices_of(user: User) -> list[str]:
    return list(db.session.scalars(sa.select(Notice.message).where(Notice.user_id == user.id)))


def test_a_member_sees_a_new_vote_on_the_home_page_and_can_mark_it_seen(
    app: Flask, client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    log_in(client, users["lead"].email)
    open_a_vote(client, workshop)
    assert notices_of(users["lead"]) == []  # not told of what they did themselves
    assert notices_of(users["admin"]) == []  # nor of workshops they are not in
    client = signed_in(app, users["member"])
    home = client.get("/").get_data(as_text=True)
    assert "What's new for you" in home
    assert "A vote opened in “Data sharing”: What first?" in home and ">new</span>" in home
    client.post("/news/seen", data={"csrf_token": csrf_token_from(home)})
    assert ">new</span>" not in client.get("/").get_data(as_text=True)


def test_publishing_the_round_up_and_a_comment_on_their_step_tell_the_member(
    app: Flask, client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    roundup = generate(db.session, workshop, users["facilitator"])
    db.session.commit()
    log_in(client, users["facilitator"].email)
    url = f"/workshops/{workshop.slug}/roundup/{roundup.id}"
    page = client.get(url).get_data(as_text=True)
    client.post(
        f"{url}/publish",
        data={"csrf_token": csrf_token_from(page), "visibility": "members", "version": "1"},
    )
    assert any("round-up of “Data sharing” is published" in m for m in notices_of(users["member"]))
    client = signed_in(app, users["lead"])
    page = client.get(url).get_data(as_text=True)
    step_id = workshop_step_id(workshop)
    client.post(
        f"{url}/steps/{step_id}/comments",
        data={"csrf_token": csrf_token_from(page), f"step{step_id}-body": "Happy to co-lead."},
    )
    replies = [m for m in notices_of(users["member"]) if "replied" in m]
    assert replies == ["Test Lead replied in “Data sharing”: Happy to co-lead."]
    second = db.session.scalars(sa.select(User).where(User.email.like("second%"))).one()
    assert not [m for m in notices_of(second) if "replied" in m]  # not their post


def test_with_smtp_configured_members_get_an_email_with_the_link(
    client: FlaskClient, workshop: Workshop, users: dict[str, User], inbox: Inbox
) -> None:
    log_in(client, users["lead"].email)
    open_a_vote(client, workshop)
    recipients = sorted(r for rcpt, _ in inbox.messages for r in rcpt)
    assert recipients == sorted(
        [users["facilitator"].email, users["member"].email, "second.member@example.test"]
    )
    _, message = inbox.messages[0]
    assert message["From"] == "hub@x.test"
    assert message["Subject"] == "A vote opened in “Data sharing”: What first?"
    body = message.get_payload(decode=True).decode()
    assert f"http://localhost/workshops/{workshop.slug}/next-steps/votes/" in body
    emailed = db.session.scalars(sa.select(Notice.emailed_at)).all()
    assert emailed and all(at is not None for at in emailed)


def test_a_mail_server_that_is_down_never_breaks_the_page(
    app: Flask, client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    try:
        log_in(client, users["lead"].email)
        open_a_vote(client, workshop)  # still a redirect, not a 500
    finally:
        app.config.pop("MAIL_SERVER")
        app.config.pop("MAIL_PORT")
    assert notices_of(users["member"])  # the notice waits on the home page
