"""Tagging one statement on save, with the model loaded: median under 20 ms; and the whole
capture save through the test client (form, CSRF, insert, tag, commit, card HTML): median
server time under 50 ms over 200 saves.

Run: .venv/bin/python benchmarks/bench_tag_one.py
"""

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_retag import fresh_app, synthetic_texts  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from insights.auth.services import create_user  # noqa: E402
from insights.extensions import db  # noqa: E402
from insights.statements.models import Statement  # noqa: E402
from insights.themes.services import (  # noqa: E402
    current_gazetteer,
    current_taxonomy,
    pipeline_for,
    tag_statements,
)
from insights.workshops.models import Workshop, WorkshopMember  # noqa: E402
from insights.workshops.services import create_workshop  # noqa: E402

SAVES = 200
TAG_TARGET_MS, SAVE_TARGET_MS = 20.0, 50.0
PASSWORD = "bench password 1"  # noqa: S105  (a throwaway account in a temporary database)


def set_up(app: Flask) -> Workshop:
    """A facilitator and the workshop they run; the model loaded once."""
    user = create_user(db.session, "f@example.test", "Facilitator", "facilitator", PASSWORD)
    workshop = create_workshop(db.session, "Benchmark workshop")
    workshop.memberships.append(WorkshopMember(user=user, role="facilitator"))
    db.session.commit()
    pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))
    return workshop


def tag_one_times(workshop: Workshop, texts: list[str]) -> list[float]:
    """Milliseconds to tag each newly saved statement (tags flushed, as on save)."""
    times = []
    for text in texts:
        statement = Statement(workshop_id=workshop.id, kind="need", original_text=text, text=text)
        db.session.add(statement)
        db.session.flush()
        started = time.perf_counter()
        tag_statements(db.session, [statement])
        times.append((time.perf_counter() - started) * 1000)
        db.session.commit()
    return times


def capture_times(client: FlaskClient, workshop: Workshop, texts: list[str]) -> list[float]:
    """Milliseconds for each capture POST, as the capture page's script sends it."""
    page = client.get(f"/workshops/{workshop.slug}/capture").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the capture page"
    exercise_id = workshop.exercises[0].id
    times = []
    for text in texts:
        data = {"csrf_token": token.group(1), "text": text, "exercise_id": exercise_id}
        started = time.perf_counter()
        response = client.post(
            f"/workshops/{workshop.slug}/capture",
            data=data,
            headers={"Accept": "application/json"},
        )
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return times


def log_in(client: FlaskClient) -> None:
    """Log in through the form."""
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    data = {"email": "f@example.test", "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/auth/login", data=data).status_code == 302


def main() -> int:
    """Print the medians and their ratios to the targets."""
    texts = synthetic_texts(2 * SAVES, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(folder)
        with app.app_context():
            workshop = set_up(app)
            tag_ms = statistics.median(tag_one_times(workshop, texts[:SAVES]))
            client = app.test_client()
            log_in(client)
            save_ms = statistics.median(capture_times(client, workshop, texts[SAVES:]))
            db.session.remove()
    ok = tag_ms < TAG_TARGET_MS and save_ms < SAVE_TARGET_MS
    print(
        f"tag one statement on save: median {tag_ms:.1f} ms "
        f"(target {TAG_TARGET_MS:.0f} ms, ratio {tag_ms / TAG_TARGET_MS:.2f})"
    )
    print(
        f"capture save through the test client: median {save_ms:.1f} ms over {SAVES} "
        f"(target {SAVE_TARGET_MS:.0f} ms, ratio {save_ms / SAVE_TARGET_MS:.2f})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
