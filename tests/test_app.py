"""The factory's configuration, the secret key, error pages, headers and the health check."""

import os
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from insights import create_app
from insights.auth.models import User
from insights.config import instance_secret_key
from tests.factories import log_in


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path: Path) -> None:
    first = instance_secret_key(tmp_path)
    assert len(first) == 64
    assert instance_secret_key(tmp_path) == first
    assert os.stat(tmp_path / "secret_key").st_mode & 0o077 == 0


def test_environment_variables_configure_the_app(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INSIGHTS_DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("INSIGHTS_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("INSIGHTS_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite3")
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("INSIGHTS_DATABASE_URL", raising=False)
    monkeypatch.delenv("INSIGHTS_SECRET_KEY", raising=False)
    monkeypatch.setenv("INSIGHTS_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/insights.sqlite3"
    assert (tmp_path / "secret_key").exists()


def test_unknown_page_gets_the_friendly_404(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("member")
    response = client.get("/workshops/no-such-workshop/")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_no_stack_trace(app: Flask, client: FlaskClient) -> None:
    from insights.access import public

    def broken() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/broken", "broken", public(broken))
    response = client.get("/broken")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_pages_carry_security_headers(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_health_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_a_member_sees_only_workshops_they_belong_to(
    client: FlaskClient, users: dict[str, User]
) -> None:
    from insights.extensions import db
    from tests.factories import make_workshop

    make_workshop(db.session, "Ours", users["member"])
    make_workshop(db.session, "Someone else's")
    db.session.commit()
    log_in(client, users["member"].email)
    page = client.get("/workshops/").get_data(as_text=True)
    assert "Ours" in page and "Someone else" not in page
    assert client.get("/workshops/someone-else-s/").status_code == 404


def test_control_characters_are_removed_from_every_query_and_form_value(app: Flask) -> None:
    from flask import request

    with app.test_request_context(
        "/?q=ward%00data", method="POST", data={"text": "line one\x00\nline\ttwo\x07"}
    ):
        assert request.args["q"] == "warddata"
        assert request.form["text"] == "line one\nline\ttwo"
