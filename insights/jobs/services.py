"""Queueing jobs, running them again, and finding them; the queue is told after the commit."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from insights.core.enums import JobStatus
from insights.extensions import DbSession
from insights.jobs.models import DEFAULT_MAX_ATTEMPTS, Job
from insights.jobs.queue import queue_of
from insights.jobs.registry import handler_for
from insights.timeutil import utcnow

PENDING_KEY = "insights.jobs.pending"
ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class JobError(Exception):
    """A job cannot be queued or run again as asked."""


def enqueue(
    session: DbSession,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    title: str = "",
    workshop_id: int | None = None,
    user_id: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    dispatch: bool = True,
) -> Job:
    """Add a job of a registered kind; a worker is told once the caller commits (never if it
    rolls back). With dispatch=False the caller runs it itself (see worker.run_job)."""
    handler_for(kind)  # refuse a kind nobody can run before it reaches the table
    job = Job(
        kind=kind,
        title=(title or kind)[:200],
        params=dict(params or {}),
        status=JobStatus.QUEUED.value,
        max_attempts=max(1, max_attempts),
        workshop_id=workshop_id,
        created_by_id=user_id,
        heartbeat_at=utcnow(),
    )
    session.add(job)
    session.flush()
    if dispatch:
        dispatch_after_commit(session, job.id)
    return job


def dispatch_after_commit(session: DbSession, job_id: int) -> None:
    """Remember to tell the queue about the job when this session's transaction commits."""
    session.info.setdefault(PENDING_KEY, []).append((queue_of(current_app), job_id))


@sa.event.listens_for(Session, "after_commit")
def _dispatch_pending(session: Session) -> None:
    """After a commit: hand the jobs it stored to the queue."""
    for queue, job_id in session.info.pop(PENDING_KEY, []):
        queue.dispatch(job_id)


@sa.event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    """After a rollback: the jobs were never stored, so nobody is told."""
    session.info.pop(PENDING_KEY, None)


def retry_job(session: DbSession, job: Job) -> Job:
    """Run a failed job again from where it stopped, with a fresh set of attempts."""
    updated = session.execute(
        sa.update(Job)
        .where(Job.id == job.id, Job.status == JobStatus.FAILED.value)
        .values(
            status=JobStatus.QUEUED.value,
            attempts=0,
            error="",
            worker_id=None,
            finished_at=None,
            heartbeat_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount != 1:  # type: ignore[attr-defined]
        raise JobError("Only a job that failed can be run again.")
    session.expire(job)
    dispatch_after_commit(session, job.id)
    return job


def active_job(session: DbSession, kind: str, workshop_id: int | None) -> Job | None:
    """The queued or running job of this kind for this workshop (or the whole site), if any."""
    return session.scalars(
        sa.select(Job)
        .where(Job.kind == kind, same_workshop(workshop_id), Job.status.in_(ACTIVE))
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def latest_job(session: DbSession, kind: str, workshop_id: int | None) -> Job | None:
    """The most recent job of this kind for this workshop (or the whole site)."""
    return session.scalars(
        sa.select(Job)
        .where(Job.kind == kind, same_workshop(workshop_id))
        .order_by(Job.id.desc())
        .limit(1)
    ).first()


def same_workshop(workshop_id: int | None) -> sa.ColumnElement[bool]:
    """Jobs of this workshop, or site-wide jobs when it is None."""
    if workshop_id is None:
        return Job.workshop_id.is_(None)
    return Job.workshop_id == workshop_id


def recent_jobs(
    session: DbSession, workshop_id: int | None = None, limit: int = 50
) -> Sequence[Job]:
    """The latest jobs, newest first: of one workshop, or of every workshop."""
    query = sa.select(Job).order_by(Job.id.desc()).limit(limit)
    if workshop_id is not None:
        query = query.where(Job.workshop_id == workshop_id)
    return session.scalars(query).all()
