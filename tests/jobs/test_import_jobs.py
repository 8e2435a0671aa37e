"""Big uploads confirmed on their preview are imported by an "import" job: in chunks with
checkpoints and progress, from the kept parsed upload, ending with the in-request report;
a worker killed mid-import leaves a job the next worker finishes with every row stored once."""

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.extensions import db
from insights.jobs import Job
from insights.statements.models import Statement
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_workshop
from tests.jobs.processes import kill, process_env, queueing_app, start, stop, wait_until

DATA = Path(__file__).resolve().parents[1] / "data" / "statements"
BIG_FILE_ROWS = 4_000


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A workshop the facilitator runs."""
    workshop = make_workshop(db.session, "Data about the sector", users["facilitator"])
    db.session.commit()
    return workshop


def postits_csv(count: int) -> bytes:
    """A typed-up wall of `count` distinct need post-its."""
    lines = ["Post-it,Kind"] + [
        f"We need ward-level volunteering data for area {n},need" for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def upload_and_confirm(client: FlaskClient, workshop: Workshop, data: bytes, name: str):  # type: ignore[no-untyped-def]
    """Upload a file through the form and confirm its preview as guessed; the response."""
    url = f"/workshops/{workshop.slug}/import/upload"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(data), name), "kind": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    selects = re.findall(r'<select id="(columns-\d+)" name="\1">(.*?)</select>', page, re.S)
    mapping = {
        name: re.search(r'<option selected value="([^"]*)"', options).group(1)  # type: ignore[union-attr]
        for name, options in selects
    }
    form = {"csrf_token": csrf_token_from(page), "kind": "", "confirm": "Import", **mapping}
    return client.post(preview_url, data=form), preview_url


def stored_texts(workshop_id: int) -> list[str]:
    """The workshop's post-its' texts."""
    db.session.expire_all()
    query = sa.select(Statement.text).where(Statement.workshop_id == workshop_id)
    return list(db.session.scalars(query))


def import_audit_entries() -> int:
    """How many imports the audit log recorded."""
    query = sa.select(sa.func.count()).where(AuditEntry.action == "statement.import")
    return int(db.session.scalar(query) or 0)


def test_a_file_over_the_limit_is_imported_by_a_job_whose_page_shows_the_report(
    app: Flask, client: FlaskClient, users: dict[str, User], workshop: Workshop, tmp_path: Path
) -> None:
    app.config.update(
        IMPORT_UPLOAD_FOLDER=str(tmp_path / "imports"),
        IMPORT_IN_REQUEST_ROWS=3,
        IMPORT_JOB_CHUNK_ROWS=2,
    )
    log_in(client, users["facilitator"].email)
    response, preview_url = upload_and_confirm(
        client, workshop, (DATA / "workshop_postits.csv").read_bytes(), "w.csv"
    )
    job = db.session.scalar(sa.select(Job).where(Job.kind == "import"))
    assert job is not None and response.headers["Location"].endswith(f"/jobs/{job.id}")
    assert (job.status, job.done, job.total, job.workshop_id) == ("done", 5, 5, workshop.id)
    assert job.params["target"] == "statements" and "rows" in job.params
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 post-its are being imported in the background." in page
    assert "<li>5 post-its added</li>" in page
    assert len(stored_texts(workshop.id)) == 5 and import_audit_entries() == 1
    upload_page = client.get(f"/workshops/{workshop.slug}/import/upload").get_data(as_text=True)
    assert f'The last background import: <a href="/jobs/{job.id}">' in upload_page
    assert list((tmp_path / "imports").iterdir()) == []  # the kept upload is gone
    assert client.get(preview_url).status_code == 404  # and cannot be confirmed twice
    # The same file again: every row is already in the workshop, so nothing is left to
    # store and the (empty) import stays in the request, adding none.
    response, _ = upload_and_confirm(
        client, workshop, (DATA / "workshop_postits.csv").read_bytes(), "w.csv"
    )
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "0 post-its added; 5 already in the workshop, skipped." in page
    assert len(stored_texts(workshop.id)) == 5


def test_a_file_within_the_limit_is_still_imported_in_the_request(
    app: Flask, client: FlaskClient, users: dict[str, User], workshop: Workshop, tmp_path: Path
) -> None:
    app.config.update(IMPORT_UPLOAD_FOLDER=str(tmp_path / "imports"), IMPORT_IN_REQUEST_ROWS=5)
    log_in(client, users["facilitator"].email)
    response, _ = upload_and_confirm(
        client, workshop, (DATA / "workshop_postits.csv").read_bytes(), "w.csv"
    )
    assert response.headers["Location"].endswith(f"/workshops/{workshop.slug}/")
    queued = sa.select(sa.func.count()).select_from(Job).where(Job.kind == "import")
    assert db.session.scalar(queued) == 0
    assert len(stored_texts(workshop.id)) == 5


def test_a_worker_killed_mid_import_leaves_a_job_the_next_worker_ends_with_every_row_once(
    database_url: str, users: dict[str, User], workshop: Workshop, tmp_path: Path
) -> None:
    instance = tmp_path / "instance"
    env = process_env(database_url, instance, IMPORT_JOB_CHUNK_ROWS="40")
    queuer = queueing_app(database_url, instance)
    queuer.config.update(IMPORT_IN_REQUEST_ROWS=100, WTF_CSRF_ENABLED=True)
    with queuer.app_context():
        client = queuer.test_client()
        log_in(client, users["facilitator"].email)
        response, _ = upload_and_confirm(client, workshop, postits_csv(BIG_FILE_ROWS), "wall.csv")
        assert "/jobs/" in response.headers["Location"]
        job_id = int(response.headers["Location"].rsplit("/", 1)[1])
        db.session.remove()
        db.engine.dispose()

    def job() -> Job:
        db.session.expire_all()
        found = db.session.get(Job, job_id)
        assert found is not None
        return found

    first = start(["worker"], env, tmp_path / "worker-1.log")
    try:
        wait_until(lambda: 0 < job().done < job().total, 150, "the import to store some chunks")
    finally:
        kill(first)
    killed = job()
    assert killed.status == "running" and 0 < killed.done < BIG_FILE_ROWS
    assert len(stored_texts(workshop.id)) == killed.done  # each chunk committed with progress
    second = start(["worker"], env, tmp_path / "worker-2.log")
    try:
        wait_until(lambda: job().status == "done", 150, "the next worker to finish the import")
    finally:
        stop(second)
    finished = job()
    assert (finished.attempts, finished.done, finished.total) == (2, BIG_FILE_ROWS, BIG_FILE_ROWS)
    assert finished.result is not None and finished.result["lines"][0] == "4,000 post-its added"
    texts = stored_texts(workshop.id)
    assert len(texts) == len(set(texts)) == BIG_FILE_ROWS  # every row once: none doubled
    assert import_audit_entries() == 1
