"""Running jobs: claim one with a compare-and-set, run its handler with progress and a
heartbeat, and record how it ended; the reaper requeues the jobs of workers that died.

Every change to a job's row goes through an UPDATE … WHERE that names the state the change
expects (queued, or running under this worker and attempt), so two workers can never both
run a job, and a worker that lost its job (the reaper gave it to another) stops at its next
progress report with nothing of its unfinished batch kept."""

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from insights.core.enums import JobStatus
from insights.extensions import DbSession, db
from insights.jobs.models import Job
from insights.jobs.queue import queue_of
from insights.jobs.registry import UnknownJobKind, handler_for
from insights.jobs.services import dispatch_after_commit
from insights.timeutil import utcnow

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]


class JobLost(Exception):
    """The job is no longer this worker's (the reaper requeued it): stop without saving."""


def worker_name() -> str:
    """This process's name in the jobs table: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@dataclass
class JobContext:
    """What a handler gets: the session to work in, the job's inputs, and progress reports.

    The handler changes data through `session` and never commits: each `progress()` call
    commits the work done so far together with the job's progress, so a resumed attempt
    can start after the last `checkpoint` with nothing done twice."""

    session: DbSession
    job: Job
    worker: str
    attempt: int
    on_progress: ProgressCallback | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The job's inputs, as queued."""
        return dict(self.job.params or {})

    @property
    def checkpoint(self) -> dict[str, Any]:
        """What the last attempt recorded with its last progress report ({} at first)."""
        return dict(self.job.checkpoint or {})

    def progress(
        self, done: int, total: int | None = None, *, checkpoint: dict[str, Any] | None = None
    ) -> None:
        """Commit the work so far with the job's progress (and where to resume from)."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["total"] = total
        if checkpoint is not None:
            values["checkpoint"] = checkpoint
        self.session.flush()
        if not update_owned(self.session, self.job.id, self.worker, self.attempt, values):
            raise JobLost(f"Job {self.job.id} was taken over by another worker.")
        self.session.commit()
        if self.on_progress is not None:
            self.on_progress(done, self.job.total)


def owned(job_id: int, worker: str, attempt: int) -> sa.ColumnElement[bool]:
    """The job, while it is running under this worker and attempt."""
    return sa.and_(
        Job.id == job_id,
        Job.status == JobStatus.RUNNING.value,
        Job.worker_id == worker,
        Job.attempts == attempt,
    )


def update_owned(
    session: DbSession, job_id: int, worker: str, attempt: int, values: dict[str, Any]
) -> bool:
    """Change the job's row if this worker still owns it; whether it did."""
    result = session.execute(
        sa.update(Job)
        .where(owned(job_id, worker, attempt))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def claim_job(session: DbSession, job_id: int, worker: str) -> int | None:
    """Take a queued job for this worker (compare-and-set); the attempt's number, or None
    when another worker has it or it is not queued."""
    now = utcnow()
    result = session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED.value)
        .values(
            status=JobStatus.RUNNING.value,
            worker_id=worker,
            attempts=Job.attempts + 1,
            heartbeat_at=now,
            started_at=sa.func.coalesce(Job.started_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    attempt = session.scalar(sa.select(Job.attempts).where(Job.id == job_id))
    session.commit()
    return attempt


def run_job(app: Flask, job_id: int, *, on_progress: ProgressCallback | None = None) -> str:
    """Claim and run the job in this process, in an app context of its own; returns how it
    ended ("done", "failed", or "skipped" when it was not ours to run)."""
    with app.app_context():
        try:
            return claim_and_run(db.session, job_id, worker_name(), on_progress)
        finally:
            db.session.remove()


def claim_and_run(
    session: DbSession, job_id: int, worker: str, on_progress: ProgressCallback | None
) -> str:
    """Claim the job, run its handler, and record the result or the error."""
    attempt = claim_job(session, job_id, worker)
    if attempt is None:
        return "skipped"
    job = session.get(Job, job_id)
    assert job is not None
    context = JobContext(session, job, worker, attempt, on_progress)
    try:
        result = handler_for(job.kind)(context)
    except JobLost:
        session.rollback()
        return "skipped"
    except Exception as error:  # the job must end in a state the page can show
        session.rollback()
        log.exception("Job %s (%s) failed", job_id, job.kind)
        return end_job(session, job_id, worker, attempt, error=describe(error))
    return end_job(session, job_id, worker, attempt, result=result or {})


def describe(error: Exception) -> str:
    """A short reason for the jobs page."""
    if isinstance(error, UnknownJobKind):
        return f"No handler is registered for jobs of kind {error}."
    return f"{type(error).__name__}: {error}"[:500]


def end_job(
    session: DbSession,
    job_id: int,
    worker: str,
    attempt: int,
    *,
    result: dict[str, Any] | None = None,
    error: str = "",
) -> str:
    """Mark the job done (with its result) or failed (with the error), if still ours."""
    status = JobStatus.FAILED.value if error else JobStatus.DONE.value
    values: dict[str, Any] = {"status": status, "error": error, "finished_at": utcnow()}
    if result is not None:
        values["result"] = result
    if not update_owned(session, job_id, worker, attempt, values):
        session.rollback()
        return "skipped"
    session.commit()
    return status


# --- heartbeat and reaper ------------------------------------------------------------------


def heartbeat(session: DbSession, worker: str) -> None:
    """Say that this worker's running jobs are alive."""
    session.execute(
        sa.update(Job)
        .where(Job.worker_id == worker, Job.status == JobStatus.RUNNING.value)
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()


def reap(session: DbSession, stale_after: timedelta, now: datetime | None = None) -> list[int]:
    """Requeue running jobs whose worker went silent (failing those out of attempts) and send
    again queued jobs nobody took; returns the ids handed to the queue."""
    moment = now or utcnow()
    cutoff = moment - stale_after
    silent = session.execute(
        sa.select(Job.id, Job.attempts, Job.max_attempts).where(
            Job.status == JobStatus.RUNNING.value, Job.heartbeat_at < cutoff
        )
    ).all()
    sent = [
        job_id
        for job_id, attempts, most in silent
        if requeue_or_fail(session, job_id, (cutoff, moment), attempts, most)
    ]
    waiting = session.scalars(
        sa.select(Job.id).where(Job.status == JobStatus.QUEUED.value, Job.heartbeat_at < cutoff)
    ).all()
    for job_id in waiting:
        if set_if(session, job_id, JobStatus.QUEUED, (cutoff, moment), {}):
            sent.append(job_id)
    for job_id in sent:
        dispatch_after_commit(session, job_id)
    session.commit()
    return sent


def requeue_or_fail(
    session: DbSession, job_id: int, window: tuple[datetime, datetime], attempts: int, most: int
) -> bool:
    """Give a silent job another attempt, or fail it after its last; whether it was requeued."""
    if attempts >= most:
        error = f"Its worker stopped during attempt {attempts} of {most}; run it again."
        values = {"status": JobStatus.FAILED.value, "error": error, "finished_at": utcnow()}
        set_if(session, job_id, JobStatus.RUNNING, window, values)
        return False
    values = {"status": JobStatus.QUEUED.value, "worker_id": None}
    return set_if(session, job_id, JobStatus.RUNNING, window, values)


def set_if(
    session: DbSession,
    job_id: int,
    status: JobStatus,
    window: tuple[datetime, datetime],
    values: dict[str, Any],
) -> bool:
    """Change a job still in this status and silent since the window's start (its heartbeat
    becomes the window's end, the reaper's now); whether it did."""
    cutoff, moment = window
    result = session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == status.value, Job.heartbeat_at < cutoff)
        .values(heartbeat_at=moment, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


# --- the worker process --------------------------------------------------------------------


def supervise(app: Flask, worker: str, stop: threading.Event) -> None:
    """Beat this worker's heart and reap silent jobs until told to stop."""
    interval = float(app.config["JOB_HEARTBEAT_SECONDS"])
    stale_after = timedelta(seconds=float(app.config["JOB_STALE_SECONDS"]))
    while not stop.is_set():
        with app.app_context():
            try:
                heartbeat(db.session, worker)
                reap(db.session, stale_after)
            except Exception:  # a database hiccup must not stop the worker
                log.exception("Heartbeat or reaper failed; trying again")
            finally:
                db.session.remove()
        stop.wait(interval)


def run_worker(app: Flask, threads: int = 1) -> None:
    """Run the queue's consumer (jobs in `threads` threads) and the supervisor until stopped."""
    queue = queue_of(app)
    stop = threading.Event()
    supervisor = threading.Thread(
        target=supervise, args=(app, worker_name(), stop), name="jobs-supervisor", daemon=True
    )
    supervisor.start()
    consumer = queue.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=False, max_delay=1.0
    )
    try:
        consumer.run()
    finally:
        stop.set()


def current_queue_is_immediate() -> bool:
    """Whether this app runs jobs where they are queued (then no worker is needed)."""
    return queue_of(current_app).immediate
