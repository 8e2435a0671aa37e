"""Importing a 10,000-row CSV (read, every row checked, stored; tagging aside) against the
baseline of pandas reading the same file plus one SQLAlchemy bulk insert of the same rows.

Target: at most 2x the baseline. Runs on a fresh SQLite file database migrated with
flask_migrate.upgrade, as `make run` would have it. Prints both medians and the ratio.
"""

import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_migrate import upgrade

from insights import create_app
from insights.extensions import db
from insights.statements.imports import import_file, plan_for
from insights.statements.models import Statement
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from insights.workshops.services import create_workshop

ROWS = 10_000
REPEATS = 7
TARGET_RATIO = 2.0
KINDS = ["need", "source", "challenge", "collected", "idea"]
BOROUGHS = ["Hackney", "Camden", "Islington", "Tower Hamlets", "Lambeth", "E09000033"]


def write_csv(path: Path, round_number: int, rows: int = ROWS) -> Path:
    """A realistic file of typed-up post-its: five kinds, 40 new organisations, six boroughs."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "kind", "organisation", "borough", "author"])
        for n in range(rows):
            writer.writerow(
                [
                    f"Post-it {n}: we need borough-level data on volunteering and small groups",
                    KINDS[n % len(KINDS)],
                    f"Organisation {n % 40} of round {round_number}",
                    BOROUGHS[n % len(BOROUGHS)],
                    f"Participant {n % 16}",
                ]
            )
    return path


def baseline(path: Path, workshop: Workshop, target: Any = Statement) -> None:
    """pandas reads the file; one bulk insert (ORM by default) stores its rows as statements."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    now = utcnow()
    rows = [
        {
            "workshop_id": workshop.id,
            "kind": record["kind"],
            "text": record["text"],
            "original_text": record["text"],
            "author_name": record["author"],
            "created_at": now,
            "updated_at": now,
        }
        for record in frame.to_dict("records")
    ]
    db.session.execute(sa.insert(target), rows)
    db.session.commit()


def core_baseline(path: Path, workshop: Workshop) -> None:
    """The baseline with a Core insert into the table, as the import itself does: for reference."""
    baseline(path, workshop, Statement.__table__)


def ours(path: Path, workshop: Workshop) -> None:
    """The real import: read, map, check every row, resolve organisations, store, commit."""
    plan = plan_for(db.session, workshop)
    result = import_file(db.session, plan, path.read_bytes(), path.name)
    db.session.commit()
    assert result.count == ROWS


def timed(run: Callable[[Path, Workshop], None], path: Path) -> float:
    """Seconds one run takes, into a workshop of its own (deleting 10,000 rows is slow)."""
    workshop = create_workshop(db.session, "Benchmark workshop")
    db.session.commit()
    start = time.perf_counter()
    run(path, workshop)
    return time.perf_counter() - start


def main() -> int:
    """Time both, alternating, REPEATS times each; print medians and the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        url = "sqlite:///" + str(root / "bench.sqlite3")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            times: dict[str, list[float]] = {"baseline": [], "import": [], "core": []}
            timed(ours, write_csv(root / "warm-up.csv", -1))  # first imports, statement caches
            for round_number in range(REPEATS):
                path = write_csv(root / f"postits-{round_number}.csv", round_number)
                times["baseline"].append(timed(baseline, path))
                times["import"].append(timed(ours, path))
                times["core"].append(timed(core_baseline, path))
            db.engine.dispose()
    base, mine, core = (statistics.median(times[k]) for k in ("baseline", "import", "core"))
    ratio = mine / base
    print(f"import of {ROWS:,} CSV rows, median of {REPEATS}: {mine * 1000:.0f} ms")
    print(f"baseline (pandas read + one ORM bulk insert): {base * 1000:.0f} ms")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x)")
    print(
        f"for reference, against pandas + a Core insert ({core * 1000:.0f} ms): {mine / core:.2f}x"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
