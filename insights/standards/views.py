"""Data standard pages: the workshop's standards, drafting one from its needs, a version with
its fields and the needs each serves, editing fields of a draft, publishing, comments and
endorsements, and every published form of a version as a download.

Who: the workshop's leads and facilitators (and admins) draft, edit and publish; everyone who
may open the workshop reads published versions, comments and endorses."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.downloads import attachment
from insights.core.enums import MANAGERS
from insights.core.forms import ButtonForm
from insights.core.lookups import child_of_workshop_or_404, workshop_or_404
from insights.extensions import db
from insights.roundups.services import RoundUpError, add_comment, comments_on
from insights.standards.forms import (
    CommentForm,
    DraftForm,
    FieldForm,
    LibraryForm,
    PublishForm,
    allowed_values_text,
    parse_allowed_values,
)
from insights.standards.library import library_fields
from insights.standards.models import DataStandard, StandardField, StandardVersion
from insights.standards.outputs import (
    TYPE_WORDS,
    csv_template,
    dictionary_outline,
    dictionary_pdf,
    questions_text,
    schema_json,
    xlsx_template,
)
from insights.standards.services import (
    COMMENT_TARGET,
    FieldInput,
    StandardError,
    add_library_field,
    can_manage,
    draft_from_workshop,
    draft_of,
    endorsement_summary,
    fields_by_need,
    latest_version,
    publish,
    remove_field,
    save_field,
    standards_of,
    toggle_endorsement,
    version_numbered,
    workshop_needs,
)
from insights.workshops.models import Workshop

bp = Blueprint("standards", __name__, url_prefix="/workshops/<slug>/standards")

MANAGING = (*MANAGERS,)
DOWNLOADS = {
    "schema.json": ("application/json", schema_json),
    "template.csv": ("text/csv; charset=utf-8", csv_template),
    "template.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_template,
    ),
    "dictionary.pdf": ("application/pdf", dictionary_pdf),
    "questions.txt": ("text/plain; charset=utf-8", lambda v: questions_text(v).encode("utf-8")),
}


def manages(workshop: Workshop) -> bool:
    """Whether the signed-in person manages this workshop's standards."""
    return can_manage(db.session, current_user, workshop)


def managed_or_403(slug: str) -> Workshop:
    """The workshop, if the signed-in person manages its standards."""
    workshop = workshop_or_404(slug)
    if not manages(workshop):
        abort(403)
    return workshop


def standard_or_404(workshop: Workshop, standard_id: int) -> DataStandard:
    """A standard of this workshop."""
    return child_of_workshop_or_404(DataStandard, workshop, standard_id)


def readable_version(
    workshop: Workshop, standard: DataStandard, number: int | None
) -> StandardVersion:
    """The version asked for (or the newest one the person may read); drafts for managers only."""
    may_edit = manages(workshop)
    if number is None:
        version = latest_version(standard, published_only=not may_edit)
    else:
        version = version_numbered(standard, number)
    if version is None or (not version.is_published and not may_edit):
        abort(404)
    return version


def draft_or_404(workshop: Workshop, standard: DataStandard, number: int) -> StandardVersion:
    """A version a manager may change (refusals come from the services)."""
    version = version_numbered(standard, number)
    if version is None:
        abort(404)
    return version


def readable_in(
    slug: str, standard_id: int, number: int | None
) -> tuple[Workshop, DataStandard, StandardVersion]:
    """The workshop, its standard and the version the signed-in person may read."""
    workshop = workshop_or_404(slug)
    standard = standard_or_404(workshop, standard_id)
    return workshop, standard, readable_version(workshop, standard, number)


def draft_in(
    slug: str, standard_id: int, number: int
) -> tuple[Workshop, DataStandard, StandardVersion]:
    """The workshop, its standard and a version of it, for someone who manages them."""
    workshop = managed_or_403(slug)
    standard = standard_or_404(workshop, standard_id)
    return workshop, standard, draft_or_404(workshop, standard, number)


def field_or_404(version: StandardVersion, field_id: int) -> StandardField:
    """A field of this version."""
    found = next((item for item in version.fields if item.id == field_id), None)
    if found is None:
        abort(404)
    return found


def to_version(
    workshop: Workshop, standard: DataStandard, version: StandardVersion, anchor: str = ""
) -> Response:
    """Back to a version's page."""
    url = url_for(
        "standards.show", slug=workshop.slug, standard_id=standard.id, number=version.number
    )
    return redirect(url + anchor)


@bp.route("/")
@roles_required(*ROLES)
def index(slug: str) -> str:
    """The workshop's standards, and (for its leads) drafting one from its needs."""
    workshop = workshop_or_404(slug)
    may_edit = manages(workshop)
    listed = [
        (s, latest_version(s, published_only=not may_edit))
        for s in standards_of(db.session, workshop)
    ]
    return render_template(
        "standards/index.html",
        workshop=workshop,
        standards=[(s, v) for s, v in listed if v is not None],
        may_edit=may_edit,
        form=DraftForm(),
        need_count=len(workshop_needs(db.session, workshop)),
    )


@bp.route("/draft", methods=["POST"])
@roles_required(*MANAGING)
def draft(slug: str) -> Response:
    """Draft a standard from the workshop's needs and the starter library."""
    workshop = managed_or_403(slug)
    form = DraftForm()
    if not form.validate_on_submit():
        flash("The title is too long.", "error")
        return redirect(url_for("standards.index", slug=slug))
    standard = draft_from_workshop(db.session, workshop, current_user, form.title.data or "")
    db.session.commit()
    count = len(standard.versions[0].fields)
    flash(f"Drafted version 1 with {count} fields proposed from the workshop's needs.", "success")
    return to_version(workshop, standard, standard.versions[0])


@bp.route("/<int:standard_id>/")
@bp.route("/<int:standard_id>/v<int:number>")
@roles_required(*ROLES)
def show(slug: str, standard_id: int, number: int | None = None) -> str:
    """One version: its fields with the needs they serve, downloads, comments, endorsements."""
    workshop, standard, version = readable_in(slug, standard_id, number)
    may_edit = manages(workshop)
    needs = workshop_needs(db.session, workshop)
    library = LibraryForm()
    present = {item.name for item in version.fields}
    library.name.choices = [
        (i.name, f"{i.title} — {i.source}") for i in library_fields() if i.name not in present
    ]
    return render_template(
        "standards/show.html",
        workshop=workshop,
        standard=standard,
        version=version,
        versions=[v for v in standard.versions if v.is_published or may_edit],
        may_edit=may_edit,
        needs=needs,
        served=fields_by_need(db.session, [n.id for n in needs]),
        comments=comments_on(db.session, COMMENT_TARGET, [version.id]).get(version.id, []),
        endorsements=endorsement_summary(db.session, version, current_user),
        library=library,
        publish_form=PublishForm(version=version.version),
        comment_form=CommentForm(),
        button=ButtonForm(),
        downloads=list(DOWNLOADS),
        type_words=TYPE_WORDS,
    )


@bp.route("/<int:standard_id>/v<int:number>/fields/new", methods=["GET", "POST"])
@bp.route("/<int:standard_id>/v<int:number>/fields/<int:field_id>", methods=["GET", "POST"])
@roles_required(*MANAGING)
def edit_field(
    slug: str, standard_id: int, number: int, field_id: int | None = None
) -> str | Response:
    """Add a field to a draft, or change one: its meaning, type, code list and needs."""
    workshop, standard, version = draft_in(slug, standard_id, number)
    editing = field_or_404(version, field_id) if field_id is not None else None
    form = FieldForm(obj=editing if request.method == "GET" else None)
    needs = workshop_needs(db.session, workshop)
    form.needs.choices = [(need.id, need.text) for need in needs]
    if request.method == "GET" and editing is not None:
        form.allowed_values.data = allowed_values_text(editing.allowed_values)
        form.needs.data = [need.id for need in editing.needs]
        form.minimum.data = Decimal(str(editing.minimum)) if editing.minimum is not None else None
    if form.validate_on_submit():
        try:
            save_field(db.session, version, field_input(form), current_user, editing)
        except StandardError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Saved the field {form.name.data}.", "success")
            return to_version(workshop, standard, version, "#fields")
    return render_template(
        "standards/field_form.html",
        workshop=workshop,
        standard=standard,
        version=version,
        form=form,
        editing=editing,
    )


def field_input(form: FieldForm) -> FieldInput:
    """The form's values as a field input."""
    return FieldInput(
        name=(form.name.data or "").strip(),
        title=(form.title.data or "").strip(),
        question=(form.question.data or "").strip(),
        definition=(form.definition.data or "").strip(),
        type=form.type.data or "string",
        unit=(form.unit.data or "").strip(),
        allowed_values=parse_allowed_values(form.allowed_values.data or ""),
        minimum=float(form.minimum.data) if form.minimum.data is not None else None,
        pattern=(form.pattern.data or "").strip(),
        required=bool(form.required.data),
        identifying=bool(form.identifying.data),
        guidance=(form.guidance.data or "").strip(),
        need_ids=[int(i) for i in form.needs.data or []],
    )


@bp.route("/<int:standard_id>/v<int:number>/library", methods=["POST"])
@roles_required(*MANAGING)
def add_from_library(slug: str, standard_id: int, number: int) -> Response:
    """Add a starter-library field to the draft."""
    workshop, standard, version = draft_in(slug, standard_id, number)
    form = LibraryForm()
    form.name.choices = [(item.name, item.title) for item in library_fields()]
    if not form.validate_on_submit():
        flash("Choose a field of the library.", "error")
        return to_version(workshop, standard, version)
    return _change(
        workshop,
        standard,
        version,
        lambda: add_library_field(db.session, version, form.name.data or "", current_user),
        "Added the field.",
    )


@bp.route("/<int:standard_id>/v<int:number>/fields/<int:field_id>/remove", methods=["POST"])
@roles_required(*MANAGING)
def remove(slug: str, standard_id: int, number: int, field_id: int) -> Response:
    """Take a field out of the draft."""
    workshop, standard, version = draft_in(slug, standard_id, number)
    target = field_or_404(version, field_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _change(
        workshop,
        standard,
        version,
        lambda: remove_field(db.session, version, target, current_user),
        f"Removed the field {target.name}.",
    )


@bp.route("/<int:standard_id>/v<int:number>/publish", methods=["POST"])
@roles_required(*MANAGING)
def publish_version(slug: str, standard_id: int, number: int) -> Response:
    """Publish the draft: it is frozen and open for submissions."""
    workshop, standard, version = draft_in(slug, standard_id, number)
    form = PublishForm()
    seen = form.version.data or ""
    expected = (
        int(seen) if form.validate_on_submit() and seen.isdecimal() and len(seen) < 10 else -1
    )
    return _change(
        workshop,
        standard,
        version,
        lambda: publish(db.session, version, expected, current_user),
        f"Version {version.number} is published.",
    )


def _change(
    workshop: Workshop, standard: DataStandard, version: StandardVersion, change, done: str
) -> Response:  # type: ignore[no-untyped-def]
    """Make a change, commit it and say so; or roll back and say why not."""
    try:
        change()
    except StandardError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return to_version(workshop, standard, version)


@bp.route("/<int:standard_id>/next", methods=["POST"])
@roles_required(*MANAGING)
def next_version(slug: str, standard_id: int) -> Response:
    """Open the next draft, copied from the newest published version."""
    workshop = managed_or_403(slug)
    standard = standard_or_404(workshop, standard_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    draft_version = draft_of(db.session, standard, current_user)
    db.session.commit()
    flash(f"Version {draft_version.number} is a draft: change it, then publish it.", "success")
    return to_version(workshop, standard, draft_version)


@bp.route("/<int:standard_id>/v<int:number>/comment", methods=["POST"])
@roles_required(*ROLES)
def comment(slug: str, standard_id: int, number: int) -> Response:
    """A member's comment on a published version."""
    workshop, standard, version = readable_in(slug, standard_id, number)
    form = CommentForm()
    if not version.is_published or not form.validate_on_submit():
        flash("Write a comment (at most 4,000 characters) on a published version.", "error")
        return to_version(workshop, standard, version, "#comments")
    try:
        add_comment(db.session, COMMENT_TARGET, version.id, current_user, form.body.data or "")
    except RoundUpError as error:
        flash(str(error), "error")
        return to_version(workshop, standard, version, "#comments")
    db.session.commit()
    flash("Comment added.", "success")
    return to_version(workshop, standard, version, "#comments")


@bp.route("/<int:standard_id>/v<int:number>/endorse", methods=["POST"])
@roles_required(*ROLES)
def endorse(slug: str, standard_id: int, number: int) -> Response:
    """Endorse a published version, or withdraw the endorsement."""
    workshop, standard, version = readable_in(slug, standard_id, number)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        now = toggle_endorsement(db.session, version, current_user)
    except StandardError as error:
        flash(str(error), "error")
        return to_version(workshop, standard, version)
    db.session.commit()
    flash(f"You endorse version {version.number}." if now else "Endorsement withdrawn.", "success")
    return to_version(workshop, standard, version, "#endorsements")


@bp.route("/<int:standard_id>/v<int:number>/dictionary")
@roles_required(*ROLES)
def dictionary(slug: str, standard_id: int, number: int) -> str:
    """The data dictionary as a web page."""
    workshop, standard, version = readable_in(slug, standard_id, number)
    return render_template(
        "standards/dictionary.html",
        workshop=workshop,
        standard=standard,
        version=version,
        items=dictionary_outline(version),
    )


@bp.route("/<int:standard_id>/v<int:number>/<any(" + ", ".join(map(repr, DOWNLOADS)) + "):output>")
@roles_required(*ROLES)
def download(slug: str, standard_id: int, number: int, output: str) -> Response:
    """A version as a Table Schema, CSV or XLSX template, PDF dictionary or survey questions."""
    workshop, standard, version = readable_in(slug, standard_id, number)
    mimetype, writer = DOWNLOADS[output]
    name = f"{standard.slug}-v{version.number}-{output}"
    return attachment(writer(version), name, mimetype)  # the charset said once
