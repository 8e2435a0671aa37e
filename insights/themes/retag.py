"""Re-tagging many statements in batches, skipping those whose tags are up to date, and the
background job behind the board's "Re-tag all" button."""

import os
import threading
from collections.abc import Iterator, Sequence
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import selectinload

from insights.auth.models import User
from insights.extensions import DbSession, db
from insights.statements.models import Statement
from insights.themes.classifier import active_classifier
from insights.themes.models import TaggingJob
from insights.themes.services import (
    chunks,
    current_gazetteer,
    current_taxonomy,
    nlp_key,
    pipeline_for,
    tag_statements,
)
from insights.timeutil import utcnow
from insights.workshops.models import Workshop
from nlp import annotate_stream

BATCH_SIZE = 512
PARALLEL_FROM = 2000
# A job still "running" after this long was cut off (e.g. the server restarted).
ABANDONED_AFTER = timedelta(hours=1)


def stale_statement_ids(
    session: DbSession, workshop_id: int | None = None, *, force: bool = False
) -> list[int]:
    """The statements whose text, taxonomy or classifier changed since they were tagged."""
    taxonomy, gazetteer = current_taxonomy(session), current_gazetteer(session)
    classifier = active_classifier(session)
    extra = classifier.key if classifier else ""
    query = sa.select(Statement.id, Statement.text, Statement.nlp_key).where(
        Statement.deleted_at.is_(None)
    )
    if workshop_id is not None:
        query = query.where(Statement.workshop_id == workshop_id)
    rows = session.execute(query.order_by(Statement.id))
    return [
        statement_id
        for statement_id, text, key in rows
        if force or key != nlp_key(text, taxonomy, gazetteer, extra)
    ]


def retag_in_batches(
    session: DbSession,
    ids: list[int],
    *,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    processes: int = 1,
) -> Iterator[int]:
    """Tag the statements batch by batch, yielding the size of each batch once it is flushed,
    so the caller can commit and show progress between batches. With processes > 1, forked
    workers annotate the next batches while this process stores the last one (for the
    command line, never a web worker)."""
    id_chunks = list(chunks(ids, batch_size))
    if processes > 1 and len(id_chunks) > 1:
        texts = statement_texts(session, ids)
        pipeline = pipeline_for(current_taxonomy(session), current_gazetteer(session))
        stream = annotate_stream(
            ([texts[i] for i in chunk] for chunk in id_chunks),
            pipeline,
            batch_size=min(batch_size, 256),
            n_process=processes,
        )
        for chunk, annotations in zip(id_chunks, stream, strict=True):
            tag_statements(
                session,
                load_statements(session, chunk),
                force=force,
                annotated=dict(zip(chunk, annotations, strict=True)),
            )
            yield len(chunk)
        return
    for chunk in id_chunks:
        tag_statements(
            session, load_statements(session, chunk), batch_size=min(batch_size, 256), force=force
        )
        yield len(chunk)


def statement_texts(session: DbSession, ids: list[int]) -> dict[int, str]:
    """The current wording of many statements, by id."""
    texts: dict[int, str] = {}
    for chunk in chunks(ids, 1000):
        query = sa.select(Statement.id, Statement.text).where(Statement.id.in_(chunk))
        texts.update((row.id, row.text) for row in session.execute(query))
    return texts


def load_statements(session: DbSession, ids: list[int]) -> Sequence[Statement]:
    """The statements with these ids, with their need details, in id order."""
    return session.scalars(
        sa.select(Statement)
        .where(Statement.id.in_(ids))
        .order_by(Statement.id)
        .options(selectinload(Statement.need))
    ).all()


def processes_for(count: int) -> int:
    """Worker processes worth forking for a re-tag of `count` statements: one per core (at
    most four) for big jobs, none for small ones where forking costs more than it saves."""
    return min(4, os.cpu_count() or 1) if count >= PARALLEL_FROM else 1


def running_job(session: DbSession, workshop_id: int | None) -> TaggingJob | None:
    """The unfinished re-tag of this workshop started within the last hour, if any."""
    return session.scalars(
        sa.select(TaggingJob)
        .where(
            TaggingJob.workshop_id == workshop_id,
            TaggingJob.status.in_(("queued", "running")),
            TaggingJob.created_at >= utcnow() - ABANDONED_AFTER,
        )
        .order_by(TaggingJob.id.desc())
    ).first()


def latest_job(session: DbSession, workshop_id: int | None) -> TaggingJob | None:
    """The most recent re-tag of this workshop."""
    return session.scalars(
        sa.select(TaggingJob)
        .where(TaggingJob.workshop_id == workshop_id)
        .order_by(TaggingJob.id.desc())
        .limit(1)
    ).first()


def run_job(session: DbSession, job_id: int) -> None:
    """Do a queued re-tag, committing its progress after every batch."""
    job = session.get(TaggingJob, job_id)
    if job is None:
        return
    try:
        ids = stale_statement_ids(session, job.workshop_id, force=job.force)
        job.status, job.total = "running", len(ids)
        session.commit()
        for done in retag_in_batches(session, ids, force=job.force):
            job.done += done
            session.commit()
        job.status, job.tagged, job.finished_at = "done", job.done, utcnow()
        session.commit()
    except Exception as error:  # the job must end in a state the page can show
        session.rollback()
        fail_job(session, job_id, error)
        raise


def fail_job(session: DbSession, job_id: int, error: Exception) -> None:
    """Mark a job failed, with the reason."""
    job = session.get(TaggingJob, job_id)
    if job is not None:
        job.status, job.message, job.finished_at = "failed", str(error)[:500], utcnow()
        session.commit()


def run_job_in_background(app: Flask, job_id: int) -> threading.Thread:
    """Run the job in a thread of this process, with its own app context and session."""

    def work() -> None:
        with app.app_context():
            try:
                run_job(db.session, job_id)
            except Exception:
                app.logger.exception("Re-tag job %s failed", job_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"retag-job-{job_id}", daemon=True)
    thread.start()
    return thread


def start_background_retag(workshop: Workshop, user: User) -> None:
    """Start re-tagging the workshop in a background thread, unless a job is already running."""
    if running_job(db.session, workshop.id) is not None:
        return
    job = TaggingJob(workshop_id=workshop.id, started_by_id=user.id)
    db.session.add(job)
    db.session.commit()
    run_job_in_background(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
