"""Workshop pages: list, create and edit, status, exercises, members, participants, link and QR."""

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.auth.services import find_user
from insights.core.forms import ButtonForm
from insights.core.lookups import facilitated_or_403, workshop_or_404
from insights.extensions import db
from insights.organisations.models import Borough
from insights.organisations.services import find_or_add_organisation
from insights.statements.services import StatementError
from insights.versioning import submitted_version
from insights.workshops.forms import (
    ExerciseForm,
    MemberForm,
    ParticipantForm,
    StatusForm,
    WorkshopForm,
)
from insights.workshops.links import participant_url, qr_png, qr_svg, short_participant_url
from insights.workshops.models import Exercise, Participant, Workshop, WorkshopMember
from insights.workshops.next_for_you import NextForYou, next_for_you
from insights.workshops.services import (
    STATUS_MOVES,
    WorkshopError,
    add_exercise,
    add_member,
    change_status,
    create_workshop,
    enable_participant_link,
    revoke_participant_link,
    unique_exercise_key,
    update_workshop,
    visible_workshops_query,
)

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


@bp.app_context_processor
def reader_helpers() -> dict[str, Any]:
    """`next_for_you(workshop)` in every template: what the signed-in person can open next."""

    def for_current_user(workshop: Workshop) -> NextForYou:
        return next_for_you(db.session, current_user, workshop)

    return {"next_for_you": for_current_user}


@bp.route("/")
@roles_required(*ROLES)
def index() -> str:
    """The workshops the signed-in person may open."""
    workshops = db.session.scalars(visible_workshops_query(current_user)).all()
    return render_template("workshops/index.html", workshops=workshops)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("facilitator")
def new() -> str | Response:
    """Create a workshop; its creator facilitates it."""
    form = WorkshopForm()
    if form.validate_on_submit():
        workshop = create_workshop(
            db.session,
            form.title.data or "",
            when=form.date.data,
            creator=current_user,
            with_templates=form.with_templates.data,
        )
        for name in ("host_network", "place", "online", "description"):
            setattr(workshop, name, form[name].data)
        db.session.commit()
        flash("Workshop created. Add exercises and participants, then make it live.", "success")
        return redirect(url_for("workshops.manage", slug=workshop.slug))
    return render_template("workshops/form.html", form=form, workshop=None)


@bp.route("/<slug>/")
@roles_required(*ROLES)
def show(slug: str) -> Response:
    """A workshop opens on its board."""
    workshop_or_404(slug)
    return redirect(url_for("statements.board", slug=slug))


@bp.route("/<slug>/manage", methods=["GET", "POST"])
@roles_required("facilitator")
def manage(slug: str) -> str | Response:
    """Edit a workshop's details (a stale form is refused, not overwritten)."""
    workshop = facilitated_or_403(slug)
    form = WorkshopForm(obj=workshop)
    del form.with_templates
    if form.validate_on_submit():
        fields = {
            name: form[name].data
            for name in ("title", "date", "host_network", "place", "online", "description")
        }
        try:
            update_workshop(workshop, submitted_version(form.version.data), **fields)
        except WorkshopError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Workshop saved.", "success")
            return redirect(url_for("workshops.manage", slug=slug))
    form.version.data = str(workshop.version)
    return render_template(
        "workshops/manage.html", workshop=workshop, form=form, **manage_context(workshop)
    )


def manage_context(workshop: Workshop) -> dict[str, object]:
    """Everything the manage page shows besides the details form."""
    members = (
        db.session.execute(
            sa.select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id)
        )
        .scalars()
        .all()
    )
    participant_form = ParticipantForm(prefix="participant")
    participant_form.borough.choices = borough_choices()
    return {
        "status_form": StatusForm(prefix="status"),
        "exercise_form": ExerciseForm(prefix="exercise"),
        "member_form": MemberForm(prefix="member"),
        "participant_form": participant_form,
        "button": ButtonForm(),
        "members": members,
        "participant_url": participant_url(workshop),
        "short_url": short_participant_url(workshop),
        "moves": STATUS_MOVES.get(workshop.status, ()),
    }


def borough_choices() -> list[tuple[str, str]]:
    """Boroughs for a select, with "none" first."""
    rows = db.session.execute(sa.select(Borough.code, Borough.name).order_by(Borough.name))
    return [("", "— none —"), *((code, name) for code, name in rows)]


@bp.route("/<slug>/status", methods=["POST"])
@roles_required("facilitator")
def status(slug: str) -> Response:
    """Make the workshop live, close it, or reopen it."""
    workshop = facilitated_or_403(slug)
    form = StatusForm(prefix="status")
    if form.validate_on_submit():
        try:
            change_status(workshop, form.status.data or "")
        except WorkshopError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"The workshop is now {workshop.status}.", "success")
    return redirect(url_for("workshops.manage", slug=slug))


@bp.route("/<slug>/exercises", methods=["POST"])
@roles_required("facilitator")
def add_exercise_view(slug: str) -> Response:
    """Add a custom exercise."""
    workshop = facilitated_or_403(slug)
    form = ExerciseForm(prefix="exercise")
    if form.validate_on_submit():
        key = unique_exercise_key(workshop, form.title.data or "")
        add_exercise(
            workshop, key, form.title.data or "", form.prompt.data or "", form.kind.data or ""
        )
        db.session.commit()
        flash("Exercise added.", "success")
    else:
        flash("An exercise needs a title and a prompt.", "error")
    return redirect(url_for("workshops.manage", slug=slug) + "#exercises")


@bp.route("/<slug>/exercises/<int:exercise_id>", methods=["GET", "POST"])
@roles_required("facilitator")
def edit_exercise(slug: str, exercise_id: int) -> str | Response:
    """Edit an exercise's title, prompt or kind."""
    workshop = facilitated_or_403(slug)
    exercise = db.session.get(Exercise, exercise_id)
    if exercise is None or exercise.workshop_id != workshop.id:
        abort(404)
    form = ExerciseForm(obj=exercise)
    if form.validate_on_submit():
        form.populate_obj(exercise)
        db.session.commit()
        flash("Exercise saved.", "success")
        return redirect(url_for("workshops.manage", slug=slug) + "#exercises")
    return render_template(
        "workshops/exercise.html", workshop=workshop, form=form, exercise=exercise
    )


@bp.route("/<slug>/members", methods=["POST"])
@roles_required("facilitator")
def add_member_view(slug: str) -> Response:
    """Invite an existing account as a member or facilitator of this workshop."""
    workshop = facilitated_or_403(slug)
    form = MemberForm(prefix="member")
    user = find_user(db.session, form.email.data or "") if form.validate_on_submit() else None
    if user is None:
        flash(
            "No account has that email. An admin can create it with `insights users create`.",
            "error",
        )
    else:
        try:
            add_member(db.session, workshop, user, form.role.data or "member", by=current_user)
        except WorkshopError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"{user.name} can now open this workshop.", "success")
    return redirect(url_for("workshops.manage", slug=slug) + "#people")


@bp.route("/<slug>/participants", methods=["POST"])
@roles_required("facilitator")
def add_participant(slug: str) -> Response:
    """Record someone taking part, with their organisation and borough."""
    workshop = facilitated_or_403(slug)
    form = ParticipantForm(prefix="participant")
    form.borough.choices = borough_choices()
    if not form.validate_on_submit() or not (form.name.data or form.organisation.data):
        flash("A participant needs a name or an organisation.", "error")
        return redirect(url_for("workshops.manage", slug=slug) + "#people")
    borough = form.borough.data or None
    try:
        organisation = find_or_add_organisation(db.session, form.organisation.data or "", borough)
    except StatementError as error:
        flash(str(error), "error")
        return redirect(url_for("workshops.manage", slug=slug) + "#people")
    if organisation is not None and organisation.id is None:
        organisation.type = form.organisation_type.data or "other"
        organisation.org_id = (form.org_id.data or "").strip() or None
    workshop.participants.append(
        Participant(
            name=(form.name.data or "").strip(),
            organisation=organisation,
            borough_code=borough,
            named_with_consent=form.named_with_consent.data,
        )
    )
    db.session.commit()
    flash("Participant added.", "success")
    return redirect(url_for("workshops.manage", slug=slug) + "#people")


@bp.route("/<slug>/link", methods=["POST"])
@roles_required("facilitator")
def participant_link(slug: str) -> Response:
    """Open or revoke the participant link (revoking takes effect at once)."""
    workshop = facilitated_or_403(slug)
    if ButtonForm().validate_on_submit():
        if request.form.get("action") == "revoke":
            revoke_participant_link(workshop, db.session, current_user)
            flash("The participant link is revoked: it no longer works.", "success")
        else:
            enable_participant_link(workshop, db.session, current_user)
            flash("The participant link is open while the workshop is live.", "success")
        db.session.commit()
    return redirect(url_for("workshops.manage", slug=slug) + "#link")


@bp.route("/<slug>/participant-cards", methods=["POST"])
@roles_required("facilitator")
def participant_cards(slug: str) -> Response:
    """Let participants see the post-its read-only and +1 them, or stop it."""
    workshop = facilitated_or_403(slug)
    if ButtonForm().validate_on_submit():
        workshop.participants_see_cards = request.form.get("action") == "show"
        db.session.commit()
        flash(
            "Participants can now see the post-its and +1 them."
            if workshop.participants_see_cards
            else "Participants no longer see the post-its.",
            "success",
        )
    return redirect(url_for("workshops.manage", slug=slug) + "#link")


@bp.route("/<slug>/qr.svg")
@roles_required("facilitator")
def qr_code(slug: str) -> Response:
    """The participant link as an SVG QR code, for the manage and projector pages."""
    url = open_participant_url(slug)
    return Response(qr_svg(url), mimetype="image/svg+xml")


@bp.route("/<slug>/qr.png")
@roles_required("facilitator")
def qr_code_png(slug: str) -> Response:
    """The participant link as a PNG QR code to download, for slides and handouts."""
    url = open_participant_url(slug)
    response = Response(qr_png(url), mimetype="image/png")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-join-qr.png"'
    return response


def open_participant_url(slug: str) -> str:
    """The participant link of a workshop the viewer facilitates; 404 while it is closed."""
    url = participant_url(facilitated_or_403(slug))
    if url is None:
        abort(404)
    return url
