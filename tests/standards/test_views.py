"""The standard, submission and pooling pages through the test client, CSRF and all."""

import io
import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from insights.auth.models import User
from insights.datasets.models import NeedDatasetLink
from insights.extensions import db
from insights.pooling.models import PoolRelease
from insights.standards.models import DataStandard
from insights.submissions.models import Submission
from tests.factories import csrf_token_from, log_in
from tests.standards.builders import filled_csv, workshop_with_needs


def switch_to(client: FlaskClient, email: str) -> None:
    """Log out, then log in as someone else."""
    client.post(
        "/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))}
    )
    log_in(client, email)


def post(client: FlaskClient, page: str, url: str, **data: object):  # type: ignore[no-untyped-def]
    """Post a form of the page at `page`, with its CSRF token."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_a_lead_drafts_publishes_and_members_submit_and_see_the_pool(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = workshop_with_needs(db.session, users["lead"], users["member"])
    db.session.commit()
    log_in(client, users["lead"].email)
    board = client.get(f"/workshops/{workshop.slug}/board").get_data(as_text=True)
    assert "Data standard" in board
    base = f"/workshops/{workshop.slug}/standards/"
    response = post(client, base, base + "draft", title="London minimum data set")
    assert response.status_code == 302
    standard = db.session.scalar(sa.select(DataStandard))
    page = f"{base}{standard.id}/v1"
    html = client.get(page).get_data(as_text=True)
    assert "London minimum data set" in html and "volunteers" in html and "draft" in html
    publish_form = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    assert publish_form
    response = post(client, page, f"{page}/publish", version=publish_form.group(1))
    assert "Version 1 is published." in client.get(page).get_data(as_text=True)
    template = client.get(f"{page}/template.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.data))["Data"]["A1"].value
    assert client.get(f"{page}/dictionary").status_code == 200
    assert (
        client.get(f"{page}/questions.txt").headers["Content-Type"] == "text/plain; charset=utf-8"
    )

    version = standard.versions[0]
    switch_to(client, users["member"].email)
    submit = f"{base}{standard.id}/submit"
    good = filled_csv(version, "Hackney", 12)
    lines = good.decode().splitlines()
    header = lines[0].split(",")
    cells = lines[4].split(",")
    cells[header.index("paid_staff")] = "-3"
    bad = "\n".join([*lines[:4], ",".join(cells), *lines[5:]]).encode()
    form = {
        "version": version.id,
        "organisation": "Hackney CVS",
        "borough": "E09000012",
        "year": "2024",
    }
    refused = post(client, submit, submit, **form, file=(io.BytesIO(bad), "survey.csv"))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "nothing was stored" in text and "row 5, column &#39;paid_staff&#39;" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
    accepted = post(client, submit, submit, **form, file=(io.BytesIO(good), "survey.csv"))
    assert accepted.status_code == 302
    listing = client.get(f"{base}{standard.id}/submissions").get_data(as_text=True)
    assert "Accepted: 12 responses from Hackney CVS for Hackney, 2024." in listing

    again = post(
        client,
        submit,
        submit,
        **form,
        file=(io.BytesIO(filled_csv(version, "Hackney", 9, seed=4)), "again.csv"),
    )
    assert "/confirm" in again.headers["Location"]
    confirm = again.headers["Location"]
    post(client, confirm, confirm, choice="replace")
    statuses = db.session.scalars(sa.select(Submission.status).order_by(Submission.id)).all()
    assert statuses == ["replaced", "current"]

    endorse = post(client, page, f"{page}/endorse")
    assert endorse.status_code == 302
    post(client, page, f"{page}/comment", body="Can we add a question on reserves?")
    html = client.get(page).get_data(as_text=True)
    assert "Endorsed by Test Member." in html and "Can we add a question on reserves?" in html

    pool_page = f"{base}{standard.id}/pool"
    pooled = client.get(pool_page + "/pooled.csv").get_data(as_text=True)
    assert "Hackney" in pooled and "organisations responding" in pooled
    html = client.get(pool_page + "?field=paid_staff").get_data(as_text=True)
    assert "<svg" in html and "Hackney" in html and "Who has submitted for 2024" in html
    assert client.get(pool_page + "/map.svg?field=income_band").mimetype == "image/svg+xml"
    assert "Publish the pooled data" not in html  # members read, leads publish

    switch_to(client, users["lead"].email)
    published = post(client, pool_page, pool_page + "/publish")
    assert published.status_code == 302 and "/datasets/" in published.headers["Location"]
    dataset_page = client.get(published.headers["Location"]).get_data(as_text=True)
    assert "pooled data by borough and year" in dataset_page
    release = db.session.scalar(sa.select(PoolRelease))
    links = db.session.scalars(
        sa.select(NeedDatasetLink).where(NeedDatasetLink.dataset_id == release.dataset_id)
    ).all()
    assert links and all(link.status == "confirmed" for link in links)
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(dataset_page)})
    open_page = client.get(f"/open-data/{release.id}/")
    assert open_page.status_code == 200 and "<svg" in open_page.get_data(as_text=True)
    release_csv = client.get(f"/open-data/{release.id}/data.csv")
    assert release_csv.headers["Content-Type"] == "text/csv; charset=utf-8"  # said once
    assert client.get(f"/open-data/{release.id}/dcat.json").get_json()["@type"] == "dcat:Dataset"


def test_members_may_not_draft_or_edit_a_standard(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    workshop = workshop_with_needs(db.session, users["lead"], users["member"])
    db.session.commit()
    log_in(client, users["member"].email)
    base = f"/workshops/{workshop.slug}/standards/"
    html = client.get(base).get_data(as_text=True)
    assert "Draft from the needs" not in html
    assert post(client, base, base + "draft").status_code == 403
