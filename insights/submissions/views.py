"""Submission pages: upload a filled-in template for a borough and a year, map a CVS's own
headings to the standard's fields (remembered for next year), confirm a replacement, and the
list of what has been submitted.

Who: everyone who may open the workshop submits; the pending upload is seen only by whoever
sent it and the workshop's leads; only the leads, or the organisation that sent the accepted
submission, may replace it."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectField

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.enums import SubmissionStatus
from insights.core.forms import ButtonForm
from insights.core.ids import valid_id
from insights.core.lookups import child_of_workshop_or_404, workshop_or_404
from insights.extensions import db
from insights.reference import london_boroughs
from insights.standards.models import DataStandard
from insights.standards.services import can_manage
from insights.statements.imports import Problem, limits_from_config
from insights.submissions.forms import MappingForm, UploadForm
from insights.submissions.models import Submission
from insights.submissions.services import (
    Outcome,
    Slot,
    confirm_replacement,
    current_for,
    discard,
    my_organisations,
    process,
    start,
    submissions_of,
)
from insights.submissions.validation import IGNORE, SubmissionRejected, map_columns, read_submission
from insights.workshops.models import Workshop

bp = Blueprint("submissions", __name__, url_prefix="/workshops/<slug>")


def standard_or_404(workshop: Workshop, standard_id: int) -> DataStandard:
    """A standard of this workshop."""
    return child_of_workshop_or_404(DataStandard, workshop, standard_id)


def pending_or_404(workshop: Workshop, submission_id: int) -> Submission:
    """A pending upload of this workshop, for whoever sent it or the workshop's leads."""
    submission = db.session.get(Submission, submission_id) if valid_id(submission_id) else None
    if submission is None or submission.standard_version.standard.workshop_id != workshop.id:
        abort(404)
    if submission.status != SubmissionStatus.PENDING.value:
        abort(404)
    if submission.submitted_by_id != current_user.id and not can_manage(
        db.session, current_user, workshop
    ):
        abort(404)
    return submission


@bp.route("/standards/<int:standard_id>/submissions")
@roles_required(*ROLES)
def index(slug: str, standard_id: int) -> str:
    """What has been submitted against the standard: accepted, and replaced (history)."""
    workshop = workshop_or_404(slug)
    standard = standard_or_404(workshop, standard_id)
    published = [v for v in standard.versions if v.is_published]
    return render_template(
        "submissions/index.html",
        workshop=workshop,
        standard=standard,
        submissions=submissions_of(db.session, [v.id for v in published]),
        published=published,
    )


def upload_form(standard: DataStandard) -> UploadForm:
    """The upload form with its versions, boroughs and the person's organisation filled in."""
    form = UploadForm()
    published = [v for v in standard.versions if v.is_published]
    form.version.choices = [(v.id, f"Version {v.number}") for v in reversed(published)]
    form.borough.choices = [("", "Choose a borough")] + [(c, n) for c, n in london_boroughs()]
    mine = my_organisations(db.session, current_user)
    if request.method == "GET":
        form.year.data = date.today().year
        if mine:
            form.organisation.data = mine[0].name
            form.borough.data = mine[0].borough_code or ""
    return form


@bp.route("/standards/<int:standard_id>/submit", methods=["GET", "POST"])
@roles_required(*ROLES)
def upload(slug: str, standard_id: int) -> str | Response | tuple[str, int]:
    """Upload a filled-in template: refused whole with every problem, or on its way in."""
    workshop = workshop_or_404(slug)
    standard = standard_or_404(workshop, standard_id)
    form = upload_form(standard)
    if not form.version.choices:
        flash("No version of this standard is published yet.", "error")
        return redirect(url_for("standards.show", slug=slug, standard_id=standard.id))
    problems: list[Problem] = []
    if form.validate_on_submit():
        version = next(v for v in standard.versions if v.id == form.version.data)
        slot = Slot(version, form.borough.data or "", int(form.year.data or 0))
        data = form.file.data.read()
        try:
            submission = start(
                db.session,
                slot,
                form.organisation.data or "",
                current_user,
                (data, form.file.data.filename or ""),
                form.shape.data or "rows",
            )
            outcome = process(
                db.session,
                submission,
                limits=limits_from_config(current_app.config),
                may_replace=_may_replace(workshop, slot, submission),
            )
        except SubmissionRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
        else:
            db.session.commit()
            return after(workshop, standard, outcome)
    status = 422 if problems else 200
    return render_template(
        "submissions/upload.html",
        workshop=workshop,
        standard=standard,
        form=form,
        problems=problems,
        mine=my_organisations(db.session, current_user),
    ), status


def _may_replace(workshop: Workshop, slot: Slot, submission: Submission) -> bool:
    """Leads may replace any submission; an organisation may replace its own, sent by someone
    who took part for it (their participant record) or who sent the earlier one. Typing the
    organisation's name is not enough."""
    if can_manage(db.session, current_user, workshop):
        return True
    earlier = current_for(db.session, slot)
    if earlier is None:
        return True
    if earlier.organisation_id != submission.organisation_id:
        return False
    mine = {organisation.id for organisation in my_organisations(db.session, current_user)}
    return earlier.organisation_id in mine or earlier.submitted_by_id == current_user.id


def after(workshop: Workshop, standard: DataStandard, outcome: Outcome) -> Response:
    """Where an upload goes next: the list, the mapping or the confirmation."""
    submission = outcome.submission
    if outcome.state == "needs-mapping":
        flash("Some columns have headings of your own: say which field each one holds.", "info")
        return redirect(
            url_for("submissions.mapping", slug=workshop.slug, submission_id=submission.id)
        )
    if outcome.state == "needs-confirmation":
        return redirect(
            url_for("submissions.confirm", slug=workshop.slug, submission_id=submission.id)
        )
    flash(
        f"Accepted: {submission.response_count} responses from {submission.organisation.name} "
        f"for {submission.borough.name}, {submission.year}.",
        "success",
    )
    return redirect(url_for("submissions.index", slug=workshop.slug, standard_id=standard.id))


def mapping_form(submission: Submission) -> tuple[MappingForm, list[tuple[str, str]]]:
    """A select per column of the file, preset to the field it seems to hold."""
    version = submission.standard_version
    frame = read_submission(submission.upload or b"", submission.filename)
    headers = [str(c) for c in frame.columns]
    guessed = map_columns(version, headers, {})
    by_header = {header: name for name, header in guessed.columns.items()}
    choices = [(IGNORE, "Leave this column out")] + [
        (f.name, f"{f.title} ({f.name})") for f in version.fields
    ]

    class Form(MappingForm):
        pass

    keys = []
    for index, header in enumerate(headers):
        key = f"column_{index}"
        setattr(
            Form, key, SelectField(header, choices=choices, default=by_header.get(header, IGNORE))
        )
        keys.append((key, header))
    return Form(), keys


@bp.route("/submissions/<int:submission_id>/mapping", methods=["GET", "POST"])
@roles_required(*ROLES)
def mapping(slug: str, submission_id: int) -> str | Response | tuple[str, int]:
    """Say which field each of the file's own headings holds; remembered for next year."""
    workshop = workshop_or_404(slug)
    submission = pending_or_404(workshop, submission_id)
    standard = submission.standard_version.standard
    try:
        form, keys = mapping_form(submission)
    except SubmissionRejected as rejected:
        return _refused(workshop, standard, submission, rejected)
    if form.validate_on_submit():
        choices = {header: getattr(form, key).data for key, header in keys}
        slot = Slot(submission.standard_version, submission.borough_code, submission.year)
        try:
            outcome = process(
                db.session,
                submission,
                choices=choices,
                limits=limits_from_config(current_app.config),
                may_replace=_may_replace(workshop, slot, submission),
            )
        except SubmissionRejected as rejected:
            return _refused(workshop, standard, submission, rejected)
        db.session.commit()
        return after(workshop, standard, outcome)
    return render_template(
        "submissions/mapping.html",
        workshop=workshop,
        standard=standard,
        submission=submission,
        form=form,
        keys=keys,
    )


def _refused(
    workshop: Workshop, standard: DataStandard, submission: Submission, rejected: SubmissionRejected
) -> tuple[str, int]:
    """Forget the pending upload and show every problem with it."""
    db.session.rollback()
    discard(db.session, db.session.get(Submission, submission.id) or submission)
    db.session.commit()
    form = upload_form(standard)
    html = render_template(
        "submissions/upload.html",
        workshop=workshop,
        standard=standard,
        form=form,
        problems=rejected.problems,
        mine=my_organisations(db.session, current_user),
    )
    return html, 422


@bp.route("/submissions/<int:submission_id>/confirm", methods=["GET", "POST"])
@roles_required(*ROLES)
def confirm(slug: str, submission_id: int) -> str | Response:
    """Replace the accepted submission for the same borough, version and year, or keep it."""
    workshop = workshop_or_404(slug)
    submission = pending_or_404(workshop, submission_id)
    standard = submission.standard_version.standard
    slot = Slot(submission.standard_version, submission.borough_code, submission.year)
    earlier = current_for(db.session, slot)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        if request.form.get("choice") == "replace":
            confirm_replacement(db.session, submission)
            db.session.commit()
            return after(workshop, standard, Outcome(submission, "accepted"))
        discard(db.session, submission)
        db.session.commit()
        flash("Kept the earlier submission; the new upload was not stored.", "info")
        return redirect(url_for("submissions.index", slug=slug, standard_id=standard.id))
    return render_template(
        "submissions/confirm.html",
        workshop=workshop,
        standard=standard,
        submission=submission,
        earlier=earlier,
        form=form,
    )
