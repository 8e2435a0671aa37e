"""Real `insights worker` processes killed with SIGKILL in the middle of a re-tag: the next
worker finishes the job with no tag doubled or lost; on its last attempt the job is failed
instead, and `insights jobs retry` runs it again to the end."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from insights.auth.models import User
from insights.extensions import db
from insights.jobs import Job, enqueue
from insights.statements.models import Statement
from insights.themes.models import StatementTheme
from insights.themes.retag import retag_in_batches, retag_params, stale_statement_ids
from insights.workshops.models import Workshop
from tests.factories import make_workshop
from tests.jobs.processes import kill, process_env, queueing_app, run, start, stop, wait_until

POST_IT_COUNT = 800
TEXTS = [
    "We need ward-level volunteering data in Hackney to plan recruitment",
    "Grants data for small community groups is hard to find",
    "No time or skills to analyse the survey data we hold",
    "Compare deprivation and funding across boroughs like Camden",
]


@pytest.fixture
def big_workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A workshop with 800 untagged post-its."""
    workshop = make_workshop(db.session, "Big workshop", users["facilitator"])
    exercise_id = workshop.exercises[0].id
    rows = [
        {
            "workshop_id": workshop.id,
            "exercise_id": exercise_id,
            "kind": "need",
            "original_text": f"{TEXTS[n % len(TEXTS)]} (note {n})",
            "text": f"{TEXTS[n % len(TEXTS)]} (note {n})",
        }
        for n in range(POST_IT_COUNT)
    ]
    db.session.execute(sa.insert(Statement), rows)
    db.session.commit()
    return workshop


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """The workers' environment: the test database, a queue in a fresh instance folder."""
    return process_env(database_url, tmp_path / "instance")


def queue_retag(database_url: str, env: dict[str, str], workshop: Workshop, attempts: int) -> int:
    """Queue a re-tag in small batches as a web server would; its job id."""
    queuer = queueing_app(database_url, Path(env["INSIGHTS_INSTANCE_PATH"]))
    with queuer.app_context():
        job = enqueue(
            db.session,
            "retag",
            retag_params(batch_size=20),
            title="Re-tag",
            workshop_id=workshop.id,
            max_attempts=attempts,
        )
        db.session.commit()
        job_id = job.id
        db.session.remove()
        db.engine.dispose()
    return job_id


def job_row(job_id: int) -> Job:
    """The job as stored now."""
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def kill_worker_mid_job(env: dict[str, str], job_id: int, log: Path) -> tuple[str, int]:
    """Start a worker, SIGKILL it once the job has stored some batches but not all; the
    killed worker's id and how many post-its the job had stored."""
    worker = start(["worker"], env, log)
    try:
        wait_until(
            lambda: 0 < job_row(job_id).done < job_row(job_id).total, 150, "the re-tag to start"
        )
    finally:
        kill(worker)
    job = job_row(job_id)
    assert job.status == "running" and 0 < job.done < job.total == POST_IT_COUNT
    return str(job.worker_id), job.done


def tags_by_statement() -> dict[int, list[tuple[int, str, str]]]:
    """Every statement's tags (theme, source, decision), sorted, and nothing else."""
    found: dict[int, list[tuple[int, str, str]]] = {}
    for tag in db.session.scalars(sa.select(StatementTheme)):
        found.setdefault(tag.statement_id, []).append((tag.theme_id, tag.source, tag.decision))
    return {statement_id: sorted(tags) for statement_id, tags in found.items()}


def test_a_retag_killed_mid_way_is_finished_by_the_next_worker_with_no_tag_doubled(
    database_url: str, env: dict[str, str], big_workshop: Workshop, tmp_path: Path
) -> None:
    job_id = queue_retag(database_url, env, big_workshop, attempts=3)
    killed_worker, _ = kill_worker_mid_job(env, job_id, tmp_path / "worker-1.log")
    second = start(["worker"], env, tmp_path / "worker-2.log")
    try:
        wait_until(lambda: job_row(job_id).status == "done", 150, "the next worker to finish")
    finally:
        stop(second)
    job = job_row(job_id)
    assert (job.attempts, job.done, job.total) == (2, POST_IT_COUNT, POST_IT_COUNT)
    assert job.worker_id != killed_worker and job.result == {"tagged": POST_IT_COUNT}
    assert stale_statement_ids(db.session, big_workshop.id) == []
    stored = tags_by_statement()
    assert len(stored) == POST_IT_COUNT
    # Tagging everything again from scratch, in one go, gives exactly the same tags.
    ids = [s.id for s in db.session.scalars(sa.select(Statement).order_by(Statement.id))]
    for _ in retag_in_batches(db.session, ids, force=True):
        db.session.commit()
    assert tags_by_statement() == stored


def test_a_job_whose_worker_died_on_its_last_attempt_fails_and_runs_again_from_the_cli(
    database_url: str, env: dict[str, str], big_workshop: Workshop, tmp_path: Path
) -> None:
    job_id = queue_retag(database_url, env, big_workshop, attempts=1)
    _, stored_before = kill_worker_mid_job(env, job_id, tmp_path / "worker-1.log")
    second = start(["worker"], env, tmp_path / "worker-2.log")
    try:
        wait_until(lambda: job_row(job_id).status == "failed", 150, "the reaper to fail the job")
        failed = job_row(job_id)
        assert failed.error == "Its worker stopped during attempt 1 of 1; run it again."
        assert failed.done == stored_before  # what was stored stays stored
        retried = run(["jobs", "retry", str(job_id)], env)
        assert retried.returncode == 0, retried.stderr
        assert f"Job {job_id} is queued again." in retried.stdout
        wait_until(lambda: job_row(job_id).status == "done", 150, "the job run again")
    finally:
        stop(second)
    job = job_row(job_id)
    assert (job.done, job.total, job.attempts, job.error) == (POST_IT_COUNT, POST_IT_COUNT, 1, "")
    assert stale_statement_ids(db.session, big_workshop.id) == []
