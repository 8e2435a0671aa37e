"""Bulk in and out pages: paste post-its, upload a file with a mapping preview, download exports.

An uploaded file is read once, on upload; the read table waits for its preview, check and
confirm in the ingestion layer's private upload store (insights.ingest.uploads), so no step
parses the file again. Only choosing another sheet or header row reads it again.
"""

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.core.downloads import attachment
from insights.core.lookups import facilitated_or_403, workshop_or_404
from insights.extensions import db
from insights.ingest import uploads
from insights.ingest.boards import read_postit_file
from insights.ingest.jobs import IMPORT, in_request_limit
from insights.ingest.limits import limits_from_config
from insights.ingest.problems import ImportRejected, Problem
from insights.ingest.reading import Table
from insights.jobs import Job, enqueue, latest_job
from insights.statements.exports import EXPORT_FORMATS, export_filename, export_statements
from insights.statements.import_jobs import import_params
from insights.statements.import_mapping import guess_mapping
from insights.statements.imports import (
    Checked,
    PostitPlan,
    check_table,
    count_rows,
    describe_guess,
    paste_statements,
    plan_for,
    refuse_if_unfit,
    store_rows,
)
from insights.statements.io_forms import UPLOAD_HINT, MappingForm, PasteForm, UploadForm
from insights.themes.retag import tag_soon
from insights.workshops.models import Workshop

bp = Blueprint("statement_io", __name__, url_prefix="/workshops/<slug>")

PREVIEW_ROWS = 10
SHOWN_PROBLEMS = 200


def upload_scope(workshop: Workshop) -> str:
    """What a kept upload is for: post-its of this workshop."""
    return f"statements:{workshop.slug}"


# --- paste -------------------------------------------------------------------------------


@bp.route("/import/paste", methods=["GET", "POST"])
@roles_required("facilitator")
def paste(slug: str) -> Any:
    """Add many post-its at once, one per line, with an optional "kind:" before each."""
    workshop = facilitated_or_403(slug)
    form = PasteForm().for_workshop(workshop)
    problems: list[Problem] = []
    if form.validate_on_submit():
        plan = plan_for(db.session, workshop, exercise=form.exercise.data)
        try:
            report = paste_statements(db.session, plan, form.text.data or "", current_user)
        except ImportRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
        else:
            job = tag_soon(
                db.session, list(report.ids), workshop_id=workshop.id, user_id=current_user.id
            )
            db.session.commit()
            flash(f"{workshop.title}: {report.message()}{tagging_note(job)}", "success")
            return redirect(url_for("workshops.show", slug=workshop.slug))
    return render_template(
        "statements/import_paste.html",
        workshop=workshop,
        form=form,
        **problem_context(problems, "line"),
    )


def problem_context(problems: list[Problem], unit: str = "row") -> dict[str, object]:
    """The first problems to show, and how many more there are."""
    return {
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        "problem_unit": unit,
    }


# --- upload, preview, confirm -------------------------------------------------------------


@bp.route("/import/upload", methods=["GET", "POST"])
@roles_required("facilitator")
def upload(slug: str) -> Any:
    """Upload a CSV or XLSX file; it is read once and goes on to the mapping preview."""
    workshop = facilitated_or_403(slug)
    form = UploadForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        filename = secure_filename(form.file.data.filename or "") or "upload.csv"
        data = form.file.data.read()
        try:
            table = read_postit_file(data, filename, limits_from_config(current_app.config))
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            token = uploads.keep_upload(upload_scope(workshop), filename, data, table)
            kind = form.kind.data or None
            return redirect(url_for(".preview", slug=workshop.slug, token=token, kind=kind))
    return render_template(
        "statements/import_upload.html",
        workshop=workshop,
        form=form,
        last_job=latest_job(db.session, IMPORT, workshop.id),
        hint=UPLOAD_HINT,
        **problem_context(problems),
    )


@bp.route("/import/upload/<token>", methods=["GET", "POST"])
@roles_required("facilitator")
def preview(slug: str, token: str) -> Any:
    """The file's first rows with a select per column; check the mapping again, or import."""
    workshop = facilitated_or_403(slug)
    table, filename = uploads.pending_table(upload_scope(workshop), token)
    form = MappingForm()
    if form.cancel.data:  # CSRFProtect has already checked the token
        return cancel_upload(workshop, token, "The upload was cancelled; nothing was imported.")
    reread = reread_if_asked(workshop, token, form, table, filename)
    if isinstance(reread, Response):
        return reread
    if reread is not table:
        table, form = reread, MappingForm(formdata=None)
    prepare_form(form, table)
    plan = plan_for(
        db.session,
        workshop,
        kind=form.kind.data or None,
        date_order=form.dates.data or None,
        mapping=form.mapping(table.headers),
    )
    checked, problems = check_or_problems(plan, table)
    if form.confirm.data and form.validate_on_submit() and checked is not None and not problems:
        return finish_import(workshop, token, plan, checked, filename)
    return render_preview(workshop, token, form, table, filename, checked, problems)


def reread_if_asked(
    workshop: Workshop, token: str, form: MappingForm, table: Table, filename: str
) -> Table | Response:
    """The table read again when the person chose another sheet or header row, else as kept."""
    if request.method != "POST" or not form.check.data:
        return table
    sheet = form.sheet.data or None
    header_row = int(form.header_row.data) if (form.header_row.data or "").isdecimal() else None
    if sheet in (table.sheet or None, None) and header_row in (table.header_row, None):
        return table
    raw = uploads.pending_raw(upload_scope(workshop), token)
    limits = limits_from_config(current_app.config)
    try:
        table = read_postit_file(raw, filename, limits, sheet=sheet, header_row=header_row)
    except ImportRejected as rejected:
        flash(str(rejected), "error")
        return redirect(url_for(".preview", slug=workshop.slug, token=token))
    uploads.replace_table(token, table)
    return table


def prepare_form(form: MappingForm, table: Table) -> None:
    """On first view (or after reading again), the guessed mapping and the default kind."""
    headers = table.headers
    if request.method == "GET" or not form.columns.entries:
        guessed = guess_mapping(headers, table.frame)
        for header in headers:
            form.columns.append_entry(guessed.get(header, "note"))
        if request.method == "GET":
            form.kind.data = request.args.get("kind", "")
    form.label_columns(headers)
    form.offer_reading(table.sheets, table.header_row)
    if not form.sheet.data:
        form.sheet.data = table.sheet


def check_or_problems(plan: PostitPlan, table: Table) -> tuple[Checked | None, list[Problem]]:
    """Every row checked without writing anything, and every problem or question it meets."""
    try:
        checked = check_table(db.session, plan, table)
    except ImportRejected as rejected:
        return None, rejected.problems
    try:
        refuse_if_unfit(checked)
    except ImportRejected as rejected:
        return checked, rejected.problems
    return checked, []


def cancel_upload(workshop: Workshop, token: str, message: str) -> Response:
    """Delete the waiting file and go back to the upload page."""
    uploads.discard_upload(token)
    flash(message, "info")
    return redirect(url_for(".upload", slug=workshop.slug))


def finish_import(
    workshop: Workshop, token: str, plan: PostitPlan, checked: Checked, filename: str
) -> Response:
    """Store the checked rows, commit, delete the waiting file and show the board; a big
    file is queued as a job instead, whose page shows its progress and then its report."""
    if len(checked.rows) > in_request_limit(current_app.config):
        return queue_import(workshop, token, plan, filename, len(checked.rows))
    report = store_rows(db.session, plan, checked, current_user, "import")
    job = tag_soon(db.session, list(report.ids), workshop_id=workshop.id, user_id=current_user.id)
    db.session.commit()
    uploads.discard_upload(token)
    flash(f"{workshop.title}: {report.message()}{tagging_note(job)}", "success")
    return redirect(url_for("workshops.show", slug=workshop.slug))


def queue_import(
    workshop: Workshop, token: str, plan: PostitPlan, filename: str, rows: int
) -> Response:
    """Queue the kept upload's import as a background job and show its progress."""
    job = enqueue(
        db.session,
        IMPORT,
        import_params(token, plan, filename, rows),
        title=f"Import {rows:,} post-its from {filename}",
        workshop_id=workshop.id,
        user_id=current_user.id,
    )
    db.session.commit()
    uploads.hand_to_job(token)
    flash(f"{workshop.title}: {rows:,} post-its are being imported in the background.", "info")
    return redirect(url_for("jobs.show", job_id=job.id))


def tagging_note(job: Job | None) -> str:
    """How the flash message says where the new post-its' themes are."""
    return " Their themes are being tagged in the background." if job is not None else ""


def render_preview(
    workshop: Workshop,
    token: str,
    form: MappingForm,
    table: Table,
    filename: str,
    checked: Checked | None,
    problems: list[Problem],
) -> str:
    """The preview page: mapping selects over the first rows, what will happen, problems."""
    frame = table.frame
    ready = len(checked.rows) if checked else 0
    form.confirm.label.text = f"Import {ready:,} post-it{'' if ready == 1 else 's'}"
    return render_template(
        "statements/import_preview.html",
        workshop=workshop,
        token=token,
        form=form,
        filename=filename,
        table=table,
        headers=table.headers,
        rows=frame.head(PREVIEW_ROWS).itertuples(index=False),
        row_count=count_rows(frame),
        rows_shown=min(PREVIEW_ROWS, len(frame)),
        checked=checked,
        found=describe_guess(table),
        **problem_context(problems),
    )


# --- export ------------------------------------------------------------------------------


@bp.route("/export")
@roles_required("facilitator", "lead", "member")
def export(slug: str) -> Response:
    """Download the workshop's statements: ?format=csv (default) or ?format=xlsx."""
    workshop = workshop_or_404(slug)
    file_format = request.args.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        abort(404)
    data = export_statements(db.session, workshop, file_format)
    return attachment(data, export_filename(workshop, file_format), EXPORT_FORMATS[file_format])
