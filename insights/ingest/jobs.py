"""The "import" job: a big upload, confirmed on its preview, stored in the background.

The job reads the parsed upload kept by token (insights.ingest.uploads), never the raw file,
and stores it in chunks, each committed with its checkpoint and progress. Its result holds
the same report lines the in-request import shows. Each kind of upload has its own storing
function, chosen by the job's "target" parameter.
"""

from collections.abc import Callable
from typing import Any

from insights.jobs import JobContext, job_handler

IMPORT = "import"
Target = Callable[[JobContext], dict[str, Any]]


def targets() -> dict[str, Target]:
    """What each target of an import job is stored by (imported here: they import us)."""
    from insights.datasets.import_jobs import import_catalogue_job
    from insights.statements.import_jobs import import_postits_job

    return {"statements": import_postits_job, "datasets": import_catalogue_job}


@job_handler(IMPORT)
def import_job(context: JobContext) -> dict[str, Any]:
    """Store a kept upload for its target (post-its of a workshop, or the catalogue)."""
    target = str(context.params.get("target", ""))
    store = targets().get(target)
    if store is None:
        raise ValueError(f"An import job cannot store {target!r}.")
    return store(context)


def chunk_size(config: Any) -> int:
    """How many rows a background import stores between two checkpoints."""
    return max(1, int(config.get("IMPORT_JOB_CHUNK_ROWS", 500)))


def in_request_limit(config: Any) -> int:
    """Imports of more rows than this are queued as a job rather than stored in the request."""
    return int(config.get("IMPORT_IN_REQUEST_ROWS", 2_000))
