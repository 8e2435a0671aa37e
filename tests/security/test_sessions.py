"""Findings: a copied session cookie kept working after logout and after a password change;
"1234567890" was accepted as a password; the lock-out's message and timing (7 ms against
about 110 ms) told which accounts exist."""

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.auth.services import AccountError, check_new_password
from insights.extensions import db
from tests.factories import PASSWORD, csrf_token_from, log_in
from tests.security.helpers import forget_last_request


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of this one's session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def signed_in(client: FlaskClient) -> bool:
    """Whether the client's session still opens the start page."""
    forget_last_request()
    return client.get("/").status_code == 200


def test_a_copied_cookie_stops_working_after_logout(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    log_in(client, users["lead"].email)
    stolen = copy_of(app, client)
    assert signed_in(stolen)
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    assert not signed_in(client)
    assert not signed_in(stolen)


def test_a_password_change_ends_every_other_session_but_this_one(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    log_in(client, users["member"].email)
    elsewhere = copy_of(app, client)
    token = csrf_token_from(client.get("/auth/password").text)
    new = "paper lantern orbit seventeen"
    form = {"current": PASSWORD, "new": new, "confirm": new, "csrf_token": token}
    assert client.post("/auth/password", data=form).status_code == 302
    assert signed_in(client)
    assert not signed_in(elsewhere)
    db.session.expire_all()
    assert users["member"].check_password(new)


@pytest.mark.parametrize(
    "weak", ["1234567890", "password123", "qwertyuiop", "0000000000000", "member@example.test1"]
)
def test_common_and_all_digit_passwords_are_refused(weak: str) -> None:
    with pytest.raises(AccountError):
        check_new_password(weak, "member@example.test", "Test Member")


def test_the_password_form_refuses_a_weak_password(
    client: FlaskClient, users: dict[str, User]
) -> None:
    log_in(client, users["member"].email)
    token = csrf_token_from(client.get("/auth/password").text)
    form = {"current": PASSWORD, "new": "1234567890", "confirm": "1234567890", "csrf_token": token}
    response = client.post("/auth/password", data=form)
    assert response.status_code == 200 and "digits only" in response.text
    db.session.expire_all()
    assert users["member"].check_password(PASSWORD)


def timed_login(client: FlaskClient, email: str, password: str) -> tuple[float, str]:
    """Seconds one log-in attempt took, and the message it got."""
    token = csrf_token_from(client.get("/auth/login").text)
    started = time.perf_counter()
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    elapsed = time.perf_counter() - started
    return elapsed, response.text.split('class="flash flash-error">')[1].split("<")[0]


def test_a_locked_account_and_an_unknown_email_look_the_same(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for _ in range(5):
        timed_login(client, "member@example.test", "wrong wrong wrong")
    locked = [timed_login(client, "member@example.test", PASSWORD) for _ in range(5)]
    unknown = [timed_login(client, "nobody@example.test", PASSWORD) for _ in range(5)]
    assert {message for _, message in locked} == {message for _, message in unknown}
    fastest_locked = min(seconds for seconds, _ in locked)
    fastest_unknown = min(seconds for seconds, _ in unknown)
    # Both check a scrypt hash; before, the locked account answered 15 times faster.
    assert 0.5 < fastest_locked / fastest_unknown < 2, (fastest_locked, fastest_unknown)
