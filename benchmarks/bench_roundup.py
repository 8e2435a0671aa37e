"""A round-up of a 2,000-post-it workshop: drawing it < 2 s, and every download < 10 s.

Run: .venv/bin/python benchmarks/bench_roundup.py
"""

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from insights import create_app  # noqa: E402
from insights.extensions import db  # noqa: E402
from insights.nextsteps.models import NextStep  # noqa: E402
from insights.roundups.exports import FORMATS, export  # noqa: E402
from insights.roundups.services import generate  # noqa: E402
from insights.statements.models import NeedDetail, Statement  # noqa: E402
from insights.themes.models import StatementTheme, Theme  # noqa: E402
from insights.workshops.models import Workshop  # noqa: E402

DRAW_TARGET, EXPORT_TARGET = 2.0, 10.0
STATEMENTS, STEPS = 2_000, 40
KINDS = ("need", "need", "source", "challenge", "collected", "idea")


def fill(seed: int = 1) -> Workshop:
    """A workshop of synthetic post-its, 1–3 themes each, and ranked next steps."""
    rng = random.Random(seed)
    workshop = Workshop(slug="bench", title="Benchmark workshop")
    db.session.add(workshop)
    db.session.flush()
    theme_ids = list(db.session.scalars(sa.select(Theme.id)))
    for i in range(STATEMENTS):
        kind = rng.choice(KINDS)
        text = f"Post-it {i}: borough data about volunteering and grants, number {rng.random():.4f}"
        statement = Statement(workshop_id=workshop.id, kind=kind, original_text=text, text=text)
        if kind == "need":
            statement.need = NeedDetail(role="As a CVS director", goal=text)
        db.session.add(statement)
        db.session.flush()
        for theme_id in rng.sample(theme_ids, rng.randint(1, 3)):
            db.session.add(StatementTheme(statement_id=statement.id, theme_id=theme_id))
    for i in range(STEPS):
        db.session.add(NextStep(workshop_id=workshop.id, title=f"Step {i}", effort="S", impact=3))
    db.session.commit()
    return workshop


def main() -> int:
    """Time drawing the round-up and each download; print the figures and the ratios."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context(), app.test_request_context():
            upgrade()
            workshop = fill()
            started = time.perf_counter()
            roundup = generate(db.session, workshop, None)
            db.session.commit()
            drawn = time.perf_counter() - started
            print(f"draw: {drawn:.2f} s (target {DRAW_TARGET} s, ratio {drawn / DRAW_TARGET:.2f})")
            started = time.perf_counter()
            for fmt in FORMATS:
                one = time.perf_counter()
                size = len(export(db.session, roundup, workshop, fmt))
                print(f"  {fmt}: {time.perf_counter() - one:.2f} s, {size:,} bytes")
            exported = time.perf_counter() - started
            ratio = exported / EXPORT_TARGET
            print(f"every download: {exported:.2f} s (target {EXPORT_TARGET} s, ratio {ratio:.2f})")
            db.engine.dispose()
    return 0 if drawn <= DRAW_TARGET and exported <= EXPORT_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
