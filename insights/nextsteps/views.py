"""Next-step pages: the ranked list, create and edit (stale edits shown side by side), delete
with undo, steps made from a post-it, a gap or a pooling opportunity, weights, the impact /
effort matrix, quick wins, the carry-forward list and exports."""

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.downloads import attachment
from insights.core.enums import MANAGERS
from insights.core.forms import ButtonForm
from insights.core.lookups import (
    child_of_workshop_or_404,
    statement_or_404,
    workshop_or_404,
    workshop_people_query,
)
from insights.core.navigation import safe_next
from insights.extensions import db
from insights.nextsteps.exports import EXPORT_FORMATS, export_filename, export_next_steps
from insights.nextsteps.factors import (
    RankedStep,
    quick_wins,
    ranked_steps,
    set_weights,
    step_factors,
    workshop_weights,
)
from insights.nextsteps.forms import NextStepForm, PoolingForm, weights_form_class
from insights.nextsteps.matrix import Point, matrix_svg
from insights.nextsteps.models import NextStep
from insights.nextsteps.ranking import FACTORS, WeightError, check_weights, score
from insights.nextsteps.services import (
    EditConflict,
    NextStepError,
    NextStepInput,
    PoolingInput,
    can_manage,
    create_next_step,
    datasets_for_step,
    delete_next_step,
    gap_filter,
    input_summary,
    next_step_from_gap,
    next_step_from_pooling,
    next_step_from_statement,
    owner_organisations,
    restore_next_step,
    step_summary,
    update_next_step,
)
from insights.statements.models import Statement
from insights.themes.models import Theme
from insights.voting.models import VoteItem, VoteRound
from insights.workshops.models import Workshop
from insights.workshops.services import visible_workshops_query

bp = Blueprint("nextsteps", __name__, url_prefix="/workshops/<slug>/next-steps")
overview_bp = Blueprint("nextsteps_overview", __name__, url_prefix="/next-steps")


def managed_or_403(slug: str) -> Workshop:
    """The workshop, if the signed-in person runs its next steps (facilitator or lead)."""
    workshop = workshop_or_404(slug)
    if not can_manage(db.session, current_user, workshop):
        abort(403)
    return workshop


def step_or_404(workshop: Workshop, next_step_id: int) -> NextStep:
    """A next step of this workshop (deleted ones too, so they can be restored)."""
    return child_of_workshop_or_404(NextStep, workshop, next_step_id)


def common(workshop: Workshop, active: str) -> dict[str, Any]:
    """What every next-steps page needs: the workshop, the tab, and who may change things."""
    return {
        "workshop": workshop,
        "active": active,
        "can_manage": can_manage(db.session, current_user, workshop),
        "button": ButtonForm(),
    }


@overview_bp.route("/")
@roles_required(*ROLES)
def overview() -> str:
    """Every workshop the person may open, with its next steps and open votes."""
    workshops = db.session.scalars(visible_workshops_query(current_user)).all()
    ids = [w.id for w in workshops]
    steps = dict(
        db.session.execute(
            sa.select(NextStep.workshop_id, sa.func.count())
            .where(NextStep.workshop_id.in_(ids), NextStep.deleted_at.is_(None))
            .group_by(NextStep.workshop_id)
        ).all()
    )
    votes = dict(
        db.session.execute(
            sa.select(VoteRound.workshop_id, sa.func.count())
            .where(VoteRound.workshop_id.in_(ids), VoteRound.status == "open")
            .group_by(VoteRound.workshop_id)
        ).all()
    )
    return render_template("nextsteps/overview.html", workshops=workshops, steps=steps, votes=votes)


@bp.route("/")
@roles_required(*ROLES)
def index(slug: str) -> str:
    """The ranked list: every factor beside the score."""
    workshop = workshop_or_404(slug)
    ranking = ranked_steps(db.session, workshop)
    deleted = db.session.scalars(
        sa.select(NextStep)
        .where(NextStep.workshop_id == workshop.id, NextStep.deleted_at.is_not(None))
        .order_by(NextStep.deleted_at.desc())
    ).all()
    return render_template(
        "nextsteps/index.html",
        ranking=ranking,
        deleted=deleted,
        factors=FACTORS,
        weights=workshop_weights(db.session, workshop),
        **common(workshop, "ranking"),
    )


@bp.route("/matrix")
@roles_required(*ROLES)
def matrix(slug: str) -> str:
    """Impact against effort, as SVG with a link on each step, and the same as a table."""
    workshop = workshop_or_404(slug)
    ranking = ranked_steps(db.session, workshop)
    placed = [r for r in ranking if r.step.impact and r.step.effort]
    points = [
        Point(
            rank=r.rank,
            title=r.step.title,
            url=url_for(".show", slug=slug, next_step_id=r.step.id),
            impact=r.step.impact or 1,
            effort=r.step.effort or "M",
            quick_win=r.quick_win,
        )
        for r in placed
    ]
    return render_template(
        "nextsteps/matrix.html",
        svg=matrix_svg(points),
        placed=placed,
        unplaced=[r for r in ranking if r not in placed],
        **common(workshop, "matrix"),
    )


@bp.route("/quick-wins")
@roles_required(*ROLES)
def quick_wins_view(slug: str) -> str:
    """Small steps, tangible outcomes: high impact for a small effort."""
    workshop = workshop_or_404(slug)
    wins = quick_wins(ranked_steps(db.session, workshop))
    return render_template("nextsteps/quick_wins.html", wins=wins, **common(workshop, "quick"))


@bp.route("/carry")
@roles_required(*ROLES)
def carry(slug: str) -> Response:
    """The carry-forward page moved to its own feature (insights.carry); old links follow."""
    workshop_or_404(slug)
    return redirect(url_for("carry.index", slug=slug))


@bp.route("/export")
@roles_required(*ROLES)
def export(slug: str) -> Response:
    """Download the ranked next steps with scores and factors: ?format=csv (default) or xlsx."""
    workshop = workshop_or_404(slug)
    file_format = request.args.get("format", "csv")
    if file_format not in EXPORT_FORMATS:
        abort(404)
    return attachment(
        export_next_steps(db.session, workshop, file_format),
        export_filename(workshop, file_format),
        EXPORT_FORMATS[file_format],
    )


@bp.route("/<int:next_step_id>")
@roles_required(*ROLES)
def show(slug: str, next_step_id: int) -> str:
    """One next step: its fields, what it addresses, its score and its votes."""
    workshop = workshop_or_404(slug)
    step = step_or_404(workshop, next_step_id)
    factors = step_factors(db.session, [step])[step.id]
    need_ids = [s.id for s in step.statements if s.kind == "need"]
    ballots = db.session.execute(
        sa.select(VoteRound, VoteItem)
        .join(VoteItem, VoteItem.round_id == VoteRound.id)
        .where(VoteItem.next_step_id == step.id)
        .order_by(VoteRound.id.desc())
    ).all()
    return render_template(
        "nextsteps/show.html",
        step=step,
        factors=factors,
        score=score(factors, workshop_weights(db.session, workshop)),
        gaps=gap_filter(db.session, need_ids),
        ballots=ballots,
        **common(workshop, "ranking"),
    )


# --- create and edit ---------------------------------------------------------------------


def set_choices(form: NextStepForm, workshop: Workshop, step: NextStep | None) -> None:
    """Fill the form's lists: the workshop's post-its, themes, datasets and possible owners."""
    live = (
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None))
        .where(Statement.merged_into_id.is_(None))
        .order_by(Statement.id)
    )
    statements = db.session.scalars(live).all()
    needs = [s for s in statements if s.kind == "need"]
    gaps = gap_filter(db.session, [s.id for s in needs])
    form.needs.choices = [(s.id, ("GAP · " if s.id in gaps else "") + s.text) for s in needs]
    form.statements.choices = [
        (s.id, f"{s.kind.replace('-', ' ')} · {s.text}") for s in statements if s.kind != "need"
    ]
    themes = db.session.scalars(
        sa.select(Theme).where(Theme.merged_into_id.is_(None)).order_by(Theme.position, Theme.name)
    )
    form.themes.choices = [(t.id, t.name) for t in themes]
    datasets = db.session.scalars(datasets_for_step(workshop, current_user))
    form.datasets.choices = [(d.id, d.title) for d in datasets]
    form.owner.choices = owner_choices(workshop)


def owner_choices(workshop: Workshop) -> list[tuple[str, str]]:
    """No owner, the workshop's people, then organisations."""
    people = db.session.scalars(workshop_people_query(workshop)).all()
    organisations = db.session.scalars(owner_organisations(current_user).limit(1000)).all()
    return [
        ("", "— nobody yet —"),
        *((f"user:{p.id}", f"Person: {p.name}") for p in people),
        *((f"org:{o.id}", f"Organisation: {o.name}") for o in organisations),
    ]


def fill_form(form: NextStepForm, step: NextStep) -> None:
    """Put a saved step's values in the form."""
    for name in ("title", "description", "status", "due_date", "notes"):
        form[name].data = getattr(step, name)
    form.effort.data = step.effort or ""
    form.impact.data = str(step.impact or "")
    form.needs.data = [s.id for s in step.statements if s.kind == "need"]
    form.statements.data = [s.id for s in step.statements if s.kind != "need"]
    form.themes.data = [t.id for t in step.themes]
    form.datasets.data = [d.id for d in step.datasets]
    if step.owner_user_id:
        form.owner.data = f"user:{step.owner_user_id}"
    elif step.owner_organisation_id:
        form.owner.data = f"org:{step.owner_organisation_id}"
    form.version.data = str(step.version)


def input_from(form: NextStepForm) -> NextStepInput:
    """The form's values as a service input."""
    impact = form.impact.data or ""
    return NextStepInput(
        title=form.title.data or "",
        description=form.description.data or "",
        statement_ids=[*(form.needs.data or []), *(form.statements.data or [])],
        theme_ids=list(form.themes.data or []),
        dataset_ids=list(form.datasets.data or []),
        owner=form.owner.data or "",
        owner_organisation_name=form.owner_organisation_name.data or "",
        status=form.status.data or "proposed",
        due_date=form.due_date.data,
        effort=form.effort.data or None,
        impact=int(impact) if impact.isdecimal() else None,
        notes=form.notes.data or "",
    )


def render_form(
    workshop: Workshop, form: NextStepForm, step: NextStep | None, status: int = 200, **extra: Any
) -> tuple[str, int]:
    """The create / edit page."""
    page = render_template(
        "nextsteps/form.html", form=form, step=step, **extra, **common(workshop, "ranking")
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new(slug: str) -> Any:
    """Create a next step from scratch."""
    workshop = managed_or_403(slug)
    form = NextStepForm()
    set_choices(form, workshop, None)
    if not form.validate_on_submit():
        return render_form(workshop, form, None, 422 if request.method == "POST" else 200)
    try:
        step = create_next_step(db.session, workshop, input_from(form), current_user)
    except NextStepError as error:
        db.session.rollback()
        form.title.errors = [*form.title.errors, str(error)]
        return render_form(workshop, form, None, 422)
    db.session.commit()
    flash("Next step added.", "success")
    return redirect(url_for(".show", slug=slug, next_step_id=step.id))


@bp.route("/<int:next_step_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(slug: str, next_step_id: int) -> Any:
    """Edit a step; if someone saved it meanwhile, show both versions and overwrite nothing."""
    workshop = managed_or_403(slug)
    step = step_or_404(workshop, next_step_id)
    form = NextStepForm()
    set_choices(form, workshop, step)
    if request.method == "GET":
        fill_form(form, step)
        return render_form(workshop, form, step)
    if not form.validate_on_submit():
        return render_form(workshop, form, step, 422)
    return save_edit(workshop, step, form)


def save_edit(workshop: Workshop, step: NextStep, form: NextStepForm) -> Any:
    """Save the edit, or show the conflict page when the step changed since the form opened."""
    data = input_from(form)
    expected = int(form.version.data) if (form.version.data or "").isdecimal() else 0
    try:
        update_next_step(db.session, step, data, expected, current_user)
        db.session.commit()
    except EditConflict as conflict:
        return show_conflict(workshop, form, conflict)
    except StaleDataError:
        # Another save landed between our check and our write: the same conflict.
        db.session.rollback()
        return conflict_after_race(workshop, form, step_or_404(workshop, step.id))
    except NextStepError as error:
        db.session.rollback()
        form.title.errors = [*form.title.errors, str(error)]
        return render_form(workshop, form, step, 422)
    flash("Next step saved.", "success")
    return redirect(url_for(".show", slug=workshop.slug, next_step_id=step.id))


def conflict_after_race(workshop: Workshop, form: NextStepForm, step: NextStep) -> Any:
    """The conflict page when the version changed between the check and the write."""
    conflict = EditConflict(
        step,
        step_summary(step),
        input_summary(db.session, workshop, input_from(form), current_user),
    )
    return show_conflict(workshop, form, conflict)


def show_conflict(workshop: Workshop, form: NextStepForm, conflict: EditConflict) -> Any:
    """Both versions side by side; the form keeps the editor's values, ready to save over."""
    db.session.rollback()
    step = step_or_404(workshop, conflict.step.id)
    form.version.data = str(step.version)
    return render_form(workshop, form, step, 409, conflict=conflict)


@bp.route("/<int:next_step_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete(slug: str, next_step_id: int) -> Response:
    """Soft-delete a step; Undo brings it back."""
    workshop = managed_or_403(slug)
    step = step_or_404(workshop, next_step_id)
    if ButtonForm().validate_on_submit():
        delete_next_step(db.session, step, current_user)
        db.session.commit()
        flash(
            f"Next step deleted: “{step.title}”.",
            "undo:" + url_for(".restore", slug=slug, next_step_id=step.id),
        )
    return redirect(url_for(".index", slug=slug))


@bp.route("/<int:next_step_id>/restore", methods=["POST"])
@roles_required(*MANAGERS)
def restore(slug: str, next_step_id: int) -> Response:
    """Undo a delete."""
    workshop = managed_or_403(slug)
    step = step_or_404(workshop, next_step_id)
    if ButtonForm().validate_on_submit():
        restore_next_step(db.session, step, current_user)
        db.session.commit()
        flash("Next step restored.", "success")
    return redirect(url_for(".show", slug=slug, next_step_id=step.id))


# --- made from a post-it, a gap or a pooling opportunity ---------------------------------


def made_from(workshop: Workshop, make: Any, *args: Any) -> Response:
    """Run a maker, then open the new step's edit page (or say why it could not be made)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        step = make(db.session, workshop, *args, current_user)
    except NextStepError as error:
        db.session.rollback()
        flash(str(error), "error")
        back = request.form.get("next")
        return redirect(safe_next(back) if back else url_for(".index", slug=workshop.slug))
    db.session.commit()
    flash("Draft next step made. Check it, set effort and impact, and save.", "success")
    return redirect(url_for(".edit", slug=workshop.slug, next_step_id=step.id))


def workshop_statement(workshop: Workshop, statement_id: int) -> Statement:
    """A live post-it of this workshop."""
    statement = statement_or_404(workshop, statement_id)
    if statement.deleted_at:
        abort(404)
    return statement


@bp.route("/from-statement/<int:statement_id>", methods=["POST"])
@roles_required(*MANAGERS)
def from_statement(slug: str, statement_id: int) -> Response:
    """Make a next step from an idea or next-step post-it."""
    workshop = managed_or_403(slug)
    statement = workshop_statement(workshop, statement_id)
    return made_from(workshop, next_step_from_statement, statement)


@bp.route("/from-gap/<int:statement_id>", methods=["POST"])
@roles_required(*MANAGERS)
def from_gap(slug: str, statement_id: int) -> Response:
    """Make a next step from a gap: a need that no confirmed dataset serves."""
    workshop = managed_or_403(slug)
    need = workshop_statement(workshop, statement_id)
    return made_from(workshop, next_step_from_gap, need)


def lines_of(name: str) -> list[str]:
    """A posted field as a list: repeated fields and lines (or semicolons) within them."""
    values = request.form.getlist(name)
    return [part.strip() for value in values for part in value.replace(";", "\n").splitlines()]


@bp.route("/from-pooling", methods=["POST"])
@roles_required(*MANAGERS)
def from_pooling(slug: str) -> Response:
    """Make a next step from a pooling opportunity (theme, boroughs and items posted)."""
    workshop = managed_or_403(slug)
    form = PoolingForm()
    pooling = PoolingInput(
        theme=form.theme.data or "",
        boroughs=[b for b in lines_of("boroughs") if b],
        items=[i for i in lines_of("items") if i],
        kind=form.kind.data if form.kind.data in ("held-data", "shared-gap") else "held-data",
        title=form.title.data or "",
    )
    return made_from(workshop, next_step_from_pooling, pooling)


# --- weights, the live preview and "what if" ---------------------------------------------


def moves_against(shared: list[RankedStep], trial: list[RankedStep]) -> dict[int, int]:
    """Step id -> places gained (negative: lost) in the trial ranking against the shared one."""
    before = {row.step.id: row.rank for row in shared}
    return {row.step.id: before[row.step.id] - row.rank for row in trial if row.step.id in before}


def trial_context(workshop: Workshop, trial: Mapping[str, int]) -> dict[str, Any]:
    """The ranking under trial weights, and how far each step moves from the shared ranking."""
    shared = ranked_steps(db.session, workshop)
    ranking = ranked_steps(db.session, workshop, trial)
    return {
        "ranking": ranking,
        "moves": moves_against(shared, ranking),
        "factors": FACTORS,
        "weights": trial,
        "workshop": workshop,
        "can_manage": can_manage(db.session, current_user, workshop),
        "button": ButtonForm(),
    }


def asked_weights(workshop: Workshop) -> tuple[dict[str, int], str]:
    """Weights from the query string, the shared ones filling any gap; on a bad value the
    shared weights and the message."""
    shared = workshop_weights(db.session, workshop)
    asked = {name: request.args[name] for name in FACTORS if name in request.args}
    try:
        return check_weights({**shared, **asked}), ""
    except WeightError as error:
        return shared, str(error)


@bp.route("/preview")
@roles_required(*ROLES)
def preview(slug: str) -> tuple[str, int]:
    """The ranking under the weights in the query string, as a fragment the weights page and
    the what-if page swap in while the sliders move. Nothing is saved."""
    workshop = workshop_or_404(slug)
    trial, problem = asked_weights(workshop)
    page = render_template(
        "nextsteps/_preview.html", problem=problem, **trial_context(workshop, trial)
    )
    return page, 422 if problem else 200


@bp.route("/what-if")
@roles_required(*ROLES)
def what_if(slug: str) -> tuple[str, int]:
    """Anyone's own weights: the ranking they would give, the shared weights left alone."""
    workshop = workshop_or_404(slug)
    trial, problem = asked_weights(workshop)
    page = render_template(
        "nextsteps/what_if.html",
        problem=problem,
        values=trial,
        shared=workshop_weights(db.session, workshop),
        active="what-if",
        **trial_context(workshop, trial),
    )
    return page, 422 if problem else 200


@bp.route("/weights", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def weights(slug: str) -> Any:
    """Change how much each factor counts, with the ranking previewed as the sliders move."""
    workshop = managed_or_403(slug)
    form = weights_form_class()()
    if form.validate_on_submit():
        raw = {name: form[name].data for name in FACTORS}
        try:
            set_weights(db.session, workshop, raw, current_user)
        except WeightError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash("Weights saved; the ranking is recomputed.", "success")
            return redirect(url_for(".index", slug=slug))
    trial, _ = asked_weights(workshop)
    values = {name: form[name].data for name in FACTORS} if request.method == "POST" else trial
    page = render_template(
        "nextsteps/weights.html",
        form=form,
        values=values,
        problem="",
        **{**trial_context(workshop, trial), "active": "weights"},
    )
    return page, 422 if request.method == "POST" else 200
