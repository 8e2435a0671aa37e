"""Participants add post-its to a live workshop from a secret link, without an account."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from insights.access import public
from insights.core.forms import ButtonForm
from insights.core.limits import (
    address_key,
    participant_key,
    participant_limit,
    remember_participant,
    room_limit,
)
from insights.core.lookups import statement_or_404
from insights.core.pages import page_number
from insights.extensions import db, limiter
from insights.organisations.models import Borough
from insights.participate.services import (
    add_plus_one,
    new_device_key,
    plus_one_counts,
    plused_by,
    valid_device_key,
)
from insights.statements.forms import ParticipantPostForm
from insights.statements.queries import BoardFilters, board_page, board_totals
from insights.statements.services import StatementError, StatementInput, add_statement
from insights.themes.retag import tag_now
from insights.workshops.links import SHORT_CODE_LENGTH
from insights.workshops.models import Workshop

bp = Blueprint("participate", __name__)

MAX_PARTICIPANT_REQUEST_BYTES = 16 * 1024


def open_link_or_404(token: str) -> Workshop:
    """The workshop behind a participant link that has not been revoked (any status)."""
    workshop = db.session.scalar(
        sa.select(Workshop).where(Workshop.participant_token == token[:64])
    )
    if workshop is None or not workshop.participant_link_enabled:
        abort(404)
    return workshop


@bp.route("/j/<code>")
@public
def short_link(code: str) -> Response:
    """The short link shown on the projector: the first characters of the participant token."""
    if len(code) != SHORT_CODE_LENGTH:
        abort(404)
    tokens = db.session.scalars(
        sa.select(Workshop.participant_token)
        .where(sa.func.substr(Workshop.participant_token, 1, SHORT_CODE_LENGTH) == code)
        .where(Workshop.participant_link_enabled.is_(True))
        .limit(2)
    ).all()
    if len(tokens) != 1 or tokens[0] is None:
        abort(404)
    return redirect(url_for(".post_form", token=tokens[0]))


@bp.route("/p/<token>", methods=["GET", "POST"])
@public
@limiter.limit(participant_limit, key_func=participant_key, methods=["POST"])
@limiter.limit(room_limit, key_func=address_key, methods=["POST"])
def post_form(token: str) -> str | Response | tuple[str, int]:
    """The phone page: pick the question, type a post-it, send; repeat."""
    if (request.content_length or 0) > MAX_PARTICIPANT_REQUEST_BYTES:
        abort(413)
    workshop = open_link_or_404(token)
    if workshop.status != "live":
        return render_template("participate/not_taking.html", workshop=workshop)
    if request.method == "GET":
        remember_participant()
    form = participant_form(workshop)
    if form.validate_on_submit():
        try:
            statement = add_statement(db.session, workshop, participant_input(form), None)
        except StatementError as error:
            db.session.rollback()
            form.text.errors = [str(error)]
        else:
            tag_now(db.session, [statement.id])
            db.session.commit()
            flash("Thank you — your post-it is on the board. Add another?", "success")
            return redirect(url_for(".post_form", token=token, exercise=form.exercise_id.data))
    elif request.method == "GET" and request.args.get("exercise", "").isdecimal():
        form.exercise_id.data = int(request.args["exercise"][:12])
    return render_template("participate/post.html", workshop=workshop, form=form)


def participant_form(workshop: Workshop) -> ParticipantPostForm:
    """The phone form with this workshop's questions and the London boroughs."""
    form = ParticipantPostForm()
    form.exercise_id.choices = [(e.id, e.prompt) for e in workshop.exercises]
    if form.exercise_id.data is None and workshop.exercises:
        form.exercise_id.data = workshop.exercises[0].id
    boroughs = db.session.execute(sa.select(Borough.code, Borough.name).order_by(Borough.name))
    form.borough.choices = [("", "— not saying —"), *((code, name) for code, name in boroughs)]
    return form


def participant_input(form: ParticipantPostForm) -> StatementInput:
    """What the phone sent: "anonymous" drops the name, never the organisation or borough."""
    name = (form.author_name.data or "").strip()
    anonymous = bool(form.anonymous.data) or not name
    return StatementInput(
        text=form.text.data or "",
        exercise_id=form.exercise_id.data,
        source="participant",
        anonymous=anonymous,
        author_name="" if anonymous else name,
        organisation=form.organisation.data or "",
        borough=form.borough.data or "",
    )


DEVICE_COOKIE = "insights_device"
DEVICE_COOKIE_DAYS = 30


def cards_open_or_404(token: str) -> Workshop:
    """A live workshop whose facilitator lets participants see its cards."""
    workshop = open_link_or_404(token)
    if workshop.status != "live" or not workshop.participants_see_cards:
        abort(404)
    return workshop


def device_key_of_request() -> str | None:
    """The phone's key: from its localStorage (sent in the form) or its cookie."""
    for key in (request.form.get("device_key"), request.cookies.get(DEVICE_COOKIE)):
        if valid_device_key(key):
            return key
    return None


def remember_device(response: Response, key: str) -> Response:
    """Keep the device key in a cookie too (the page's script keeps it in localStorage)."""
    response.set_cookie(
        DEVICE_COOKIE,
        key,
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.route("/p/<token>/cards")
@public
def cards(token: str) -> Response:
    """The workshop's post-its, read-only, newest first, each with its +1s."""
    workshop = cards_open_or_404(token)
    key = device_key_of_request() or new_device_key()
    by_exercise, _ = board_totals(db.session, workshop, BoardFilters())
    cards_page = board_page(
        db.session,
        workshop,
        BoardFilters(),
        page_number(request.args),
        total=sum(by_exercise.values()),
    )
    statements = list(cards_page.items)
    ids = [s.id for s in statements]
    page = render_template(
        "participate/cards.html",
        workshop=workshop,
        statements=statements,
        page=cards_page,
        exercise_totals=by_exercise,
        counts=plus_one_counts(db.session, ids),
        mine=plused_by(db.session, ids, key),
        device_key=key,
        form=ButtonForm(),
    )
    return remember_device(make_response(page), key)


@bp.route("/p/<token>/cards/<int:statement_id>/plus-one", methods=["POST"])
@public
@limiter.limit(participant_limit, key_func=participant_key)
def plus_one(token: str, statement_id: int) -> Response:
    """+1 a post-it, once per device."""
    workshop = cards_open_or_404(token)
    statement = statement_or_404(workshop, statement_id)
    if statement.deleted_at is not None or statement.merged_into_id is not None:
        abort(404)
    key = device_key_of_request() or new_device_key()
    if ButtonForm().validate_on_submit():
        try:
            added = add_plus_one(db.session, statement, key)
            db.session.commit()
        except sa.exc.IntegrityError:  # the same phone, twice at once
            db.session.rollback()
            added = False
        flash("+1 counted." if added else "You have already +1'd that one.", "success")
    target = url_for(".cards", token=token) + f"#pcard-{statement.id}"
    return remember_device(redirect(target), key)
