"""Tagging statements: the one path for capture, paste, upload, the command line and the
"Re-tag all" button. Few statements are tagged at once in the request that stored them; many,
and every re-tag, go to the "retag" job, which stores batch after batch and resumes after the
last stored batch when its worker dies."""

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from insights.extensions import DbSession
from insights.jobs import Job, JobContext, active_job, enqueue, job_handler, run_job
from insights.statements.models import Statement
from insights.themes.classifier import active_classifier
from insights.themes.services import (
    chunks,
    current_gazetteer,
    current_taxonomy,
    nlp_key,
    pipeline_for,
    tag_statements,
)
from nlp import annotate_stream

BATCH_SIZE = 512
PARALLEL_FROM = 2000
RETAG = "retag"
# Up to this many new or edited post-its are tagged in the request that stored them, so the
# page that follows shows their themes; more go to a job (setting TAG_IN_REQUEST_LIMIT).
IN_REQUEST_LIMIT = 200


def stale_statement_ids(
    session: DbSession,
    workshop_id: int | None = None,
    *,
    force: bool = False,
    only: Sequence[int] | None = None,
) -> list[int]:
    """The statements (of the workshop, or among `only`) whose text, taxonomy or classifier
    changed since they were tagged, in id order; with force, all of them."""
    taxonomy, gazetteer = current_taxonomy(session), current_gazetteer(session)
    classifier = active_classifier(session)
    extra = classifier.key if classifier else ""
    query = sa.select(Statement.id, Statement.text, Statement.nlp_key).where(
        Statement.deleted_at.is_(None)
    )
    if workshop_id is not None:
        query = query.where(Statement.workshop_id == workshop_id)
    wanted = None if only is None else set(only)
    rows = session.execute(query.order_by(Statement.id))
    return [
        statement_id
        for statement_id, text, key in rows
        if (wanted is None or statement_id in wanted)
        and (force or key != nlp_key(text, taxonomy, gazetteer, extra))
    ]


def retag_in_batches(
    session: DbSession,
    ids: list[int],
    *,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
    processes: int = 1,
) -> Iterator[list[int]]:
    """Tag the statements batch by batch, yielding each batch's ids once it is flushed, so
    the caller can commit and show progress between batches. With processes > 1, forked
    workers annotate the next batches while this process stores the last one (in a job
    worker or the command line, never a web worker)."""
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
            yield chunk
        return
    for chunk in id_chunks:
        tag_statements(
            session, load_statements(session, chunk), batch_size=min(batch_size, 256), force=force
        )
        yield chunk


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


@job_handler(RETAG)
def retag_job(context: JobContext) -> dict[str, Any]:
    """The job: tag the out-of-date statements of its workshop (or those it lists), committing
    batch by batch with its progress; a resumed attempt starts after the last stored batch."""
    params, session = context.params, context.session
    after = int(context.checkpoint.get("after_id", 0))
    done = context.job.done if after else 0
    force = bool(params.get("force"))
    only = params.get("statement_ids")
    ids = [
        statement_id
        for statement_id in stale_statement_ids(
            session, context.job.workshop_id, force=force, only=only
        )
        if statement_id > after
    ]
    total = done + len(ids)
    context.progress(done, total)
    batch_size = int(params.get("batch_size") or BATCH_SIZE)
    processes = processes_for(len(ids))
    for chunk in retag_in_batches(
        session, ids, force=force, batch_size=batch_size, processes=processes
    ):
        done += len(chunk)
        context.progress(done, total, checkpoint={"after_id": chunk[-1]})
    return {"tagged": done}


def retag_params(
    *, statement_ids: Sequence[int] | None = None, force: bool = False, batch_size: int = 0
) -> dict[str, Any]:
    """The inputs of a retag job, leaving out the defaults."""
    params: dict[str, Any] = {}
    if statement_ids is not None:
        params["statement_ids"] = list(statement_ids)
    if force:
        params["force"] = True
    if batch_size:
        params["batch_size"] = batch_size
    return params


def tag_now(session: DbSession, ids: Sequence[int]) -> int:
    """Tag these statements in this request or command (flushed, not committed)."""
    return sum(len(chunk) for chunk in retag_in_batches(session, list(ids)))


def tag_soon(
    session: DbSession, ids: Sequence[int], *, workshop_id: int, user_id: int | None = None
) -> Job | None:
    """Tag new or edited statements: at once when they are few, else in a job (returned),
    which a worker starts once the caller commits."""
    if len(ids) <= int(current_app.config.get("TAG_IN_REQUEST_LIMIT", IN_REQUEST_LIMIT)):
        tag_now(session, ids)
        return None
    return enqueue(
        session,
        RETAG,
        retag_params(statement_ids=ids),
        title=f"Tag {len(ids):,} new post-its",
        workshop_id=workshop_id,
        user_id=user_id,
    )


def start_retag(session: DbSession, workshop_id: int, user_id: int | None) -> Job:
    """Queue a re-tag of the workshop, unless one is already queued or running."""
    running = active_job(session, RETAG, workshop_id)
    if running is not None:
        return running
    return enqueue(
        session, RETAG, {}, title="Re-tag the post-its", workshop_id=workshop_id, user_id=user_id
    )


def retag_here(
    session: DbSession,
    *,
    workshop_id: int | None,
    params: dict[str, Any],
    title: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> Job:
    """Run a retag job in this process (the command line), through the worker's own code;
    if this process dies, the reaper hands the job to a worker."""
    job = enqueue(session, RETAG, params, title=title, workshop_id=workshop_id, dispatch=False)
    session.commit()
    run_job(current_app._get_current_object(), job.id, on_progress=on_progress)  # type: ignore[attr-defined]
    session.refresh(job)
    return job
