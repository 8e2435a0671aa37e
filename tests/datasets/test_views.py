"""Catalogue and link pages: roles, privacy, stale edits, uploads and confirming links."""

import io
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.auth.models import User
from insights.datasets.models import Dataset, NeedDatasetLink
from insights.datasets.services import load_starter_catalogue
from insights.extensions import db
from tests.factories import csrf_token_from, make_statement, make_user, make_workshop

FILES = Path(__file__).resolve().parents[1] / "data" / "datasets"


def token(client: FlaskClient, url: str = "/datasets/") -> str:
    """A CSRF token from a page."""
    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_members_read_the_catalogue_but_see_no_edit_buttons(
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    load_starter_catalogue(db.session)
    db.session.commit()
    login("member")
    page = client.get("/datasets/?q=grants").get_data(as_text=True)
    assert "GrantNav" in page
    assert "Add a dataset" not in page


def test_a_stale_edit_gets_a_conflict_and_never_overwrites(
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    dataset = Dataset(title="Directory", keywords=[], extra={})
    db.session.add(dataset)
    db.session.commit()
    login("facilitator")
    csrf = token(client, f"/datasets/{dataset.id}/edit")
    form = {
        "csrf_token": csrf,
        "title": "Directory A",
        "access": "open",
        "granularity": "",
        "holder_organisation_id": "",
        "version": "1",
    }
    assert client.post(f"/datasets/{dataset.id}/edit", data=form).status_code == 302
    stale = client.post(f"/datasets/{dataset.id}/edit", data={**form, "title": "Directory B"})
    assert stale.status_code == 409
    assert "Someone else saved this dataset" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dataset, dataset.id).title == "Directory A"  # type: ignore[union-attr]


def test_an_invalid_upload_shows_the_error_and_writes_nothing(
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login("lead")
    data = {
        "csrf_token": token(client, "/datasets/import"),
        "file": (io.BytesIO((FILES / "missing_title.csv").read_bytes()), "missing_title.csv"),
    }
    page = client.post("/datasets/import", data=data, content_type="multipart/form-data")
    assert "Nothing was imported. Rows without a title: line 3." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Dataset.id))) == 0


def upload_catalogue(client: FlaskClient, content: bytes, name: str) -> str:
    """Upload a catalogue file through the form; the preview page's address."""
    data = {"csrf_token": token(client, "/datasets/import"), "file": (io.BytesIO(content), name)}
    response = client.post("/datasets/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return str(response.headers["Location"])


def confirm(client: FlaskClient, preview_url: str, button: str = "confirm"):  # type: ignore[no-untyped-def]
    """Press a button of the preview page."""
    page = client.get(preview_url).get_data(as_text=True)
    return client.post(preview_url, data={"csrf_token": csrf_token_from(page), button: "x"})


def dataset_count() -> int:
    """How many datasets the catalogue holds."""
    return int(db.session.scalar(sa.select(sa.func.count(Dataset.id))) or 0)


def test_an_upload_of_a_ckan_search_is_previewed_then_imported_with_a_report(
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login("facilitator")
    content = (FILES / "ckan_package_search.json").read_bytes()
    preview_url = upload_catalogue(client, content, "s.json")
    page = client.get(preview_url).get_data(as_text=True)
    assert "<dt>Format</dt><dd>CKAN API JSON</dd>" in page
    assert "<dt>Encoding</dt><dd>UTF-8</dd>" in page
    assert "<dt>Datasets</dt><dd>3</dd>" in page
    assert "<strong>3</strong> datasets will be added" in page
    assert "Import 3 datasets" in page
    assert dataset_count() == 0  # the preview writes nothing
    report = confirm(client, preview_url).get_data(as_text=True)
    assert "s.json (CKAN API JSON):" in report and "<li>3 datasets added</li>" in report
    assert dataset_count() == 3
    assert client.get(preview_url).status_code == 404  # the token is spent
    # Again: the preview says every dataset is unchanged, and nothing is doubled.
    again = upload_catalogue(client, content, "s.json")
    page = client.get(again).get_data(as_text=True)
    assert "<strong>0</strong> datasets will be added" in page
    assert "<strong>3</strong> will be left unchanged" in page
    report = confirm(client, again).get_data(as_text=True)
    assert "<li>0 datasets added</li>" in report and "<li>3 already up to date</li>" in report
    assert dataset_count() == 3


def test_cancelling_a_catalogue_preview_imports_nothing(
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    login("lead")
    preview_url = upload_catalogue(client, (FILES / "data.json").read_bytes(), "data.json")
    response = confirm(client, preview_url, "cancel")
    assert response.status_code == 302 and dataset_count() == 0
    assert client.get(preview_url).status_code == 404


def test_another_person_cannot_open_someone_elses_catalogue_preview(
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    login("lead")
    preview_url = upload_catalogue(client, (FILES / "data.json").read_bytes(), "data.json")
    client.post("/auth/logout", data={"csrf_token": token(client)})
    login("facilitator")
    assert client.get(preview_url).status_code == 404


def test_a_catalogue_over_the_limit_is_imported_by_a_job_with_the_same_report(
    app: Flask,
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    app.config.update(IMPORT_IN_REQUEST_ROWS=2, IMPORT_JOB_CHUNK_ROWS=2)
    login("facilitator")
    content = (FILES / "ckan_package_search.json").read_bytes()
    response = confirm(client, upload_catalogue(client, content, "s.json"))
    assert "/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 datasets are being imported in the background." in page
    assert "<li>s.json (CKAN API JSON):</li>" in page and "<li>3 datasets added</li>" in page
    assert dataset_count() == 3
    import_page = client.get("/datasets/import").get_data(as_text=True)
    assert "The last background import: <a href=" in import_page  # the report stays reachable


def test_a_need_page_is_hidden_from_people_outside_its_workshop(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    workshop = make_workshop(db.session, "Private", make_user(db.session, "facilitator"))
    need = make_statement(db.session, workshop, "Secret need")
    db.session.commit()
    login("member")
    assert client.get(f"/datasets/needs/{need.id}/").status_code == 404


def test_confirming_a_suggestion_takes_the_need_off_the_gaps_page(
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session, "Gaps", users["facilitator"])
    need = make_statement(db.session, workshop, "Deprivation by ward to target our outreach")
    db.session.commit()
    login("facilitator")
    assert need.text in client.get("/graph/gaps").get_data(as_text=True)
    page = client.get(f"/datasets/needs/{need.id}/").get_data(as_text=True)
    assert "Suggested datasets" in page
    dataset = db.session.scalar(sa.select(Dataset).where(Dataset.title == "Indices of Deprivation"))
    assert dataset is not None
    client.post(
        f"/datasets/needs/{need.id}/links/{dataset.id}",
        data={"csrf_token": csrf_token_from(page), "action": "serves"},
    )
    link = db.session.scalar(sa.select(NeedDatasetLink))
    assert link is not None and (link.status, link.coverage) == ("confirmed", "serves")
    assert link.reasons
    assert need.text not in client.get("/graph/gaps").get_data(as_text=True)


def test_a_source_post_it_becomes_a_dataset_in_one_click(
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    workshop = make_workshop(db.session, "Sources", users["facilitator"])
    source = make_statement(db.session, workshop, "Our borough's youth club list", "source")
    db.session.commit()
    login("facilitator")
    response = client.post(
        f"/datasets/from-statement/{source.id}", data={"csrf_token": token(client)}
    )
    dataset = db.session.scalar(sa.select(Dataset))
    assert dataset is not None
    assert response.headers["Location"].endswith(f"/datasets/{dataset.id}/")
    assert dataset.title == "Our borough's youth club list"
    assert dataset.source_statement_id == source.id


def test_the_graph_data_holds_only_visible_workshops(
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    mine = make_workshop(db.session, "Mine", users["member"])
    other = make_workshop(db.session, "Other")
    make_statement(db.session, mine, "Visible need")
    make_statement(db.session, other, "Hidden need")
    db.session.commit()
    login("member")
    labels = {n["label"] for n in client.get("/graph/data.json").get_json()["nodes"]}
    assert "Visible need" in labels
    assert "Hidden need" not in labels
    assert client.get("/graph/export?format=gexf").status_code == 200


def test_a_need_with_only_weak_matches_shows_under_no_good_match_yet(
    client: FlaskClient,
    users: dict[str, User],
    login,  # type: ignore[no-untyped-def]
) -> None:
    from insights.datasets.suggestions import refresh_workshop_suggestions

    load_starter_catalogue(db.session)
    workshop = make_workshop(db.session, "Gaps", users["facilitator"])
    odd = make_statement(db.session, workshop, "We need allotment waiting list data by ward")
    good = make_statement(db.session, workshop, "Which funders give grants to groups in Newham")
    refresh_workshop_suggestions(db.session, workshop)
    db.session.commit()
    login("facilitator")
    page = client.get("/graph/gaps").get_data(as_text=True)
    unmatched = page.split("No good match yet", 1)[1].split('id="gaps-h"', 1)[0]
    assert odd.text in unmatched and good.text not in unmatched
    need_page = client.get(f"/datasets/needs/{odd.id}/").get_data(as_text=True)
    assert "No good match in the catalogue yet." in need_page
    assert "weak match" in need_page  # folded away under a <details>, not gone
