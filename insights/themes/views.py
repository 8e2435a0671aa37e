"""Theme pages: review on statements and in bulk, background re-tag, the taxonomy editor,
emerging themes, the classifier's evaluation and theme charts.

Who: facilitators review themes in their workshops; admins edit the taxonomy (it is shared by
every workshop, so one facilitator's edit would change everyone's tags); every role sees
theme charts over the workshops it may open."""

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
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.forms import ButtonForm
from insights.core.lookups import facilitated_or_403, statement_or_404
from insights.core.navigation import safe_next
from insights.core.text import plural
from insights.extensions import db
from insights.jobs import latest_job
from insights.statements.models import Statement
from insights.themes.charts import bar_chart, heatmap
from insights.themes.emerging import adopt_candidate, emerging_themes, weakly_tagged
from insights.themes.forms import (
    AdoptForm,
    BulkThemeForm,
    MergeThemeForm,
    PickThemeForm,
    ThemeForm,
)
from insights.themes.models import Theme
from insights.themes.retag import RETAG
from insights.themes.retag import start_retag as queue_retag
from insights.themes.review import (
    ReviewError,
    accept_suggested,
    decide_for_many,
    decide_theme,
    undo_decision,
)
from insights.themes.services import live_themes
from insights.themes.stats import BREAKDOWNS, cooccurrence, counts_by, theme_totals
from insights.themes.strength import evidence_strength
from insights.themes.taxonomy import (
    TaxonomyError,
    add_theme,
    effective_patterns,
    merge_themes,
    patterns_to_lines,
    update_theme,
)
from insights.themes.training import latest_classifier
from insights.workshops.models import Workshop
from insights.workshops.services import visible_workshops_query

bp = Blueprint("themes", __name__)


@bp.app_context_processor
def theme_helpers() -> dict[str, Any]:
    """Let the theme partials on statement pages and the board list the live themes."""
    return {
        "theme_choices": lambda: live_themes(db.session),
        "evidence_strength": evidence_strength,
    }


def theme_or_404(theme_id: int) -> Theme:
    """A theme of the taxonomy (merged ones included, for their page)."""
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        abort(404)
    return theme


def back_to_statement(slug: str, statement_id: int) -> Response:
    """Return to the statement page after a decision, or to the page in ?next= (the board)."""
    target = request.form.get("next")
    if target:
        return redirect(safe_next(target))
    return redirect(url_for("statements.show", slug=slug, statement_id=statement_id))


def wants_json() -> bool:
    """Whether the board's script asked (it updates the card in place)."""
    return request.accept_mimetypes.best == "application/json"


def decided(workshop: Workshop, statement: Statement, message: str, **card: Any) -> Any:
    """After a decision: the card, re-drawn, for the board's script; else a flash and redirect."""
    if wants_json():
        html = render_template(
            "statements/_card.html",
            s=statement,
            workshop=workshop,
            selectable=True,
            reviewable=True,
            **card,
        )
        return jsonify(id=statement.id, html=html, message=message)
    flash(message, "success")
    return back_to_statement(workshop.slug, statement.id)


@bp.route(
    "/workshops/<slug>/statements/<int:statement_id>/themes/<int:theme_id>/accept",
    methods=["POST"],
)
@roles_required("facilitator")
def accept(slug: str, statement_id: int, theme_id: int) -> Any:
    """Accept a theme on a statement (adding it when it was not suggested)."""
    return record_decision(slug, statement_id, theme_id, "accepted")


@bp.route(
    "/workshops/<slug>/statements/<int:statement_id>/themes/<int:theme_id>/reject",
    methods=["POST"],
)
@roles_required("facilitator")
def reject(slug: str, statement_id: int, theme_id: int) -> Any:
    """Reject a theme on a statement: it is never suggested for it again."""
    return record_decision(slug, statement_id, theme_id, "rejected")


def record_decision(slug: str, statement_id: int, theme_id: int, decision: str) -> Any:
    """Store a person's decision on one theme of one statement, then go back to it."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    theme = theme_or_404(theme_id)
    try:
        decide_theme(db.session, statement, theme, decision, current_user)
    except ReviewError as error:
        if wants_json():
            return jsonify(error=str(error)), 422
        flash(str(error), "error")
        return back_to_statement(slug, statement.id)
    db.session.commit()
    return decided(workshop, statement, f"Theme {decision}.", keep_rejected=[theme.id])


@bp.route(
    "/workshops/<slug>/statements/<int:statement_id>/themes/<int:theme_id>/undo",
    methods=["POST"],
)
@roles_required("facilitator")
def undo(slug: str, statement_id: int, theme_id: int) -> Any:
    """Take back a decision on a theme."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    undo_decision(db.session, statement, theme_or_404(theme_id), current_user)
    db.session.commit()
    return decided(workshop, statement, "Decision taken back.")


@bp.route(
    "/workshops/<slug>/statements/<int:statement_id>/themes/accept-all",
    methods=["POST"],
)
@roles_required("facilitator")
def accept_all(slug: str, statement_id: int) -> Any:
    """Accept every theme still only suggested on this statement."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    count = accept_suggested(db.session, statement, current_user)
    db.session.commit()
    return decided(workshop, statement, f"{plural(count, 'theme')} accepted.")


@bp.route("/workshops/<slug>/statements/<int:statement_id>/themes/add", methods=["POST"])
@roles_required("facilitator")
def add_to_statement(slug: str, statement_id: int) -> Response:
    """Add a theme a person sees in the statement (accepted, source "person")."""
    workshop = facilitated_or_403(slug)
    statement = statement_or_404(workshop, statement_id)
    form = PickThemeForm()
    theme = db.session.get(Theme, form.theme_id.data) if form.theme_id.data else None
    if not form.validate_on_submit() or theme is None or theme.merged_into_id:
        flash("Choose a theme to add.", "error")
        return back_to_statement(slug, statement.id)
    decide_theme(db.session, statement, theme, "accepted", current_user)
    db.session.commit()
    flash(f"Theme “{theme.name}” added.", "success")
    return back_to_statement(slug, statement.id)


@bp.route("/workshops/<slug>/themes/bulk", methods=["POST"])
@roles_required("facilitator")
def bulk(slug: str) -> Response:
    """Apply (or reject) one theme on the cards selected on the board."""
    workshop = facilitated_or_403(slug)
    form = BulkThemeForm()
    ids = [int(i) for i in request.form.getlist("selected") if i.isdecimal()]
    theme = db.session.get(Theme, form.bulk_theme.data) if form.bulk_theme.data else None
    decision = "rejected" if form.bulk_action.data == "rejected" else "accepted"
    if not form.validate_on_submit() or not ids or theme is None or theme.merged_into_id:
        flash("Select post-its and a theme first.", "error")
        return redirect(url_for("statements.board", slug=slug))
    statements = [statement_or_404(workshop, i) for i in dict.fromkeys(ids)]
    count = decide_for_many(db.session, statements, theme, decision, current_user)
    db.session.commit()
    verb = "rejected on" if decision == "rejected" else "applied to"
    flash(f"“{theme.name}” {verb} {count} post-it(s).", "success")
    return redirect(url_for("statements.board", slug=slug))


@bp.route("/workshops/<slug>/themes/retag", methods=["POST"])
@roles_required("facilitator")
def start_retag(slug: str) -> Response:
    """Re-tag the workshop in the background (one job at a time per workshop)."""
    workshop = facilitated_or_403(slug)
    queue_retag(db.session, workshop.id, current_user.id)
    db.session.commit()
    return redirect(url_for(".retag_progress", slug=slug))


@bp.route("/workshops/<slug>/themes/retag")
@roles_required("facilitator")
def retag_progress(slug: str) -> Any:
    """The latest re-tag's progress: a page, or JSON (as on the job's own page)."""
    workshop = facilitated_or_403(slug)
    job = latest_job(db.session, RETAG, workshop.id)
    if request.accept_mimetypes.best == "application/json":
        if job is None:
            return jsonify(status="none", done=0, total=0, percent=0)
        return jsonify(job.progress_dict())
    return render_template("themes/retag.html", workshop=workshop, job=job, button=ButtonForm())


def visible_workshops() -> list[Workshop]:
    """The workshops the signed-in person may open."""
    return list(db.session.scalars(visible_workshops_query(current_user)))


def chosen_workshops() -> tuple[list[Workshop], Workshop | None]:
    """The visible workshops, narrowed to ?workshop=SLUG when it names one of them."""
    workshops = visible_workshops()
    slug = request.args.get("workshop", "")
    chosen = next((w for w in workshops if w.slug == slug), None)
    return ([chosen] if chosen else workshops), chosen


@bp.route("/themes/")
@roles_required(*ROLES)
def overview() -> str:
    """Theme counts (chart and table), breakdowns and co-occurrence, over visible workshops."""
    workshops, chosen = chosen_workshops()
    ids = [w.id for w in workshops]
    totals = theme_totals(db.session, ids)
    names, matrix = cooccurrence(db.session, ids)
    return render_template(
        "themes/overview.html",
        workshops=visible_workshops(),
        chosen=chosen,
        totals=totals,
        bar=bar_chart(totals, "Post-its per theme"),
        names=names,
        matrix=matrix,
        heat=heatmap(names, matrix, "Themes that occur together on the same post-its"),
        breakdowns={by: counts_by(db.session, ids, by) for by in BREAKDOWNS},
    )


@bp.route("/themes/taxonomy")
@roles_required(*ROLES)
def taxonomy() -> str:
    """The taxonomy: themes, nesting and patterns (admins get edit links)."""
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)).all()
    live = [t for t in themes if t.merged_into_id is None]
    merged = [t for t in themes if t.merged_into_id is not None]
    by_id = {t.id: t for t in themes}
    counts = {t.id: len(effective_patterns(t)) for t in live}
    return render_template(
        "themes/taxonomy.html", live=live, merged=merged, by_id=by_id, counts=counts
    )


def parent_choices(form: ThemeForm, theme: Theme | None) -> None:
    """Offer every other live theme as a parent."""
    form.parent_id.choices = [("", "— top level —")] + [
        (t.id, t.name) for t in live_themes(db.session) if theme is None or t.id != theme.id
    ]


@bp.route("/themes/taxonomy/new", methods=["GET", "POST"])
@roles_required("admin")
def new_theme() -> Any:
    """Add a theme."""
    form = ThemeForm()
    parent_choices(form, None)
    if form.validate_on_submit():
        try:
            theme = add_theme(
                db.session,
                form.name.data or "",
                form.description.data or "",
                parent_id=form.parent_id.data,
                patterns_text=form.patterns.data or "",
                by=current_user,
            )
        except TaxonomyError as error:
            db.session.rollback()
            form.patterns.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Theme “{theme.name}” added. Re-tag to apply it.", "success")
            return redirect(url_for(".taxonomy"))
    return render_template("themes/theme_form.html", form=form, theme=None), (
        422 if form.errors else 200
    )


@bp.route("/themes/taxonomy/<int:theme_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_theme(theme_id: int) -> Any:
    """Rename, describe, nest or re-pattern a theme; merge it into another."""
    theme = theme_or_404(theme_id)
    form = ThemeForm(obj=theme if request.method == "GET" else None)
    parent_choices(form, theme)
    if request.method == "GET":
        form.patterns.data = patterns_to_lines(effective_patterns(theme))
    elif form.validate_on_submit():
        try:
            update_theme(
                db.session,
                theme,
                name=form.name.data or "",
                description=form.description.data or "",
                parent_id=form.parent_id.data,
                patterns_text=form.patterns.data or "",
                by=current_user,
            )
        except TaxonomyError as error:
            db.session.rollback()
            form.patterns.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Theme “{theme.name}” saved. Re-tag to apply the change.", "success")
            return redirect(url_for(".taxonomy"))
    merge_form = MergeThemeForm()
    merge_form.into_id.choices = [(t.id, t.name) for t in live_themes(db.session) if t != theme]
    return render_template(
        "themes/theme_form.html", form=form, theme=theme, merge_form=merge_form
    ), (422 if form.errors else 200)


@bp.route("/themes/taxonomy/<int:theme_id>/merge", methods=["POST"])
@roles_required("admin")
def merge(theme_id: int) -> Response:
    """Merge a theme into another; its tags and patterns move across."""
    theme = theme_or_404(theme_id)
    form = MergeThemeForm()
    into = db.session.get(Theme, form.into_id.data) if form.into_id.data else None
    if not form.validate_on_submit() or into is None:
        flash("Choose the theme to merge into.", "error")
        return redirect(url_for(".edit_theme", theme_id=theme.id))
    try:
        moved = merge_themes(db.session, theme, into, current_user)
    except TaxonomyError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit_theme", theme_id=theme.id))
    db.session.commit()
    flash(f"Merged “{theme.name}” into “{into.name}”; {moved} post-it(s) moved.", "success")
    return redirect(url_for(".taxonomy"))


@bp.route("/themes/emerging")
@roles_required("facilitator", "lead")
def emerging() -> str:
    """Phrases recurring among weakly tagged post-its, each a candidate theme."""
    workshops, chosen = chosen_workshops()
    statements = weakly_tagged(db.session, [w.id for w in workshops])
    candidates = emerging_themes(db.session, statements)[:30]
    return render_template(
        "themes/emerging.html",
        workshops=visible_workshops(),
        chosen=chosen,
        candidates=candidates,
        read=len(statements),
        form=AdoptForm(),
    )


@bp.route("/themes/emerging/adopt", methods=["POST"])
@roles_required("admin")
def adopt() -> Response:
    """Add an emerging phrase to the taxonomy as a theme, with patterns from the phrase."""
    form = AdoptForm()
    if not form.validate_on_submit():
        flash("That candidate could not be added.", "error")
        return redirect(url_for(".emerging"))
    try:
        theme = adopt_candidate(db.session, form.key.data or "", form.label.data or "")
    except TaxonomyError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".emerging"))
    db.session.commit()
    flash(f"Theme “{theme.name}” added. Re-tag to find it across post-its.", "success")
    return redirect(url_for(".edit_theme", theme_id=theme.id))


@bp.route("/themes/classifier")
@roles_required("facilitator", "lead")
def classifier() -> str:
    """How the trained classifier scored against the rules on held-out statements."""
    latest = latest_classifier(db.session)
    names = {t.slug: t.name for t in db.session.scalars(sa.select(Theme))}
    return render_template("themes/classifier.html", classifier=latest, names=names)
