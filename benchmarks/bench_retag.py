"""`insights nlp retag` over 10,000 statements in a fresh, migrated SQLite database:

- throughput at least 70% of bare `nlp.pipe` with the same pipeline on the same texts and
  the same number of processes;
- at least 5x the throughput of tagging one statement at a time (with a commit each);
- a second run with nothing changed under 5% of the first.

Run: .venv/bin/python benchmarks/bench_retag.py [--statements N]
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from insights import create_app  # noqa: E402
from insights.extensions import db  # noqa: E402
from insights.reference import london_boroughs  # noqa: E402
from insights.statements.models import Statement  # noqa: E402
from insights.themes.retag import processes_for  # noqa: E402
from insights.themes.services import (  # noqa: E402
    current_gazetteer,
    current_taxonomy,
    pipeline_for,
    tag_statements,
)
from insights.workshops.services import create_workshop  # noqa: E402
from nlp.evaluate import read_gold_csv  # noqa: E402

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "theme_dev_set.csv"
PIPE_TARGET, ONE_BY_ONE_TARGET, SECOND_RUN_TARGET = 0.70, 5.0, 0.05
ONE_BY_ONE_SAMPLE = 300


def synthetic_texts(count: int, seed: int = 1) -> list[str]:
    """Post-it-like texts: the dev set's wordings, each with a borough, so no two are alike."""
    rng = random.Random(seed)
    base = [text for text, _ in read_gold_csv(DEV_SET)]
    boroughs = [name for _, name in london_boroughs()]
    return [f"{rng.choice(base)} (noted in {rng.choice(boroughs)}, #{i})" for i in range(count)]


def fresh_app(folder: str) -> Flask:
    """The app on a new SQLite database, migrated to the latest revision."""
    url = f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
    return app


def add_statements(texts: list[str]) -> None:
    """One workshop holding every text as an untagged statement."""
    workshop = create_workshop(db.session, "Benchmark workshop")
    db.session.flush()
    exercise_ids = [e.id for e in workshop.exercises]
    rows = [
        {
            "workshop_id": workshop.id,
            "exercise_id": exercise_ids[i % len(exercise_ids)],
            "kind": "challenge",
            "original_text": text,
            "text": text,
            "source": "import",
            "mentions": [],
            "version": 1,
        }
        for i, text in enumerate(texts)
    ]
    db.session.execute(sa.insert(Statement), rows)
    db.session.commit()


def timed_retag(app: Flask) -> float:
    """Seconds for `insights nlp retag`, run through the CLI."""
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["nlp", "retag"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return elapsed


def one_at_a_time_rate(sample: int) -> float:
    """Statements per second tagging one statement per call, committing each."""
    ids = db.session.scalars(sa.select(Statement.id).order_by(Statement.id).limit(sample)).all()
    started = time.perf_counter()
    for statement_id in ids:
        statement = db.session.get(Statement, statement_id)
        assert statement is not None
        tag_statements(db.session, [statement], force=True)
        db.session.commit()
    return len(ids) / (time.perf_counter() - started)


def report(name: str, figure: float, unit: str, ratio: float, target: float, low: bool) -> bool:
    """Print one figure with its ratio to the target; whether it meets it."""
    met = ratio <= target if low else ratio >= target
    sign = "<" if low else ">="
    print(
        f"{name}: {figure:,.1f} {unit}; ratio {ratio:.3f} (target {sign} {target}) "
        f"{'OK' if met else 'MISSED'}"
    )
    return met


def main() -> int:
    """Build the database, time bare nlp.pipe, retag, one-at-a-time and a second retag."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=10_000)
    count = parser.parse_args().statements
    texts = synthetic_texts(count)
    with tempfile.TemporaryDirectory() as folder:
        app = fresh_app(folder)
        with app.app_context():
            add_statements(texts)
            pipeline = pipeline_for(current_taxonomy(db.session), current_gazetteer(db.session))
            processes = processes_for(count)  # bare nlp.pipe gets as many as retag uses
            started = time.perf_counter()
            for _ in pipeline.pipe(texts, batch_size=512, n_process=processes):
                pass
            pipe_rate = count / (time.perf_counter() - started)
            first = timed_retag(app)
            retag_rate = count / first
            second = timed_retag(app)
            single_rate = one_at_a_time_rate(min(ONE_BY_ONE_SAMPLE, count))
            db.session.remove()
    print(
        f"{count} statements; bare nlp.pipe ({processes} processes) {pipe_rate:,.0f}/s; "
        f"first retag {first:.1f} s"
    )
    results = [
        report(
            "retag vs nlp.pipe",
            retag_rate,
            "statements/s",
            retag_rate / pipe_rate,
            PIPE_TARGET,
            low=False,
        ),
        report(
            "retag vs one at a time",
            single_rate,
            "statements/s one at a time",
            retag_rate / single_rate,
            ONE_BY_ONE_TARGET,
            low=False,
        ),
        report(
            "second retag, nothing changed",
            second,
            "s",
            second / first,
            SECOND_RUN_TARGET,
            low=True,
        ),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
