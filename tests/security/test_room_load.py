"""Finding: rate limits counted by address alone, so fifty participants in one room behind
one NAT got 60 of 1,000 posts in and 940 refusals. With the default limits (per device, and a
room-sized cap per address), every post of such a room is stored, once."""

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.services import enable_participant_link
from tests.factories import csrf_token_from, make_workshop
from tests.security.helpers import forget_last_request

PARTICIPANTS, POSTS_EACH = 50, 20


def test_fifty_phones_behind_one_address_post_twenty_each_and_none_is_refused(
    app: Flask, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "One room", users["facilitator"], status="live")
    token = enable_participant_link(workshop)
    db.session.commit()
    url = f"/p/{token}"
    phones: list[tuple[FlaskClient, str, str]] = []
    for _ in range(PARTICIPANTS):
        phone = app.test_client()  # every phone comes from 127.0.0.1, as behind one NAT
        forget_last_request()
        page = phone.get(url).get_data(as_text=True)
        exercise = re.search(r'<input[^>]*name="exercise_id"[^>]*value="(\d+)"', page)
        assert exercise
        phones.append((phone, csrf_token_from(page), exercise.group(1)))
    statuses = []
    for post in range(POSTS_EACH):  # the room posts in turns, as fast as the app answers
        for number, (phone, csrf, exercise) in enumerate(phones):
            text = f"Phone {number}, post-it {post}: we need volunteering data by ward"
            response = phone.post(
                url,
                data={"csrf_token": csrf, "exercise_id": exercise, "anonymous": "y", "text": text},
            )
            statuses.append(response.status_code)
    assert statuses.count(429) == 0
    assert set(statuses) == {302}
    texts = db.session.scalars(
        sa.select(Statement.text).where(Statement.workshop_id == workshop.id)
    ).all()
    assert len(texts) == len(set(texts)) == PARTICIPANTS * POSTS_EACH


def test_one_phone_posting_past_its_own_limit_is_refused(
    app: Flask, users: dict[str, User]
) -> None:
    app.config["PARTICIPANT_POST_LIMIT"] = "5 per minute"
    workshop = make_workshop(db.session, "Flood", users["facilitator"], status="live")
    token = enable_participant_link(workshop)
    db.session.commit()
    phone, other = app.test_client(), app.test_client()
    statuses = {}
    for name, client in (("phone", phone), ("other", other)):
        forget_last_request()
        page = client.get(f"/p/{token}").get_data(as_text=True)
        exercise = re.search(r'<input[^>]*name="exercise_id"[^>]*value="(\d+)"', page)
        assert exercise
        data = {"csrf_token": csrf_token_from(page), "exercise_id": exercise.group(1)}
        count = 7 if name == "phone" else 1
        statuses[name] = [
            client.post(f"/p/{token}", data={**data, "text": f"{name} {n}"}).status_code
            for n in range(count)
        ]
    assert statuses["phone"] == [302] * 5 + [429] * 2
    assert statuses["other"] == [302]  # the same address, another phone: not refused
