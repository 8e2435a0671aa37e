"""Post-its from a big upload, stored by the "import" job in chunks with checkpoints.

Each attempt checks the kept table again against the workshop, so the rule that re-imports
skip the post-its already there (same text, exercise and author) makes a resumed or repeated
attempt safe: what an earlier attempt committed is skipped, never doubled. The checkpoint
keeps the counts of the first check (what the person saw on the preview) and what was
stored so far, so the report says the same as an import done in the request.
"""

from typing import Any

from flask import current_app

from insights.extensions import DbSession
from insights.ingest import uploads
from insights.ingest.jobs import chunk_size
from insights.ingest.report import ImportReport
from insights.jobs import JobContext
from insights.statements.imports import (
    Checked,
    PostitPlan,
    audit_import,
    check_table,
    insert_rows,
    plan_for,
    refuse_if_unfit,
)
from insights.themes.retag import tag_soon
from insights.workshops.models import Workshop


def import_params(token: str, plan: PostitPlan, filename: str, rows: int) -> dict[str, Any]:
    """What an import job needs to check and store the kept upload as its preview did."""
    return {
        "target": "statements",
        "token": token,
        "filename": filename,
        "rows": rows,
        "kind": plan.default_kind,
        "date_order": plan.date_order,
        "mapping": dict(plan.mapping),
    }


def import_postits_job(context: JobContext) -> dict[str, Any]:
    """Check the kept table, store its new rows chunk by chunk, and return the report."""
    session, params = context.session, context.params
    if context.checkpoint.get("finished"):
        return dict(context.checkpoint["result"])
    workshop = session.get(Workshop, context.job.workshop_id)
    if workshop is None:
        raise LookupError("The workshop was deleted.")
    plan = plan_for(
        session,
        workshop,
        kind=params.get("kind"),
        date_order=params.get("date_order"),
        mapping=params.get("mapping") or {},
    )
    table = uploads.kept_table(str(params["token"]))
    checked = check_table(session, plan, table)
    refuse_if_unfit(checked)
    mark = context.checkpoint or first_checkpoint(context, checked)
    mark = store_in_chunks(context, plan, checked, mark)
    report = ImportReport(
        added=int(mark["added"]),
        skipped_duplicates=int(mark["skipped_duplicates"]),
        skipped_blank=int(mark["skipped_blank"]),
        ids=tuple(mark["ids"]),
        notes=(*table.notes, *checked.notes),
    )
    return finish(session, context, workshop, plan, report)


def first_checkpoint(context: JobContext, checked: Checked) -> dict[str, Any]:
    """The first attempt's counts, committed before any row is stored."""
    mark = {
        "added": 0,
        "ids": [],
        "skipped_duplicates": checked.skipped_duplicates,
        "skipped_blank": checked.skipped_blank,
    }
    context.progress(0, len(checked.rows), checkpoint=mark)
    return mark


def store_in_chunks(
    context: JobContext, plan: PostitPlan, checked: Checked, mark: dict[str, Any]
) -> dict[str, Any]:
    """Insert the rows not yet stored, committing each chunk with the counts so far."""
    size = chunk_size(current_app.config)
    rows = checked.rows
    total = int(mark["added"]) + len(rows)
    user_id = context.job.created_by_id
    for first in range(0, len(rows), size):
        ids = insert_rows(context.session, plan, rows[first : first + size], user_id, "import")
        mark = {**mark, "added": int(mark["added"]) + len(ids), "ids": [*mark["ids"], *ids]}
        context.progress(int(mark["added"]), total, checkpoint=mark)
    if not rows:
        context.progress(int(mark["added"]), total, checkpoint=mark)
    return mark


def finish(
    session: DbSession,
    context: JobContext,
    workshop: Workshop,
    plan: PostitPlan,
    report: ImportReport,
) -> dict[str, Any]:
    """Audit the import once and tag the new post-its, committed with the result kept in the
    checkpoint (a worker dying after this has nothing left to do); then forget the upload."""
    user_id = context.job.created_by_id
    audit_import(session, plan, report, user_id, "import")
    tagging = tag_soon(session, list(report.ids), workshop_id=workshop.id, user_id=user_id)
    lines = report.lines()
    if tagging is not None:
        lines.append("Their themes are being tagged in the background.")
    result = {"lines": lines, "added": report.added, "workshop": workshop.slug}
    context.progress(report.added, report.added, checkpoint={"finished": True, "result": result})
    uploads.discard_files(str(context.params["token"]))
    return result
