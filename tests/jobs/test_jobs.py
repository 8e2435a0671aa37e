"""The job queue in one process: jobs run once, after the commit that queued them; a claim is a
compare-and-set; a silent worker's job is requeued, then failed after its last attempt, and
"Run again" (page and command) starts it again. Jobs run through the worker's own code, at
once where they are queued (JOBS_IMMEDIATE)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from insights.auth.models import User
from insights.core.enums import JobStatus
from insights.extensions import db
from insights.jobs import Job, JobContext, JobLost, UnknownJobKind, enqueue
from insights.jobs.queue import queue_of
from insights.jobs.worker import claim_job, reap, run_job
from insights.statements.models import Statement
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from tests.factories import csrf_token_from, log_in, make_statement, make_user, make_workshop
from tests.jobs.handlers import RUNS


@pytest.fixture
def workshop(app: Flask, users: dict[str, User]) -> Workshop:
    """A live workshop run by the facilitator, with the lead and member invited."""
    workshop = make_workshop(
        db.session, "Jobs workshop", users["facilitator"], users["lead"], users["member"]
    )
    db.session.commit()
    return workshop


def queue(kind: str, workshop: Workshop | None = None, **options: object) -> Job:
    """Queue a job of this kind (not yet committed)."""
    workshop_id = workshop.id if workshop else None
    params = options.pop("params", {})
    return enqueue(
        db.session, kind, params, title=f"A {kind} job", workshop_id=workshop_id, **options
    )  # type: ignore[arg-type]


def reloaded(job_id: int) -> Job:
    """The job as stored now."""
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def test_a_job_runs_once_and_only_after_the_caller_commits(app: Flask) -> None:
    job = queue("test-count")
    assert job.id not in RUNS and job.status == JobStatus.QUEUED
    db.session.commit()
    stored = reloaded(job.id)
    assert RUNS[job.id] == 1
    assert (stored.status, stored.attempts, stored.result) == ("done", 1, {"runs": 1})
    assert stored.worker_id and stored.started_at and stored.finished_at


def test_a_rolled_back_job_is_neither_stored_nor_run(app: Flask) -> None:
    job_id = queue("test-count").id
    db.session.rollback()
    assert job_id not in RUNS
    assert db.session.get(Job, job_id) is None


def test_a_kind_without_a_handler_is_refused_before_it_is_stored(app: Flask) -> None:
    with pytest.raises(UnknownJobKind):
        queue("no-such-kind")
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


def test_a_job_delivered_twice_runs_once(app: Flask) -> None:
    job = queue("test-count")
    db.session.commit()
    queue_of(app).dispatch(job.id)  # the queue may deliver a message again; the claim holds
    assert run_job(app, job.id) == "skipped"
    assert RUNS[job.id] == 1 and reloaded(job.id).attempts == 1


def test_only_one_worker_can_claim_a_job(app: Flask) -> None:
    job = queue("test-count", dispatch=False)
    db.session.commit()
    assert claim_job(db.session, job.id, "host-a:1") == 1
    assert claim_job(db.session, job.id, "host-b:2") is None
    stored = reloaded(job.id)
    assert (stored.status, stored.worker_id, stored.attempts) == ("running", "host-a:1", 1)


def test_a_handler_error_fails_the_job_with_its_reason(app: Flask) -> None:
    job = queue("test-fail")
    db.session.commit()
    stored = reloaded(job.id)
    assert stored.status == "failed"
    assert stored.error == "ValueError: the catalogue file has no header row"


def test_progress_commits_the_work_so_far_with_a_checkpoint(app: Flask, workshop: Workshop) -> None:
    job = queue("test-post-its", workshop, params={"count": 4})
    db.session.commit()
    stored = reloaded(job.id)
    assert (stored.status, stored.done, stored.total, stored.percent) == ("done", 4, 4, 100)
    assert stored.checkpoint == {"next": 4} and stored.result == {"added": 4}
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 4


def test_a_worker_that_lost_its_job_keeps_none_of_its_unfinished_work(
    app: Flask, workshop: Workshop
) -> None:
    job = queue("test-post-its", workshop, params={"count": 1}, dispatch=False)
    db.session.commit()
    attempt = claim_job(db.session, job.id, "slow-host:1")
    assert attempt == 1
    context = JobContext(db.session, reloaded(job.id), "slow-host:1", attempt)
    make_statement(db.session, workshop, "Written by a worker that was given up on")
    # Meanwhile the reaper gave the job to another worker.
    db.session.execute(sa.update(Job).where(Job.id == job.id).values(worker_id="other:2"))
    with pytest.raises(JobLost):
        context.progress(1, 1)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Statement.id))) == 0


def silent_job(app: Flask, kind: str, workshop: Workshop | None, max_attempts: int) -> Job:
    """A job claimed by a worker that then died (no heartbeat since)."""
    job = queue(kind, workshop, max_attempts=max_attempts, dispatch=False, params={"count": 2})
    db.session.commit()
    claim_job(db.session, job.id, "dead-host:99")
    return job


def test_the_reaper_gives_a_dead_workers_job_to_another_worker(
    app: Flask, workshop: Workshop
) -> None:
    job = silent_job(app, "test-post-its", workshop, max_attempts=3)
    assert reap(db.session, timedelta(seconds=30)) == []  # not silent for long enough yet
    later = utcnow() + timedelta(minutes=5)
    assert reap(db.session, timedelta(seconds=30), now=later) == [job.id]
    stored = reloaded(job.id)  # requeued, then run here at once (JOBS_IMMEDIATE)
    assert (stored.status, stored.attempts, stored.done) == ("done", 2, 2)
    assert stored.worker_id != "dead-host:99"


def test_a_job_whose_worker_died_on_its_last_attempt_is_failed(
    app: Flask, workshop: Workshop
) -> None:
    job = silent_job(app, "test-post-its", workshop, max_attempts=1)
    reap(db.session, timedelta(seconds=30), now=utcnow() + timedelta(minutes=5))
    stored = reloaded(job.id)
    assert stored.status == "failed" and stored.finished_at is not None
    assert stored.error == "Its worker stopped during attempt 1 of 1; run it again."


def test_run_again_on_the_job_page_finishes_a_failed_job(
    app: Flask, client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    job = silent_job(app, "test-post-its", workshop, max_attempts=1)
    reap(db.session, timedelta(seconds=30), now=utcnow() + timedelta(minutes=5))
    login("facilitator")
    jobs_page = client.get(f"/workshops/{workshop.slug}/jobs").get_data(as_text=True)
    assert "A test-post-its job" in jobs_page and "Its worker stopped" in jobs_page
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Failed after 1 attempt(s)" in page and "Run again" in page
    response = client.post(f"/jobs/{job.id}/retry", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    progress = client.get(f"/jobs/{job.id}", headers={"Accept": "application/json"}).get_json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 2, 2)
    assert progress["error"] == "" and progress["attempts"] == 1


def test_run_again_refuses_a_job_that_did_not_fail(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    job = queue("test-count", workshop)
    db.session.commit()
    login("facilitator")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    response = client.post(
        f"/jobs/{job.id}/retry", data={"csrf_token": csrf_token_from(page)}, follow_redirects=True
    )
    assert "Only a job that failed can be run again." in response.get_data(as_text=True)
    assert RUNS[job.id] == 1


def test_run_again_without_the_csrf_token_is_refused(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    job = queue("test-fail", workshop)
    db.session.commit()
    login("facilitator")
    assert client.post(f"/jobs/{job.id}/retry").status_code == 400
    assert reloaded(job.id).status == "failed"


def test_a_lead_of_the_workshop_may_not_see_its_jobs(
    client: FlaskClient, login, workshop: Workshop
) -> None:  # type: ignore[no-untyped-def]
    job = queue("test-count", workshop)
    db.session.commit()
    login("lead")
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/workshops/{workshop.slug}/jobs").status_code == 403


def test_a_facilitator_of_another_workshop_does_not_find_its_jobs(
    client: FlaskClient, workshop: Workshop
) -> None:
    job = queue("test-count", workshop)
    other = make_user(db.session, "facilitator", "other-facilitator@example.test")
    db.session.commit()
    log_in(client, other.email)
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/workshops/{workshop.slug}/jobs").status_code == 404
    assert client.get("/jobs").status_code == 403
    assert client.get("/jobs/2147483647").status_code == 404


def test_admins_see_every_job(client: FlaskClient, login, workshop: Workshop) -> None:  # type: ignore[no-untyped-def]
    queue("test-count", workshop)
    queue("test-count")
    db.session.commit()
    login("admin")
    page = client.get("/jobs").get_data(as_text=True)
    assert page.count("A test-count job") == 2


def test_insights_jobs_list_and_retry(
    app: Flask, runner: FlaskCliRunner, workshop: Workshop
) -> None:
    job = silent_job(app, "test-post-its", workshop, max_attempts=1)
    reap(db.session, timedelta(seconds=30), now=utcnow() + timedelta(minutes=5))
    listed = runner.invoke(args=["jobs", "list", "--workshop", workshop.slug])
    assert listed.exit_code == 0, listed.output
    assert "failed" in listed.output and "attempt 1/1" in listed.output
    retried = runner.invoke(args=["jobs", "retry", str(job.id)])
    assert retried.exit_code == 0, retried.output
    assert reloaded(job.id).status == "done"
    again = runner.invoke(args=["jobs", "retry", str(job.id)])
    assert again.exit_code != 0 and "Only a job that failed" in again.output
    missing = runner.invoke(args=["jobs", "retry", "999999"])
    assert missing.exit_code != 0 and "No job 999999" in missing.output


def test_insights_worker_is_not_needed_when_jobs_run_where_they_are_queued(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(args=["worker"])
    assert result.exit_code != 0 and "JOBS_IMMEDIATE" in result.output
