"""Bulk in and out pages: paste post-its, upload a file with a mapping preview, download exports.

An uploaded file waits between the preview and the confirm step in the instance folder under a
random token. The token is listed in the uploader's signed session cookie with their account id
and the workshop, so no one else can reach the file; it is deleted on import or cancel, and
files older than a day are swept away whenever someone uploads.
"""

import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.core.downloads import attachment
from insights.core.lookups import facilitated_or_403, workshop_or_404
from insights.extensions import db
from insights.jobs import Job
from insights.statements.exports import EXPORT_FORMATS, export_filename, export_statements
from insights.statements.imports import (
    ImportRejected,
    ImportResult,
    Problem,
    count_rows,
    find_problems,
    guess_mapping,
    import_table,
    limits_from_config,
    paste_statements,
    plan_for,
    read_table,
)
from insights.statements.io_forms import MappingForm, PasteForm, UploadForm
from insights.themes.retag import tag_soon
from insights.workshops.models import Workshop

bp = Blueprint("statement_io", __name__, url_prefix="/workshops/<slug>")

UPLOADS_KEY = "statement_uploads"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
MAX_PENDING_UPLOADS = 5
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
PREVIEW_ROWS = 10
SHOWN_PROBLEMS = 200


# --- uploads waiting for their confirm step ---------------------------------------------


def upload_folder() -> Path:
    """The private folder holding uploads between preview and import (IMPORT_UPLOAD_FOLDER)."""
    configured = current_app.config.get("IMPORT_UPLOAD_FOLDER")
    folder = Path(configured or Path(current_app.instance_path) / "imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store_upload(workshop: Workshop, filename: str, data: bytes) -> str:
    """Keep an uploaded file under a new random token listed in this person's session."""
    sweep_old_uploads()
    token = secrets.token_urlsafe(24)
    descriptor = os.open(upload_folder() / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    pending = dict(session.get(UPLOADS_KEY, {}))
    pending[token] = {"workshop": workshop.slug, "user": current_user.id, "filename": filename}
    for old in list(pending)[:-MAX_PENDING_UPLOADS]:
        discard_file(old)
        del pending[old]
    session[UPLOADS_KEY] = pending
    return token


def pending_upload(workshop: Workshop, token: str) -> tuple[bytes, str]:
    """The bytes and file name behind a token of this person and workshop; 404 otherwise."""
    entry = session.get(UPLOADS_KEY, {}).get(token) if TOKEN_PATTERN.fullmatch(token) else None
    if not entry or entry["workshop"] != workshop.slug or entry["user"] != current_user.id:
        abort(404)
    path = upload_folder() / token
    if not path.is_file():
        abort(404)
    return path.read_bytes(), str(entry["filename"])


def discard_upload(token: str) -> None:
    """Forget a pending upload and delete its file."""
    pending = dict(session.get(UPLOADS_KEY, {}))
    pending.pop(token, None)
    session[UPLOADS_KEY] = pending
    discard_file(token)


def discard_file(token: str) -> None:
    """Delete an upload's file, if it is still there."""
    if TOKEN_PATTERN.fullmatch(token):
        (upload_folder() / token).unlink(missing_ok=True)


def sweep_old_uploads() -> None:
    """Delete uploads abandoned at the preview step more than a day ago."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in upload_folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


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
            result = paste_statements(db.session, plan, form.text.data or "", current_user)
        except ImportRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
        else:
            job = tag_soon(
                db.session, result.statement_ids, workshop_id=workshop.id, user_id=current_user.id
            )
            db.session.commit()
            flash(
                f"Added {result.count} post-its to {workshop.title}{tagging_note(job)}.", "success"
            )
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
    """Upload a CSV or XLSX file; a readable one goes on to the mapping preview."""
    workshop = facilitated_or_403(slug)
    form = UploadForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        filename = secure_filename(form.file.data.filename or "") or "upload.csv"
        data = form.file.data.read()
        try:
            read_table(data, filename, limits_from_config(current_app.config))
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            token = store_upload(workshop, filename, data)
            kind = form.kind.data or None
            return redirect(url_for(".preview", slug=workshop.slug, token=token, kind=kind))
    return render_template(
        "statements/import_upload.html", workshop=workshop, form=form, **problem_context(problems)
    )


@bp.route("/import/upload/<token>", methods=["GET", "POST"])
@roles_required("facilitator")
def preview(slug: str, token: str) -> Any:
    """The file's first rows with a select per column; check the mapping again, or import."""
    workshop = facilitated_or_403(slug)
    data, filename = pending_upload(workshop, token)
    try:
        frame = read_table(data, filename, limits_from_config(current_app.config))
    except ImportRejected as rejected:  # only if the limits were lowered since the upload
        return cancel_upload(workshop, token, str(rejected))
    headers = [str(column) for column in frame.columns]
    form = mapping_form(headers)
    if form.cancel.data:  # CSRFProtect has already checked the token
        return cancel_upload(workshop, token, "The upload was cancelled; nothing was imported.")
    plan = plan_for(db.session, workshop, kind=form.kind.data or None)
    mapping = form.mapping(headers)
    if form.confirm.data and form.validate_on_submit():
        try:
            result = import_table(db.session, plan, frame, mapping, current_user)
        except ImportRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
        else:
            return finish_import(workshop, token, result)
    else:
        problems = find_problems(plan, frame, mapping)
    return render_preview(workshop, token, form, frame, filename, problems)


def mapping_form(headers: list[str]) -> MappingForm:
    """The mapping form: as posted, or on first view with the guessed mapping and kind."""
    form = MappingForm()
    if request.method == "GET":
        guessed = guess_mapping(headers)
        for header in headers:
            form.columns.append_entry(guessed.get(header, ""))
        form.kind.data = request.args.get("kind", "")
    form.label_columns(headers)
    return form


def cancel_upload(workshop: Workshop, token: str, message: str) -> Response:
    """Delete the waiting file and go back to the upload page."""
    discard_upload(token)
    flash(message, "info")
    return redirect(url_for(".upload", slug=workshop.slug))


def finish_import(workshop: Workshop, token: str, result: ImportResult) -> Response:
    """Tag the imported post-its (in a job when there are many), commit, delete the waiting
    file and show the board."""
    job = tag_soon(
        db.session, result.statement_ids, workshop_id=workshop.id, user_id=current_user.id
    )
    db.session.commit()
    discard_upload(token)
    flash(
        f"Imported {result.count:,} post-its into {workshop.title}{tagging_note(job)}.", "success"
    )
    return redirect(url_for("workshops.show", slug=workshop.slug))


def tagging_note(job: Job | None) -> str:
    """How the flash message says where the new post-its' themes are."""
    return "; their themes are being tagged in the background" if job is not None else ""


def render_preview(
    workshop: Workshop,
    token: str,
    form: MappingForm,
    frame: Any,
    filename: str,
    problems: list[Problem],
) -> str:
    """The preview page: mapping selects over the first rows, problems by row."""
    form.confirm.label.text = f"Import {count_rows(frame):,} rows"
    return render_template(
        "statements/import_preview.html",
        workshop=workshop,
        token=token,
        form=form,
        filename=filename,
        headers=[str(c) for c in frame.columns],
        rows=frame.head(PREVIEW_ROWS).itertuples(index=False),
        row_count=count_rows(frame),
        rows_shown=min(PREVIEW_ROWS, len(frame)),
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
