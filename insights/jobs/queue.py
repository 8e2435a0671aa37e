"""The transport: Huey carries a job's id from whoever queued it to a worker.

SqliteHuey on a file in the instance folder by default (nothing to install), RedisHuey when
INSIGHTS_REDIS_URL is set (many app servers and workers), and Huey's immediate mode for tests
(the same task and worker code, run at once in the process that queued it)."""

import logging
import os
from typing import Any

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

EXTENSION_KEY = "insights.jobs"
TASK_NAME = "insights.run_job"

log = logging.getLogger(__name__)


class JobQueue:
    """An app's Huey instance and the one task it runs: "run the job with this id"."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = build_huey(app)
        self.task = self.huey.task(name=TASK_NAME)(self._run)

    def _run(self, job_id: int) -> None:
        """The task: run the job in this process (a worker, or the caller in immediate mode)."""
        from insights.jobs.worker import run_job

        run_job(self.app, job_id)

    def dispatch(self, job_id: int) -> None:
        """Hand the job to a worker; a lost message is re-sent by the reaper, so only log."""
        try:
            self.task(job_id)
        except Exception:
            log.exception("Could not queue job %s; the reaper will send it again", job_id)

    @property
    def immediate(self) -> bool:
        """Whether jobs run in the process that queued them (tests)."""
        return bool(self.huey.immediate)


def build_huey(app: Flask) -> Huey:
    """The Huey instance this app's settings ask for."""
    name = str(app.config.get("JOBS_QUEUE_NAME") or "insights")
    if app.config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(name, results=False, immediate=True)
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return RedisHuey(name, results=False, url=str(redis_url))
    filename = os.path.join(app.instance_path, "queue.sqlite3")
    return SqliteHuey(name, results=False, filename=filename)


def init_queue(app: Flask) -> JobQueue:
    """Create the app's queue (once) and keep it in app.extensions."""
    queue = JobQueue(app)
    app.extensions[EXTENSION_KEY] = queue
    return queue


def queue_of(app: Any) -> JobQueue:
    """The queue of this app."""
    return app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]
