"""The participant link's QR code: a standalone SVG with its namespace, and a PNG to download,
both built from the address participants reach."""

import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.workshops.models import Workshop
from insights.workshops.services import enable_participant_link, revoke_participant_link
from tests.factories import make_workshop
from tests.qr import decode_qr

SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    workshop = make_workshop(db.session, "Room", users["facilitator"], status="live")
    enable_participant_link(workshop)
    db.session.commit()
    return workshop


def test_the_svg_qr_code_declares_its_namespace(client: FlaskClient, login, workshop) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    response = client.get(f"/workshops/{workshop.slug}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data())  # noqa: S314  (our own output)
    assert root.tag == SVG


def test_the_png_download_decodes_to_the_participant_link(
    client: FlaskClient, login, workshop
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    response = client.get(f"/workshops/{workshop.slug}/qr.png")
    assert response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    assert decode_qr(response.get_data()) == [f"http://localhost/p/{workshop.participant_token}"]


def test_links_and_codes_use_the_public_url_when_one_is_set(
    app: Flask, client: FlaskClient, login, workshop
) -> None:  # type: ignore[no-untyped-def]
    app.config["PUBLIC_URL"] = "http://127.0.0.2:5123/"
    login("facilitator")
    expected = f"http://127.0.0.2:5123/p/{workshop.participant_token}"
    page = client.get(f"/workshops/{workshop.slug}/manage").get_data(as_text=True)
    assert f'value="{expected}"' in page
    assert f"http://127.0.0.2:5123/j/{(workshop.participant_token or '')[:8]}" in page
    assert decode_qr(client.get(f"/workshops/{workshop.slug}/qr.png").get_data()) == [expected]


def test_no_code_while_the_link_is_revoked(client: FlaskClient, login, workshop) -> None:  # type: ignore[no-untyped-def]
    revoke_participant_link(workshop)
    db.session.commit()
    login("facilitator")
    assert client.get(f"/workshops/{workshop.slug}/qr.svg").status_code == 404
    assert client.get(f"/workshops/{workshop.slug}/qr.png").status_code == 404


def test_only_the_workshops_facilitators_get_its_code(client: FlaskClient, login, workshop) -> None:  # type: ignore[no-untyped-def]
    login("lead")
    assert client.get(f"/workshops/{workshop.slug}/qr.png").status_code in (403, 404)
