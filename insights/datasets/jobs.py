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
