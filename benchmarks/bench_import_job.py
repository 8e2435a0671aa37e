"""A 10,000-row post-it upload confirmed on its preview, through the app as a facilitator
uses it, with one real `insights worker` running: the confirm request only queues the
"import" job and returns; the job checks and stores the rows in chunks with progress.

Prints how long each request took (upload, preview, confirm), the time from the confirm to
the import job's end (post-its stored, report ready; their tagging is a further job), and, to
compare, the same confirm done in the request (the limit raised above the file's rows).

Run: .venv/bin/python benchmarks/bench_import_job.py
"""

import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from benchmarks.bench_import import write_csv  # noqa: E402
from insights import create_app  # noqa: E402
from insights.extensions import db  # noqa: E402
from insights.jobs import Job  # noqa: E402
from insights.statements.models import Statement  # noqa: E402
from tests.factories import csrf_token_from, log_in, make_user, make_workshop  # noqa: E402

ROWS = 10_000
INSIGHTS = str(Path(sys.executable).with_name("insights"))


def worker_env(url: str, instance: str) -> dict[str, str]:
    """The worker's settings: this database, this instance folder's queue and uploads."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSIGHTS_")}
    env.update(INSIGHTS_DATABASE_URL=url, INSIGHTS_INSTANCE_PATH=instance)
    env["INSIGHTS_SECRET_KEY"] = "bench"  # noqa: S105  (a throwaway database)
    return env


def timed(call: Any) -> tuple[Any, float]:
    """A call's answer and its seconds."""
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def upload_and_preview(
    client: FlaskClient, slug: str, data: bytes
) -> tuple[str, dict, float, float]:  # type: ignore[type-arg]
    """Upload the file and open its preview; the preview's URL, its form, and both times."""
    url = f"/workshops/{slug}/import/upload"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    form = {"csrf_token": token, "file": (io.BytesIO(data), "wall.csv"), "kind": ""}
    response, upload_s = timed(
        lambda: client.post(url, data=form, content_type="multipart/form-data")
    )
    preview_url = response.headers["Location"]
    page, preview_s = timed(lambda: client.get(preview_url).get_data(as_text=True))
    selects = re.findall(r'<select id="(columns-\d+)" name="\1">(.*?)</select>', page, re.S)
    mapping = {n: re.search(r'<option selected value="([^"]*)"', o).group(1) for n, o in selects}  # type: ignore[union-attr]
    fields = {"csrf_token": csrf_token_from(page), "kind": "", "confirm": "Import", **mapping}
    return preview_url, fields, upload_s, preview_s


def measure(client: FlaskClient, slug: str, data: bytes) -> dict[str, float]:
    """Upload, preview and confirm as a job; seconds of each request and confirm → done."""
    preview_url, fields, upload_s, preview_s = upload_and_preview(client, slug, data)
    started = time.perf_counter()
    response = client.post(preview_url, data=fields)
    confirm_s = time.perf_counter() - started
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    while True:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job is not None and job.status in ("done", "failed"):
            break
        time.sleep(0.05)
    done_s = time.perf_counter() - started
    assert job.status == "done", job.error
    return {"upload": upload_s, "preview": preview_s, "confirm": confirm_s, "done": done_s}


def in_request(app: Flask, client: FlaskClient, slug: str, data: bytes) -> float:
    """The same confirm with the import done in the request: its seconds."""
    app.config["IMPORT_IN_REQUEST_ROWS"] = ROWS * 2
    preview_url, fields, _, _ = upload_and_preview(client, slug, data)
    _, seconds = timed(lambda: client.post(preview_url, data=fields))
    return seconds


def main() -> None:
    """Set up a database and a worker, then measure both ways on fresh workshops."""
    with tempfile.TemporaryDirectory() as folder:
        url, instance = f"sqlite:///{folder}/bench.sqlite3", f"{folder}/instance"
        os.environ["INSIGHTS_INSTANCE_PATH"] = instance
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        data = write_csv(Path(folder) / "wall.csv", 1).read_bytes()
        with app.app_context():
            upgrade()
            user = make_user(db.session, "facilitator", "bench@example.test")
            queued = make_workshop(db.session, "Queued import", user)
            direct = make_workshop(db.session, "Import in the request", user)
            db.session.commit()
            client = app.test_client()
            log_in(client, user.email)
            worker = subprocess.Popen([INSIGHTS, "worker"], env=worker_env(url, instance))
            try:
                time.sleep(15)  # the worker imports spaCy before it takes jobs
                figures = measure(client, queued.slug, data)
            finally:
                worker.terminate()
                worker.wait()
            direct_s = in_request(app, client, direct.slug, data)
            stored = db.session.scalar(
                sa.select(sa.func.count()).where(Statement.workshop_id == queued.id)
            )
    print(
        f"{ROWS:,}-row upload: {figures['upload']:.2f} s; preview page {figures['preview']:.2f} s"
    )
    print(f"confirm request (queues the job): {figures['confirm'] * 1000:.0f} ms")
    print(f"confirm → import job done ({stored:,} post-its stored): {figures['done']:.2f} s")
    print(f"the same confirm importing in the request: {direct_s:.2f} s")


if __name__ == "__main__":
    main()
