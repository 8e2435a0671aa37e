"""`insights worker` runs background jobs; `insights jobs list|retry` shows and restarts them."""

import logging

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from insights.extensions import db
from insights.jobs.models import Job
from insights.jobs.queue import queue_of
from insights.jobs.services import JobError, recent_jobs, retry_job
from insights.jobs.worker import run_worker
from insights.workshops.models import Workshop


@click.command("worker")
@click.option("--threads", type=click.IntRange(1, 16), default=1, show_default=True)
@with_appcontext
def worker_command(threads: int) -> None:
    """Run background jobs (re-tags, imports, documents…) until stopped with Ctrl-C; start
    one or more on any machine that reaches the database and the queue."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if queue_of(app).immediate:
        raise click.UsageError("JOBS_IMMEDIATE is set: jobs run where they are queued.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Worker started with {threads} thread(s); Ctrl-C stops it.")
    db.session.remove()
    run_worker(app, threads)


@click.group("jobs")
def jobs_cli() -> None:
    """Background jobs: list them, run a failed one again."""


@jobs_cli.command("list")
@click.option("--workshop", "slug", help="Only this workshop's jobs (by slug).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@with_appcontext
def list_command(slug: str | None, limit: int) -> None:
    """The latest jobs, newest first, with their progress."""
    workshop_id = None
    if slug is not None:
        workshop_id = db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == slug))
        if workshop_id is None:
            raise click.ClickException(f"No workshop with the slug {slug!r}.")
    jobs = recent_jobs(db.session, workshop_id, limit)
    if not jobs:
        click.echo("No jobs yet.")
    for job in jobs:
        click.echo(describe(job))


def describe(job: Job) -> str:
    """One line per job: id, status, progress, attempts, title and any error."""
    line = (
        f"{job.id:>6}  {job.status:<8} {job.done:>7}/{job.total:<7} "
        f"attempt {job.attempts}/{job.max_attempts}  {job.kind}: {job.title}"
    )
    return f"{line}  — {job.error}" if job.error else line


@jobs_cli.command("retry")
@click.argument("job_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def retry_command(job_id: int) -> None:
    """Run a failed job again from where it stopped (a worker picks it up)."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise click.ClickException(f"No job {job_id}.")
    try:
        retry_job(db.session, job)
    except JobError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Job {job_id} is queued again.")
