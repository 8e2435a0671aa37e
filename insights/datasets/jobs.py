"""The "suggestions" job: recompute every stored need-to-dataset suggestion after the
catalogue changed (queued by suggestions.after_catalogue_change when there are many)."""

from typing import Any

from insights.datasets.suggestions import refresh_all_suggestions
from insights.jobs import JobContext, job_handler


@job_handler("suggestions")
def refresh_suggestions_job(context: JobContext) -> dict[str, Any]:
    """Recompute every suggestion in one pass, committed with the job's progress."""
    stored = refresh_all_suggestions(context.session)
    context.progress(stored, stored)
    return {"suggestions": stored}


@job_handler("harvest")
def harvest_job(context: JobContext) -> dict[str, Any]:
    """Harvest one source (by id) and bring suggestions up to date with what changed."""
    from insights.datasets.harvest import run_harvest
    from insights.datasets.models import HarvestSource
    from insights.datasets.suggestions import after_catalogue_change

    source = context.session.get(HarvestSource, int(context.params["source_id"]))
    if source is None:
        return {"lines": ["The harvest source was deleted."]}
    summary = run_harvest(context.session, source)
    after_catalogue_change(context.session)
    context.progress(1, 1)
    return {"lines": summary.report().lines()}
