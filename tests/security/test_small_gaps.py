"""Findings: no HSTS; backups written 0644 with password hashes; proxy headers (with none
trusted, every user behind the README's TLS proxy shared 127.0.0.1); javascript: landing
pages stored and drawn; the delete and restore `next` field not checked."""

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from gunicorn.app.base import BaseApplication

from insights import create_app
from insights.auth.models import User
from insights.core.links import safe_link
from insights.datasets.models import Dataset
from insights.datasets.services import create_dataset
from insights.extensions import db
from tests.conftest import config_for
from tests.factories import csrf_token_from, log_in, make_statement, make_workshop


def test_insights_serve_sends_hsts(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    started: list[Any] = []
    monkeypatch.setattr(BaseApplication, "run", lambda server: started.append(server))
    monkeypatch.delenv("INSIGHTS_HSTS_SECONDS", raising=False)
    from insights.ops.serve import serve_command

    serve_command.main(args=[], standalone_mode=False)
    assert started and os.environ["INSIGHTS_HSTS_SECONDS"] == str(365 * 24 * 3600)
    app = create_app({**config_for(database_url), "HSTS_SECONDS": 31536000})
    response = app.test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    monkeypatch.delenv("INSIGHTS_HSTS_SECONDS")


def test_backups_are_readable_by_their_owner_only(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    out.write_text("old")
    out.chmod(0o644)
    assert runner.invoke(args=["backup", "--out", str(out)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_proxy_headers_count_only_when_a_proxy_count_is_set(database_url: str) -> None:
    def address(**settings: object) -> str:
        app = create_app({**config_for(database_url), **settings})
        seen: list[str] = []

        @app.route("/_whoami")
        def whoami() -> str:
            from flask import request

            seen.append(request.remote_addr or "")
            return ""

        whoami.allowed_roles = "public"  # type: ignore[attr-defined]
        app.test_client().get("/_whoami", headers={"X-Forwarded-For": "203.0.113.9"})
        return seen[0]

    assert address() == "127.0.0.1"
    assert address(PROXY_COUNT=1) == "203.0.113.9"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "javascript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        " https://x y",
    ],
)
def test_only_http_https_and_mailto_links_are_kept(url: str) -> None:
    assert safe_link(url) == ""


def test_safe_links_pass_unchanged() -> None:
    for url in ("https://data.london.gov.uk/", "http://example.org/a?b=1", "mailto:a@b.org"):
        assert safe_link(url) == url


def test_a_javascript_landing_page_is_neither_stored_nor_drawn(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    dataset = create_dataset(db.session, {"title": "Sneaky", "landing_page": "javascript:x()"}, [])
    drawn = Dataset(title="Old row", landing_page="javascript:alert(document.cookie)")
    db.session.add(drawn)
    db.session.commit()
    assert dataset.landing_page == ""
    log_in(client, users["member"].email)
    page = client.get(f"/datasets/{drawn.id}/").get_data(as_text=True)
    assert 'href="javascript:' not in page and "javascript:alert" in page


def test_delete_and_restore_only_go_back_to_this_site(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Next", users["facilitator"])
    statement = make_statement(db.session, workshop, "A post-it")
    db.session.commit()
    log_in(client, users["facilitator"].email)
    token = csrf_token_from(client.get("/").text)
    base = f"/workshops/{workshop.slug}/statements/{statement.id}"
    for action in ("delete", "restore"):
        response = client.post(
            f"{base}/{action}", data={"csrf_token": token, "next": "https://evil.example/"}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == f"/workshops/{workshop.slug}/board"
