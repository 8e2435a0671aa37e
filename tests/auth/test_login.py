"""Logging in and out, lock-out after repeated failures, changing a password."""

from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from tests.factories import PASSWORD, csrf_token_from, log_in


def post_login(client: FlaskClient, email: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    return client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )


def test_login_with_the_right_password_opens_the_start_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    response = post_login(client, "  Facilitator@Example.test ", PASSWORD)
    assert response.status_code == 302
    assert "Hello, Test Facilitator" in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, users: dict[str, User]
) -> None:
    wrong_password = post_login(client, "member@example.test", "not the password")
    unknown_email = post_login(client, "nobody@example.test", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 200
    message = "That email and password don&#39;t match an account, or the account is locked"
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)


def test_account_locks_after_five_failures_even_with_the_right_password(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for _ in range(5):
        post_login(client, "member@example.test", "wrong wrong wrong")
    response = post_login(client, "member@example.test", PASSWORD)
    assert "or the account is locked" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_does_not_redirect_to_another_site(
    client: FlaskClient, users: dict[str, User]
) -> None:
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post(
        "/auth/login?next=//evil.example/steal",
        data={"email": "member@example.test", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client: FlaskClient, users: dict[str, User]) -> None:
    log_in(client, "lead@example.test")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 302


def test_change_password_needs_the_current_one(client: FlaskClient, users: dict[str, User]) -> None:
    log_in(client, "member@example.test")
    token = csrf_token_from(client.get("/auth/password").get_data(as_text=True))
    form = {
        "current": "not it",
        "new": "a brand new password",
        "confirm": "a brand new password",
        "csrf_token": token,
    }
    refused = client.post("/auth/password", data=form)
    assert "The current password is not right." in refused.get_data(as_text=True)

    accepted = client.post("/auth/password", data={**form, "current": PASSWORD})
    assert accepted.status_code == 302
    db.session.expire_all()
    assert users["member"].check_password("a brand new password")


def test_passwords_are_stored_as_scrypt_hashes(users: dict[str, User]) -> None:
    assert users["member"].password_hash.startswith("scrypt:")
    assert PASSWORD not in users["member"].password_hash


def test_session_cookie_is_httponly_and_samesite(
    client: FlaskClient, users: dict[str, User]
) -> None:
    response = post_login(client, "member@example.test", PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
