"""Participants add post-its to a live workshop from a secret link, without an account."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from insights.access import public
from insights.core.limits import participant_key, participant_limit, remember_participant
from insights.core.lookups import live_workshop_or_404
from insights.extensions import db, limiter
from insights.statements.forms import ParticipantPostForm
from insights.statements.services import StatementError, StatementInput, add_statement
from insights.themes.retag import tag_now

bp = Blueprint("participate", __name__, url_prefix="/p")

MAX_PARTICIPANT_REQUEST_BYTES = 16 * 1024


@bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(participant_limit, key_func=participant_key, methods=["POST"])
def post_form(token: str) -> str | Response:
    """The phone page: pick the question, type a post-it, send; repeat."""
    if (request.content_length or 0) > MAX_PARTICIPANT_REQUEST_BYTES:
        abort(413)
    workshop = live_workshop_or_404(token)
    if request.method == "GET":
        remember_participant()
    form = ParticipantPostForm()
    form.exercise_id.choices = [(e.id, e.prompt) for e in workshop.exercises]
    if form.validate_on_submit():
        data = StatementInput(
            text=form.text.data or "",
            exercise_id=form.exercise_id.data,
            source="participant",
            anonymous=form.anonymous.data or not (form.author_name.data or "").strip(),
            author_name="" if form.anonymous.data else form.author_name.data or "",
            organisation="" if form.anonymous.data else form.organisation.data or "",
        )
        try:
            statement = add_statement(db.session, workshop, data, None)
        except StatementError as error:
            db.session.rollback()
            form.text.errors = [str(error)]
        else:
            tag_now(db.session, [statement.id])
            db.session.commit()
            flash("Thank you — your post-it is on the board. Add another?", "success")
            return redirect(url_for(".post_form", token=token, exercise=form.exercise_id.data))
    elif request.method == "GET" and request.args.get("exercise", "").isdecimal():
        form.exercise_id.data = int(request.args["exercise"])
    return render_template("participate/post.html", workshop=workshop, form=form)
