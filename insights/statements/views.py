"""Capture, board and statement pages: keyboard-first capture, a live board, lossless edits."""

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.forms import ButtonForm
from insights.core.ids import parse_id
from insights.core.lookups import (
    facilitated_or_403,
    statement_or_404,
    visible_organisations_query,
    workshop_or_404,
)
from insights.core.navigation import safe_next
from insights.core.pages import page_number, paginate
from insights.extensions import db
from insights.organisations.models import Borough
from insights.participate.services import plus_one_counts
from insights.statements.forms import CaptureForm, EditForm, MergeForm, NeedForm, SplitForm
from insights.statements.models import Statement, StatementRevision
from insights.statements.queries import (
    BOARD_PAGE_SIZE,
    BoardFilters,
    board_page,
    board_statements,
    board_totals,
    filter_options,
    recent_statements,
    with_card_data,
)
from insights.statements.services import (
    EditConflict,
    StatementError,
    StatementInput,
    add_statement,
    delete_statement,
    edit_statement,
    merge_statements,
    merged_evidence,
    restore_statement,
    split_statement,
    unmerge_statement,
)
from insights.themes.retag import tag_now
from insights.versioning import submitted_version
from insights.workshops.models import STATEMENT_KINDS, Workshop
from insights.workshops.services import can_facilitate

bp = Blueprint("statements", __name__, url_prefix="/workshops/<slug>")

DELETED_PAGE_SIZE = 100


def wants_json() -> bool:
    """Whether the request came from our scripts (fetch) rather than a plain form."""
    return request.accept_mimetypes.best == "application/json"


def card_html(statement: Statement, workshop: Workshop, **extra: Any) -> str:
    """One card, rendered the same way for the board, capture and live updates."""
    return render_template("statements/_card.html", s=statement, workshop=workshop, **extra)


@bp.route("/capture", methods=["GET", "POST"])
@roles_required("facilitator")
def capture(slug: str) -> Any:
    """Capture mode: type, Enter saves, the card appears with its themes; no mouse needed."""
    workshop = facilitated_or_403(slug)
    form = CaptureForm()
    form.exercise_id.choices = [(e.id, e.title) for e in workshop.exercises]
    if request.method == "POST":
        return save_capture(workshop, form)
    return render_capture(workshop, form)


def render_capture(workshop: Workshop, form: CaptureForm, status: int = 200) -> tuple[str, int]:
    """The capture page with the latest 20 cards."""
    cards = recent_statements(db.session, workshop)
    boroughs = db.session.scalars(sa.select(Borough.name).order_by(Borough.name)).all()
    seen = visible_organisations_query(current_user).limit(500)
    organisations = [o.name for o in db.session.scalars(seen)]
    return render_template(
        "statements/capture.html",
        workshop=workshop,
        form=form,
        cards=cards,
        boroughs=boroughs,
        organisations=organisations,
    ), status


def save_capture(workshop: Workshop, form: CaptureForm) -> Any:
    """Save one captured post-it; on a problem keep every typed word and say what is wrong."""
    if not form.validate_on_submit():
        message = "; ".join(e for errors in form.errors.values() for e in errors)
        return capture_problem(workshop, form, message or "The post-it could not be saved.")
    data = StatementInput(
        text=form.text.data or "",
        kind=form.kind.data or None,
        exercise_id=form.exercise_id.data,
        organisation=form.organisation.data or "",
        borough=form.borough.data or "",
        author_name=form.author_name.data or "",
    )
    try:
        statement = add_statement(db.session, workshop, data, current_user)
    except StatementError as error:
        db.session.rollback()
        return capture_problem(workshop, form, str(error))
    tag_now(db.session, [statement.id])
    db.session.commit()
    if wants_json():
        return jsonify(
            id=statement.id,
            html=card_html(statement, workshop, fresh=True),
            undo_url=url_for(".delete", slug=workshop.slug, statement_id=statement.id),
        )
    flash("Post-it saved.", "success")
    return redirect(url_for(".capture", slug=workshop.slug, exercise=form.exercise_id.data))


def capture_problem(workshop: Workshop, form: CaptureForm, message: str) -> Any:
    """Refuse a post-it without losing it: JSON for the script, the filled form otherwise."""
    if wants_json():
        return jsonify(error=message), 422
    flash(message, "error")
    return render_capture(workshop, form, 422)


@bp.route("/board")
@roles_required(*ROLES)
def board(slug: str) -> str:
    """The workshop's statements in columns by exercise, filterable, a page of the newest at a
    time; page 1 is live (new cards arrive at its top)."""
    workshop = workshop_or_404(slug)
    filters = BoardFilters.from_args(request.args)
    by_exercise, newest = board_totals(db.session, workshop, filters)
    total = sum(by_exercise.values())
    page = board_page(db.session, workshop, filters, page_number(request.args), total=total)
    columns: dict[int | None, list[Statement]] = {e.id: [] for e in workshop.exercises}
    for statement in page.items:  # newest first: live cards arrive at the top
        columns.setdefault(statement.exercise_id, []).append(statement)
    return render_template(
        "statements/board.html",
        workshop=workshop,
        columns=columns,
        column_totals=by_exercise,
        page=page,
        filters=filters,
        options=filter_options(db.session, workshop),
        kinds=STATEMENT_KINDS,
        count=page.total,
        last_id=newest,
        can_edit=can_facilitate(db.session, current_user, workshop),
        merge_form=MergeForm(),
        plus_ones=plus_one_counts(db.session, [s.id for s in page.items]),
    )


@bp.route("/board/changes")
@roles_required(*ROLES)
def board_changes(slug: str) -> Response:
    """New cards since the last one the board shows, for the board's polling script."""
    workshop = workshop_or_404(slug)
    after = parse_id(request.args.get("after", "")) or 0
    filters = BoardFilters.from_args(request.args)
    # A page's worth at most: a poll from an old or odd last id must not send the whole wall.
    statements = board_statements(
        db.session, workshop, filters, after_id=after, limit=BOARD_PAGE_SIZE
    )
    can_edit = can_facilitate(db.session, current_user, workshop)
    cards = [
        {
            "id": s.id,
            "exercise_id": s.exercise_id,
            "html": card_html(s, workshop, selectable=can_edit, reviewable=can_edit, fresh=True),
        }
        for s in statements
    ]
    return jsonify(
        cards=cards,
        last_id=max([s.id for s in statements], default=after),
    )


@bp.route("/statements/<int:statement_id>")
@roles_required(*ROLES)
def show(slug: str, statement_id: int) -> str:
    """One post-it: its wording and history, merged evidence, and (for needs) the need form."""
    workshop = workshop_or_404(slug)
    statement = statement_or_404(workshop, statement_id)
    return render_statement(workshop, statement)


def render_statement(workshop: Workshop, statement: Statement, **forms: Any) -> str:
    """The statement page, with fresh forms unless some are given (after an error)."""
    statement = db.session.scalars(
        with_card_data(sa.select(Statement).where(Statement.id == statement.id))
    ).one()
    edit_form = forms.get("edit_form") or EditForm(
        text=statement.text, version=str(statement.version)
    )
    need_form = forms.get("need_form")
    if need_form is None and statement.need is not None:
        need_form = NeedForm(obj=statement.need)
        need_form.version.data = str(statement.need.version)
    history = db.session.scalars(
        sa.select(StatementRevision)
        .where(StatementRevision.statement_id == statement.id)
        .order_by(StatementRevision.id)
    ).all()
    return render_template(
        "statements/show.html",
        workshop=workshop,
        s=statement,
        edit_form=edit_form,
        need_form=need_form,
        split_form=forms.get("split_form") or SplitForm(),
        button=ButtonForm(),
        history=history,
        evidence=merged_evidence(db.session, statement),
        can_edit=can_facilitate(db.session, current_user, workshop),
        conflict=forms.get("conflict"),
    )


@bp.route("/statements/<int:statement_id>/edit", methods=["POST"])
@roles_required("facilitator")
def edit(slug: str, statement_id: int) -> Any:
    """Save a new wording, unless someone else saved first: then show both versions."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    form = EditForm()
    if not form.validate_on_submit():
        return render_statement(workshop, statement, edit_form=form), 422
    try:
        edit_statement(
            db.session,
            statement,
            form.text.data or "",
            submitted_version(form.version.data),
            current_user,
        )
        tag_now(db.session, [statement.id])
        db.session.commit()
    except EditConflict as conflict:
        return render_statement(workshop, statement, edit_form=form, conflict=conflict), 409
    except StaleDataError:
        # Another save landed between our version check and our write: the same conflict.
        db.session.rollback()
        fresh = statement_or_404(workshop, statement_id)
        raced = EditConflict(fresh, (form.text.data or "").strip())
        return render_statement(workshop, fresh, edit_form=form, conflict=raced), 409
    except StatementError as error:
        form.text.errors = [str(error)]
        return render_statement(workshop, statement, edit_form=form), 422
    flash("Wording saved; the original is kept.", "success")
    return redirect(url_for(".show", slug=slug, statement_id=statement.id))


@bp.route("/statements/<int:statement_id>/delete", methods=["POST"])
@roles_required("facilitator")
def delete(slug: str, statement_id: int) -> Any:
    """Soft-delete a post-it; it can be brought back with Undo."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    delete_statement(db.session, statement, current_user)
    db.session.commit()
    restore_url = url_for(".restore", slug=slug, statement_id=statement.id)
    if wants_json():
        return jsonify(id=statement.id, restore_url=restore_url)
    flash(f"Post-it deleted: “{statement.text[:80]}”.", "undo:" + restore_url)
    board = url_for(".board", slug=slug)
    return redirect(safe_next(request.form.get("next"), fallback_url=board))


@bp.route("/statements/<int:statement_id>/restore", methods=["POST"])
@roles_required("facilitator")
def restore(slug: str, statement_id: int) -> Any:
    """Undo a delete."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    restore_statement(db.session, statement, current_user)
    db.session.commit()
    if wants_json():
        return jsonify(id=statement.id, html=card_html(statement, workshop))
    flash("Post-it restored.", "success")
    board = url_for(".board", slug=slug)
    return redirect(safe_next(request.form.get("next"), fallback_url=board))


@bp.route("/deleted")
@roles_required("facilitator")
def deleted(slug: str) -> str:
    """Deleted post-its of the workshop, each with a Restore button."""
    workshop = facilitated_or_403(slug)
    query = (
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.deleted_at.is_not(None))
        .order_by(Statement.deleted_at.desc(), Statement.id.desc())
    )
    page = paginate(db.session, query, page_number(request.args), DELETED_PAGE_SIZE)
    return render_template(
        "statements/deleted.html", workshop=workshop, page=page, button=ButtonForm()
    )


@bp.route("/statements/merge", methods=["POST"])
@roles_required("facilitator")
def merge(slug: str) -> Response:
    """Merge the cards selected on the board into the first one, keeping every wording."""
    workshop = facilitated_or_403(slug)
    form = MergeForm()
    ids = [int(i) for i in request.form.getlist("selected") if i.isdecimal()]
    if not form.validate_on_submit() or len(ids) < 2:
        flash("Select two or more post-its to merge.", "error")
        return redirect(url_for(".board", slug=slug))
    keep_id = int(form.keep.data) if (form.keep.data or "").isdecimal() else ids[0]
    statements = [statement_or_404(workshop, i) for i in dict.fromkeys([keep_id, *ids])]
    try:
        merge_statements(db.session, statements[0], statements[1:], current_user)
    except StatementError as error:
        flash(str(error), "error")
        return redirect(url_for(".board", slug=slug))
    db.session.commit()
    flash(f"Merged {len(statements)} post-its; every wording is kept as evidence.", "success")
    return redirect(url_for(".show", slug=slug, statement_id=statements[0].id))


@bp.route("/statements/<int:statement_id>/unmerge", methods=["POST"])
@roles_required("facilitator")
def unmerge(slug: str, statement_id: int) -> Response:
    """Undo a merge: the post-it returns to the board on its own."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    keep_id = statement.merged_into_id
    unmerge_statement(db.session, statement, current_user)
    db.session.commit()
    flash("Post-it separated again.", "success")
    return redirect(url_for(".show", slug=slug, statement_id=keep_id or statement.id))


@bp.route("/statements/<int:statement_id>/split", methods=["POST"])
@roles_required("facilitator")
def split(slug: str, statement_id: int) -> Any:
    """Split one post-it into two; the original stays in the history."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    form = SplitForm()
    if not form.validate_on_submit():
        return render_statement(workshop, statement, split_form=form), 422
    try:
        halves = split_statement(
            db.session, statement, form.first.data or "", form.second.data or "", current_user
        )
    except StatementError as error:
        form.first.errors = [str(error)]
        return render_statement(workshop, statement, split_form=form), 422
    tag_now(db.session, [half.id for half in halves])
    db.session.commit()
    flash("Split into two post-its. Undo by restoring the original from Deleted.", "success")
    return redirect(url_for(".board", slug=slug))


@bp.route("/statements/<int:statement_id>/need", methods=["POST"])
@roles_required("facilitator")
def need(slug: str, statement_id: int) -> Any:
    """Save the structured need; a stale form gets a conflict, not an overwrite."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    if statement.need is None:
        abort(404)
    form = NeedForm()
    if not form.validate_on_submit():
        return render_statement(workshop, statement, need_form=form), 422
    if submitted_version(form.version.data) != statement.need.version:
        flash(
            "Someone else changed this need after you opened it. Their version is shown; "
            "your text is kept in the form below.",
            "error",
        )
        return render_statement(workshop, statement, need_form=form, conflict="need"), 409
    if (
        form.status.data in ("duplicate", "not-valid")
        and not (form.status_reason.data or "").strip()
    ):
        form.status_reason.errors = ["Say why it is a duplicate or not valid."]
        return render_statement(workshop, statement, need_form=form), 422
    for name in ("role", "goal", "benefit", "met_when", "status", "status_reason"):
        setattr(statement.need, name, (form[name].data or "").strip())
    statement.need.drafted_by = "person"
    statement.need.updated_by_id = current_user.id
    db.session.commit()
    flash("Need saved.", "success")
    return redirect(url_for(".show", slug=slug, statement_id=statement.id))
