"""Venue mode: never with the published demo password; links from the venue address; staff
log-in from other machines over plain http only when allowed, with a warning on every page."""

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.auth.services import find_user
from insights.demo.services import DEMO_PASSWORD, load_demo
from insights.extensions import db
from insights.workshops.services import enable_participant_link
from tests.factories import make_workshop

OTHER_MACHINE = {"REMOTE_ADDR": "10.0.0.23"}  # a phone's address, as the app sees it (no traffic)


@pytest.fixture
def demo(app: Flask) -> None:
    load_demo(db.session)
    db.session.commit()


def test_venue_mode_refuses_to_start_with_the_demo_password(
    runner: FlaskCliRunner, demo: None
) -> None:
    result = runner.invoke(args=["venue", "--address", "127.0.0.2", "--dry-run"], input="n\n")
    assert result.exit_code != 0
    assert "facilitator@example.org" in result.output
    assert "never with published passwords" in result.output
    assert "join at" not in result.output


def test_venue_mode_offers_new_passwords_then_prints_the_link_and_its_qr_code(
    runner: FlaskCliRunner, demo: None
) -> None:
    accounts = 3
    answers = "y\n" + "a new venue password\n" * 2 * accounts
    result = runner.invoke(args=["venue", "--address", "127.0.0.2", "--dry-run"], input=answers)
    assert result.exit_code == 0, result.output
    facilitator = find_user(db.session, "facilitator@example.org")
    assert facilitator is not None and not facilitator.check_password(DEMO_PASSWORD)
    assert facilitator.check_password("a new venue password")
    assert "Venue mode: the app is at http://127.0.0.2:5000/" in result.output
    assert "▀" in result.output or "█" in result.output  # the QR code, drawn in the terminal


def test_venue_mode_will_not_take_the_demo_password_as_the_new_one(
    runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    users["member"].set_password(DEMO_PASSWORD)
    db.session.commit()
    answers = f"y\n{DEMO_PASSWORD}\n{DEMO_PASSWORD}\nanother good one\nanother good one\n"
    result = runner.invoke(args=["venue", "--address", "127.0.0.2", "--dry-run"], input=answers)
    assert result.exit_code == 0, result.output
    assert "That is the published demo password." in result.output


def test_the_printed_link_is_each_live_workshops_participant_link(
    runner: FlaskCliRunner, users: dict[str, User]
) -> None:
    workshop = make_workshop(db.session, "Room day", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    expected = f"http://127.0.0.2:5077/p/{workshop.participant_token}"
    result = runner.invoke(args=["venue", "--address", "127.0.0.2", "--port", "5077", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Participants of “Room day” join at: {expected}" in result.output


def test_staff_log_in_from_another_machine_is_refused_in_venue_mode(
    app: Flask, client: FlaskClient
) -> None:
    app.config["VENUE_MODE"] = True
    response = client.get("/auth/login", environ_base=OTHER_MACHINE)
    assert response.status_code == 403
    assert "Staff log-in over the venue" in response.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # from the laptop itself


def test_participant_pages_work_from_other_machines_in_venue_mode(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    app.config["VENUE_MODE"] = True
    workshop = make_workshop(db.session, "Phones", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    page = client.get(f"/p/{workshop.participant_token}", environ_base=OTHER_MACHINE)
    assert page.status_code == 200
    assert "Add a post-it" in page.get_data(as_text=True)


def test_allowing_http_staff_log_in_shows_a_warning_on_every_page(
    app: Flask, client: FlaskClient
) -> None:
    app.config.update(VENUE_MODE=True, VENUE_HTTP_STAFF_LOGIN=True)
    response = client.get("/auth/login", environ_base=OTHER_MACHINE)
    assert response.status_code == 200
    assert "Staff log-in over plain http is on" in response.get_data(as_text=True)


def test_outside_venue_mode_there_is_no_warning(client: FlaskClient) -> None:
    assert "Staff log-in over plain http" not in client.get("/auth/login").get_data(as_text=True)
