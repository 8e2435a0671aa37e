"""Background jobs: every piece of work too long for a request runs here, on a queue.

How to put your feature's work on it (the whole API):

1. Write a handler and register it under a kind, in your feature (e.g. `insights/imports/jobs.py`)::

       from insights.jobs import JobContext, job_handler

       @job_handler("import")
       def import_job(context: JobContext) -> dict:
           rows = load_rows(context.params["upload_token"])
           start = context.checkpoint.get("next_row", 0)         # {} on the first attempt
           for first in range(start, len(rows), 500):
               store_rows(context.session, rows[first:first + 500])   # never commit
               context.progress(first + 500, len(rows), checkpoint={"next_row": first + 500})
           return {"imported": len(rows)}                          # kept as job.result

   `context.progress()` commits your work so far together with the progress, so a job whose
   worker dies resumes from its checkpoint with nothing done twice. It raises JobLost if the
   job was handed to another worker meanwhile; let it propagate. An exception fails the job
   (its message is shown); a worker that dies is retried up to `max_attempts` times.

2. Import that module in `register_job_handlers()` (insights/__init__.py), so web servers and
   workers both know the kind.

3. Queue it from a view or command, then commit::

       job = enqueue(db.session, "import", {"upload_token": token}, title="Import 40,000 rows",
                     workshop_id=workshop.id, user_id=current_user.id)
       db.session.commit()                     # the worker is told only now
       return redirect(url_for("jobs.show", job_id=job.id))   # a page with live progress

   Params must be JSON. `active_job(session, kind, workshop_id)` finds one already queued or
   running (to avoid queueing the same work twice); `latest_job` the most recent.

Where jobs run: `insights worker` (started by `make run`) on the embedded SQLite queue in the
instance folder, or RedisHuey when INSIGHTS_REDIS_URL is set, so workers on any number of
machines share the work. The jobs table is the truth: a worker claims a row with a
compare-and-set before running it, so a job never runs twice. Tests run jobs at once in the
process that queued them (JOBS_IMMEDIATE), through the same worker code.
"""

from insights.jobs.models import Job
from insights.jobs.registry import UnknownJobKind, job_handler
from insights.jobs.services import JobError, active_job, enqueue, latest_job, retry_job
from insights.jobs.worker import JobContext, JobLost, run_job

__all__ = [
    "Job",
    "JobContext",
    "JobError",
    "JobLost",
    "UnknownJobKind",
    "active_job",
    "enqueue",
    "job_handler",
    "latest_job",
    "retry_job",
    "run_job",
]
