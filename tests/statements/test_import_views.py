"""The paste and upload pages: a mapping preview, then one all-or-nothing import, CSRF and all."""

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.models import Workshop, WorkshopMember
from tests.factories import csrf_token_from, log_in, make_user, make_workshop

DATA = Path(__file__).resolve().parents[1] / "data" / "statements"


@pytest.fixture(autouse=True)
def upload_folder_in_tmp(app: Flask, tmp_path: Path) -> None:
    """Uploads wait in a folder of the test, not in the real instance folder."""
    app.config["IMPORT_UPLOAD_FOLDER"] = str(tmp_path / "imports")


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A workshop every test account belongs to."""
    workshop = make_workshop(db.session, "Data about the sector", *users.values())
    db.session.commit()
    return workshop


@pytest.fixture
def facilitator(client: FlaskClient, users: dict[str, User]) -> User:
    """The test client, logged in as the workshop's facilitator."""
    log_in(client, users["facilitator"].email)
    return users["facilitator"]


def texts() -> list[str]:
    """The stored statements' texts, oldest first."""
    return list(db.session.scalars(sa.select(Statement.text).order_by(Statement.id)))


def upload(client: FlaskClient, workshop: Workshop, data: bytes, name: str, kind: str = ""):  # type: ignore[no-untyped-def]
    """Send a file through the upload form."""
    url = f"/workshops/{workshop.slug}/import/upload"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(data), name), "kind": kind},
        content_type="multipart/form-data",
    )


def selected_mapping(html: str) -> dict[str, str]:
    """The value each mapping select has chosen on a preview page."""
    chosen = {}
    for name, options in re.findall(
        r'<select id="(columns-\d+)" name="\1">(.*?)</select>', html, re.S
    ):
        match = re.search(r'<option selected value="([^"]*)"', options)
        chosen[name] = match.group(1) if match else ""
    return chosen


def upload_folder(app: Flask) -> Path:
    """Where uploads wait for their confirm step."""
    return Path(app.config["IMPORT_UPLOAD_FOLDER"])


def test_paste_page_adds_post_its_with_kind_prefixes(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    url = f"/workshops/{workshop.slug}/import/paste"
    page = client.get(url).get_data(as_text=True)
    assert "Post-its, one per line" in page
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token_from(page),
            "exercise": "sources",
            "text": "The Charity Commission register\n\nchallenge: no time to analyse data\n",
        },
    )
    assert response.status_code == 302
    assert texts() == ["The Charity Commission register", "no time to analyse data"]
    kinds = db.session.scalars(sa.select(Statement.kind).order_by(Statement.id)).all()
    assert kinds == ["source", "challenge"]
    assert "2 post-its added" in client.get(
        response.headers["Location"], follow_redirects=True
    ).get_data(as_text=True)


def test_paste_page_with_a_bad_line_adds_nothing_and_names_the_line(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    url = f"/workshops/{workshop.slug}/import/paste"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    text = "Fine post-it\n" + "x" * 20_001
    response = client.post(url, data={"csrf_token": token, "exercise": "uses", "text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was imported" in page
    assert "<strong>line 2</strong>: The answer is 20,001 characters long" in page
    assert texts() == []


def test_upload_preview_guesses_the_mapping_and_confirm_imports_every_row(
    app: Flask, client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    response = upload(client, workshop, (DATA / "workshop_postits.csv").read_bytes(), "w.csv")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert '<th scope="col">Post-it</th>' in page
    assert "We need borough-level volunteering data" in page
    assert "Every row is ready to import." in page
    assert "Import 5 post-its" in page
    mapping = selected_mapping(page)
    assert mapping == {
        "columns-0": "text",
        "columns-1": "kind",
        "columns-2": "organisation",
        "columns-3": "borough",
        "columns-4": "author",
        "columns-5": "date",
    }
    assert len(list(upload_folder(app).iterdir())) == 2  # the read table, and its bytes
    response = client.post(
        preview_url,
        data={"csrf_token": csrf_token_from(page), "kind": "", "confirm": "Import", **mapping},
    )
    assert response.status_code == 302
    assert len(texts()) == 5
    assert list(upload_folder(app).iterdir()) == []
    assert client.get(preview_url).status_code == 404  # the token is spent


def test_upload_preview_lets_a_person_remap_columns_before_importing(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    data = b"Said,Stuff\nPool data across boroughs,Ama\nAgree small steps,Ben\n"
    preview_url = upload(client, workshop, data, "odd.csv", kind="idea").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "No column holds the post-it text" in page
    token = csrf_token_from(page)
    checked = client.post(
        preview_url,
        data={
            "csrf_token": token,
            "kind": "idea",
            "columns-0": "text",
            "columns-1": "author",
            "check": "Check again",
        },
    ).get_data(as_text=True)
    assert "Every row is ready to import." in checked
    assert texts() == []
    client.post(
        preview_url,
        data={
            "csrf_token": token,
            "kind": "idea",
            "columns-0": "text",
            "columns-1": "author",
            "confirm": "Import",
        },
    )
    rows = db.session.execute(sa.select(Statement.kind, Statement.author_name)).all()
    assert sorted(tuple(r) for r in rows) == [("idea", "Ama"), ("idea", "Ben")]


def test_upload_with_a_bad_row_shows_it_by_row_and_confirm_imports_nothing(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    preview_url = upload(
        client, workshop, (DATA / "one_bad_row.csv").read_bytes(), "b.csv"
    ).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    expected = "<strong>row 7</strong>, column <strong>borough</strong>: &#39;Narnia&#39;"
    assert expected + " is not a London borough." in page
    mapping = selected_mapping(page)
    response = client.post(
        preview_url, data={"csrf_token": csrf_token_from(page), "confirm": "Import", **mapping}
    )
    assert response.status_code == 200
    assert "Narnia" in response.get_data(as_text=True)
    assert texts() == []


def test_upload_refuses_binary_bytes_on_the_upload_page_and_keeps_nothing(
    app: Flask, client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    data = b"text,kind\n" + bytes(range(256)) * 4
    response = upload(client, workshop, data, "binary.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The file is not text in UTF-8, UTF-16 or a Windows encoding: line 3" in page
    assert not upload_folder(app).exists() or list(upload_folder(app).iterdir()) == []


def test_upload_of_a_windows_1252_file_is_read_and_the_preview_says_so(
    app: Flask, client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    response = upload(client, workshop, (DATA / "latin1.csv").read_bytes(), "latin1.csv")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file was read as Windows-1252 text (it is not UTF-8)." in page
    assert "Données sur le bénévolat" in page


def test_upload_without_a_file_asks_for_one(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    url = f"/workshops/{workshop.slug}/import/upload"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    page = client.post(url, data={"csrf_token": token}).get_data(as_text=True)
    assert "Choose a CSV, XLSX or Trello board file to upload." in page


def test_upload_over_10_mb_is_refused(
    client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    big = b"text,kind\n" + b"x" * (10 * 1024 * 1024)
    response = upload(client, workshop, big, "big.csv")
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_cancel_deletes_the_waiting_file(
    app: Flask, client: FlaskClient, workshop: Workshop, facilitator: User
) -> None:
    preview_url = upload(client, workshop, b"text\nWords\n", "w.csv").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    response = client.post(
        preview_url, data={"csrf_token": csrf_token_from(page), "cancel": "Cancel"}
    )
    assert response.status_code == 302
    assert list(upload_folder(app).iterdir()) == []
    assert texts() == []


def test_another_person_cannot_open_someone_elses_upload(
    app: Flask, workshop: Workshop, facilitator: User, client: FlaskClient
) -> None:
    preview_url = upload(client, workshop, b"text,kind\nWords,need\n", "w.csv").headers["Location"]
    other = make_user(db.session, "facilitator")
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=other.id, role="facilitator"))
    db.session.commit()
    log_out(client)
    log_in(client, other.email)  # same browser, so the same session cookie: still refused
    assert client.get(preview_url).status_code == 404


def log_out(client: FlaskClient) -> None:
    """Log out through the form."""
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/auth/logout", data={"csrf_token": token})


def test_import_pages_are_for_facilitators_of_visible_workshops(
    client: FlaskClient, workshop: Workshop, users: dict[str, User]
) -> None:
    log_in(client, users["member"].email)
    assert client.get(f"/workshops/{workshop.slug}/import/paste").status_code == 403
    hidden = make_workshop(db.session, "Someone else's workshop")
    outsider = make_user(db.session, "facilitator")
    db.session.commit()
    client.post(
        "/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    )
    log_in(client, outsider.email)
    assert client.get(f"/workshops/{hidden.slug}/import/upload").status_code == 404
    assert client.get(f"/workshops/{hidden.slug}/import/paste").status_code == 404
