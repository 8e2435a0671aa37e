"""Validating and pooling a London-wide round: 33 boroughs × 500 organisations × 40 fields,
each borough's file read, mapped, validated with frictionless, added up and stored, then the
pool built and suppressed (target < 5 s); and the pooled-data page with its map served by the
app (target < 1 s, median of 20).

Runs on a fresh SQLite file database migrated with flask_migrate.upgrade, as `make run` has it.
"""

import csv
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from insights import create_app
from insights.auth.services import create_user
from insights.extensions import db
from insights.pooling.services import pool, published_rows
from insights.reference import london_boroughs
from insights.standards.library import library_fields
from insights.standards.models import DataStandard, StandardField, StandardVersion
from insights.standards.services import add_library_field, publish
from insights.submissions.services import Slot, process, start
from insights.workshops.models import WorkshopMember
from insights.workshops.services import create_workshop

BOROUGHS, ORGANISATIONS, FIELDS = 33, 500, 40
POOL_TARGET, PAGE_TARGET = 5.0, 1.0
PASSWORD = "benchmark password"  # noqa: S105 (a throw-away benchmark account)


def forty_fields(version: StandardVersion, user) -> None:  # type: ignore[no-untyped-def]
    """The starter library's twelve fields and 28 more: half counts, half five-way questions."""
    for item in library_fields():
        add_library_field(db.session, version, item.name, user)
    for n in range(FIELDS - len(version.fields)):
        coded = n % 2 == 0
        version.fields.append(
            StandardField(
                position=len(version.fields),
                name=f"question_{n + 1:02d}",
                title=f"Question {n + 1}",
                type="string" if coded else "integer",
                allowed_values=[{"code": c, "label": c} for c in "abcde"] if coded else [],
                minimum=None if coded else 0,
                required=True,
            )
        )
    db.session.flush()


def borough_file(version: StandardVersion, borough: str, seed: int) -> bytes:
    """One borough's survey: 500 organisations' answers to every field."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f.name for f in version.fields])
    for _ in range(ORGANISATIONS):
        writer.writerow([value(f, rng, borough) for f in version.fields])
    return buffer.getvalue().encode()


def value(item: StandardField, rng: random.Random, borough: str) -> str:
    """A plausible answer to one field."""
    if item.name == "borough_of_operation":
        return borough
    if item.codes:
        return rng.choice(item.codes)
    if item.name == "organisation_identifier":
        return f"GB-CHC-{rng.randint(200000, 1199999)}"
    if item.name == "charity_number":
        return str(rng.randint(200000, 1199999))
    return str(rng.randint(0, 90000 if item.type == "number" else 60))


def main() -> int:
    """Time the round and the page; print the figures and the ratios to their targets."""
    with tempfile.TemporaryDirectory() as folder:
        url = "sqlite:///" + str(Path(folder) / "bench.sqlite3")
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            upgrade()
            lead = create_user(db.session, "lead@bench.test", "Lead", "lead", PASSWORD)
            workshop = create_workshop(db.session, "Benchmark workshop")
            workshop.memberships.append(WorkshopMember(user=lead, role="member"))
            db.session.flush()
            standard = DataStandard(
                workshop_id=workshop.id, slug="bench", title="Benchmark standard"
            )
            version = StandardVersion(number=1)
            standard.versions.append(version)
            db.session.add(standard)
            db.session.flush()
            forty_fields(version, lead)
            publish(db.session, version, version.version, lead)
            db.session.commit()
            boroughs = london_boroughs()[:BOROUGHS]
            files = [borough_file(version, name, seed) for seed, (_, name) in enumerate(boroughs)]
            started, cpu = time.perf_counter(), time.process_time()
            for (code, name), data in zip(boroughs, files, strict=True):
                submission = start(
                    db.session, Slot(version, code, 2025), f"{name} CVS", lead, (data, "survey.csv")
                )
                assert process(db.session, submission).state == "accepted"
            db.session.commit()
            stored = time.perf_counter() - started
            rows = published_rows(pool(db.session, standard))
            total = time.perf_counter() - started
            cpu = time.process_time() - cpu
            page = page_times(app, standard.id, workshop.slug)
            db.engine.dispose()
    size = f"{BOROUGHS} boroughs × {ORGANISATIONS} organisations × {FIELDS} fields"
    print(f"validate, add up and store {size}: {stored:.2f} s")
    print(f"... then pool and suppress ({len(rows):,} published figures): {total:.2f} s in all")
    print(
        f"    target < {POOL_TARGET:.0f} s: ratio {total / POOL_TARGET:.2f}; CPU time {cpu:.2f} s"
    )
    print(f"pooled-data page with the map, median of 20: {page * 1000:.0f} ms")
    print(f"    target < {PAGE_TARGET:.0f} s: ratio {page / PAGE_TARGET:.2f}")
    return 0 if total < POOL_TARGET and page < PAGE_TARGET else 1


def page_times(app, standard_id: int, slug: str) -> float:  # type: ignore[no-untyped-def]
    """The median time to serve the pooled-data page (comparison, map, listing)."""
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "lead@bench.test", "password": PASSWORD})
    assert response.status_code == 302
    url = f"/workshops/{slug}/standards/{standard_id}/pool?field=paid_staff"
    assert b"<svg" in client.get(url).data
    times = []
    for _ in range(20):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
