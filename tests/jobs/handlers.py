"""Handlers used only by the job tests: real handlers, registered like any feature's."""

from typing import Any

from insights.jobs import JobContext, job_handler
from insights.workshops.models import Workshop
from tests.factories import make_statement

# How many times each job's handler body ran in this process, by job id.
RUNS: dict[int, int] = {}


@job_handler("test-count")
def count_job(context: JobContext) -> dict[str, Any]:
    """Count the run, and say so in the result."""
    RUNS[context.job.id] = RUNS.get(context.job.id, 0) + 1
    return {"runs": RUNS[context.job.id]}


@job_handler("test-fail")
def failing_job(context: JobContext) -> dict[str, Any]:
    """Always fail, as a handler with a bug would."""
    raise ValueError("the catalogue file has no header row")


@job_handler("test-post-its")
def post_its_job(context: JobContext) -> dict[str, Any]:
    """Add `count` post-its to the workshop one by one, resuming after the last one stored."""
    workshop = context.session.get(Workshop, context.job.workshop_id)
    assert workshop is not None
    count = int(context.params["count"])
    start = int(context.checkpoint.get("next", 0))
    for number in range(start, count):
        make_statement(context.session, workshop, f"Post-it {number} from a job")  # type: ignore[arg-type]
        context.progress(number + 1, count, checkpoint={"next": number + 1})
    return {"added": count - start}
