"""The round-up readers see is drawn once per version, and a change is seen at once."""

from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.roundups.services import publish
from tests.factories import log_in
from tests.roundups.test_views import setup_workshop


def test_the_public_page_is_drawn_once_per_version(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    _, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "public")
    db.session.commit()
    first = client.get(f"/r/{roundup.public_token}")
    assert first.status_code == 200 and roundup.title in first.get_data(as_text=True)
    cache = app.extensions["insights_cache"]
    body = f"roundup-body:{roundup.id}:{roundup.version}:{roundup.status}:{roundup.created_at}"
    assert roundup.title in cache.get(body)
    page = f"roundup-public-page:{roundup.id}:{roundup.version}:{roundup.status}:"
    page += str(roundup.public_token)
    assert cache.get(page) == first.get_data(as_text=True)
    cache.set(page, "<p>drawn from the cache</p>")
    assert "drawn from the cache" in client.get(f"/r/{roundup.public_token}").get_data(as_text=True)


def test_anonymous_readers_get_no_cookie_and_staff_still_get_their_own_page(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    _, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "public")
    db.session.commit()
    for _ in range(2):
        read = client.get(f"/r/{roundup.public_token}")
        assert read.status_code == 200 and "Set-Cookie" not in read.headers
        assert 'name="csrf-token"' not in read.get_data(as_text=True)
    log_in(client, users["facilitator"].email)
    own = client.get(f"/r/{roundup.public_token}").get_data(as_text=True)
    assert users["facilitator"].name in own and 'name="csrf-token"' in own


def test_a_change_to_the_round_up_is_seen_at_once(
    client: FlaskClient, users: dict[str, User]
) -> None:
    _, roundup, _ = setup_workshop(users)
    publish(roundup, roundup.version, "public")
    db.session.commit()
    assert "Renamed for the network" not in client.get(f"/r/{roundup.public_token}").get_data(
        as_text=True
    )
    roundup.title = "Renamed for the network"
    db.session.commit()
    page = client.get(f"/r/{roundup.public_token}").get_data(as_text=True)
    assert "Renamed for the network" in page
