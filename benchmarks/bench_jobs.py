"""The job queue's own cost, with jobs that have nothing to do (re-tags of an empty workshop)
on the embedded SQLite queue and one real `insights worker` with two threads:

- throughput: 200 jobs queued at once, all done; target at least 5 jobs/s;
- latency: 20 jobs queued one at a time, each waited for: the time from the commit that
  queues a job to its end, which a facilitator waits beyond the work itself; target a median
  under 2 s (an idle worker polls the SQLite queue at most every second).

Run: .venv/bin/python benchmarks/bench_jobs.py [--jobs N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from insights import create_app  # noqa: E402
from insights.extensions import db  # noqa: E402
from insights.jobs import Job, enqueue  # noqa: E402
from insights.workshops.services import create_workshop  # noqa: E402

RATE_TARGET, MEDIAN_TARGET_S = 5.0, 2.0
LATENCY_SAMPLE = 20
INSIGHTS = str(Path(sys.executable).with_name("insights"))


def worker_env(url: str, instance: str) -> dict[str, str]:
    """The worker's settings: this database, this instance folder's queue."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSIGHTS_")}
    env.update(INSIGHTS_DATABASE_URL=url, INSIGHTS_INSTANCE_PATH=instance)
    env["INSIGHTS_SECRET_KEY"] = "bench"  # noqa: S105  (a throwaway database)
    return env


def run(count: int, folder: str) -> tuple[float, list[float]]:
    """Queue the jobs with a worker running; seconds for all, and the one-at-a-time waits."""
    url, instance = f"sqlite:///{folder}/bench.sqlite3", f"{folder}/instance"
    os.environ["INSIGHTS_INSTANCE_PATH"] = instance
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        workshop_id = create_workshop(db.session, "Empty workshop").id
        db.session.commit()
        command = [INSIGHTS, "worker", "--threads", "2"]
        worker = subprocess.Popen(command, env=worker_env(url, instance))
        try:
            time.sleep(15)  # let the worker start (it imports spaCy) before the clock runs
            started = time.perf_counter()
            for number in range(count):
                enqueue(db.session, "retag", {}, title=f"Job {number}", workshop_id=workshop_id)
                db.session.commit()
            while unfinished():
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            waits = [one_job_wait(workshop_id) for _ in range(LATENCY_SAMPLE)]
        finally:
            worker.terminate()
            worker.wait()
    return elapsed, waits


def one_job_wait(workshop_id: int) -> float:
    """Seconds from committing one job to seeing it done."""
    started = time.perf_counter()
    enqueue(db.session, "retag", {}, title="One job", workshop_id=workshop_id)
    db.session.commit()
    while unfinished():
        time.sleep(0.02)
    return time.perf_counter() - started


def unfinished() -> int:
    """How many jobs have not ended yet."""
    db.session.expire_all()
    query = sa.select(sa.func.count(Job.id)).where(Job.status.in_(("queued", "running")))
    return int(db.session.scalar(query) or 0)


def main() -> int:
    """Time the jobs and print the figures against their targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    count = parser.parse_args().jobs
    with tempfile.TemporaryDirectory() as folder:
        elapsed, waits = run(count, folder)
    rate = count / elapsed
    median = statistics.median(waits)
    p95 = statistics.quantiles(waits, n=20)[-1]
    met = rate >= RATE_TARGET and median <= MEDIAN_TARGET_S
    print(
        f"{count} jobs in {elapsed:.1f} s: {rate:,.1f} jobs/s (target >= {RATE_TARGET}); "
        f"one at a time, queued to done: median {median:.2f} s (target <= {MEDIAN_TARGET_S}), "
        f"95th percentile {p95:.2f} s {'OK' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
