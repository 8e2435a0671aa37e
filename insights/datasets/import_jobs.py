"""A big catalogue upload, stored by the "import" job in chunks with checkpoints.

Each chunk is committed with the counts so far and the next record to store, so a resumed
attempt starts after the last chunk committed; and since a record already in the catalogue
(same identity) is updated in place, never added again, even a run from the start doubles
nothing.
"""

from typing import Any

from flask import current_app

from insights.datasets.catalogue_imports import catalogue_from_payload, report_heading
from insights.datasets.importers import Catalogue
from insights.datasets.services import ImportSummary, audit_catalogue_import, import_records
from insights.datasets.suggestions import after_catalogue_change
from insights.ingest import uploads
from insights.ingest.jobs import chunk_size
from insights.jobs import JobContext

COUNTS = ("created", "updated", "unchanged")


def catalogue_import_params(token: str, filename: str, records: int) -> dict[str, Any]:
    """What an import job needs to store a kept catalogue."""
    return {"target": "datasets", "token": token, "filename": filename, "rows": records}


def import_catalogue_job(context: JobContext) -> dict[str, Any]:
    """Store the kept catalogue's records chunk by chunk; the report as the job's result."""
    if context.checkpoint.get("finished"):
        return dict(context.checkpoint["result"])
    token, filename = str(context.params["token"]), str(context.params["filename"])
    catalogue = catalogue_from_payload(uploads.kept_payload(token))
    mark = {"next": 0, "ids": [], **dict.fromkeys(COUNTS, 0), **context.checkpoint}
    mark = store_in_chunks(context, catalogue, mark)
    summary = ImportSummary(
        created=int(mark["created"]),
        updated=int(mark["updated"]),
        unchanged=int(mark["unchanged"]),
        notes=catalogue.notes,
        ids=list(mark["ids"]),
    )
    audit_catalogue_import(context.session, filename, summary, context.job.created_by_id)
    after_catalogue_change(context.session)
    result = {
        "lines": [report_heading(filename, catalogue.kind), *summary.report().lines()],
        "added": summary.created,
        "ids": summary.ids[:50],
    }
    total = len(catalogue.records)
    context.progress(total, total, checkpoint={"finished": True, "result": result})
    uploads.discard_files(token)
    return result


def store_in_chunks(
    context: JobContext, catalogue: Catalogue, mark: dict[str, Any]
) -> dict[str, Any]:
    """Import the records from the checkpoint on, committing each chunk with the counts."""
    records, size = catalogue.records, chunk_size(current_app.config)
    for first in range(int(mark["next"]), len(records), size):
        chunk = records[first : first + size]
        done = import_records(context.session, chunk, source="import", whole_file=records)
        mark = {
            **mark,
            "next": first + len(chunk),
            "ids": [*mark["ids"], *done.ids],
            **{name: int(mark[name]) + getattr(done, name) for name in COUNTS},
        }
        context.progress(int(mark["next"]), len(records), checkpoint=mark)
    return mark
