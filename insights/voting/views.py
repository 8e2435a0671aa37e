"""Dot-vote pages: open a vote, the ballot (for members and for participants behind the
workshop link), place and take back dots, close the vote."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
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
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.core.enums import MANAGERS
from insights.core.forms import ButtonForm
from insights.core.limits import (
    address_key,
    hashed_address,
    participant_key,
    participant_limit,
    room_limit,
)
from insights.core.lookups import (
    child_of_workshop_or_404,
    live_workshop_or_404,
    workshop_or_404,
    workshop_statements_query,
)
from insights.core.participants import participant_token
from insights.extensions import db, limiter
from insights.nextsteps.services import can_manage, live_steps_query
from insights.notices.delivery import deliver
from insights.notices.services import notify_vote_opened
from insights.statements.models import Statement
from insights.voting.forms import DotForm, VoteRoundForm
from insights.voting.models import VoteRound
from insights.voting.services import (
    VoteError,
    Voter,
    cast_dot,
    change_dot_in_transaction,
    close_round,
    my_dots,
    open_round,
    results,
    results_visible,
    take_back_dot,
    turnout,
    workshop_rounds,
)
from insights.workshops.models import Workshop

bp = Blueprint("votes", __name__, url_prefix="/workshops/<slug>/next-steps/votes")
participant_bp = Blueprint("participant_votes", __name__, url_prefix="/p/<token>/votes")

DotAction = Callable[..., Any]


def managed_or_403(slug: str) -> Workshop:
    """The workshop, if the signed-in person runs its next steps (facilitator or lead)."""
    workshop = workshop_or_404(slug)
    if not can_manage(db.session, current_user, workshop):
        abort(403)
    return workshop


def common(workshop: Workshop, active: str) -> dict[str, Any]:
    """What every voting page needs: the workshop, the tab, and who may change things."""
    return {
        "workshop": workshop,
        "active": active,
        "can_manage": can_manage(db.session, current_user, workshop),
        "button": ButtonForm(),
    }


def round_or_404(workshop: Workshop, round_id: int) -> VoteRound:
    """A vote round of this workshop."""
    return child_of_workshop_or_404(VoteRound, workshop, round_id)


def posted_item_id() -> int:
    """The ballot item a dot form is about."""
    form = DotForm()
    if not form.validate_on_submit() or not (form.item_id.data or "").isdecimal():
        abort(400)
    return int(form.item_id.data or 0)


def ballot_context(vote_round: VoteRound, voter: Voter | None) -> dict[str, Any]:
    """Items, the voter's dots and dots left, and the counts when they may be seen."""
    mine = my_dots(db.session, vote_round.id, voter) if voter is not None else {}
    counts = results(db.session, vote_round) if results_visible(vote_round) else None
    items = list(vote_round.items)
    if counts is not None and not vote_round.is_open:
        items.sort(key=lambda i: -counts.get(i.id, 0))
    voters, dots = turnout(db.session, vote_round.id)
    return {
        "round": vote_round,
        "items": items,
        "mine": mine,
        "dots_left": vote_round.dots_per_member - sum(mine.values()),
        "counts": counts,
        "top": max(counts.values(), default=0) if counts else 0,
        "voters": voters,
        "dots_placed": dots,
        "dot_form": DotForm(),
    }


# --- members ---------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*ROLES)
def index(slug: str) -> str:
    """The workshop's votes; facilitators and leads open new ones here."""
    workshop = workshop_or_404(slug)
    context = common(workshop, "votes")
    form = round_form(workshop) if context["can_manage"] else None
    rounds = workshop_rounds(db.session, workshop)
    return render_template("voting/votes.html", rounds=rounds, form=form, **context)


def round_form(workshop: Workshop) -> VoteRoundForm:
    """The open-a-vote form: live steps (not done or parked, ticked) and needs to choose."""
    form = VoteRoundForm()
    steps = db.session.scalars(live_steps_query(workshop)).all()
    needs = db.session.scalars(
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.kind == "need")
        .where(Statement.deleted_at.is_(None), Statement.merged_into_id.is_(None))
        .order_by(Statement.id)
    ).all()
    form.next_steps.choices = [(s.id, s.title) for s in steps]
    form.needs.choices = [(n.id, n.text) for n in needs]
    if request.method == "GET":
        form.next_steps.data = [s.id for s in steps if s.status not in ("done", "parked")]
        form.title.data = f"Which next steps first? ({workshop.title})"[:200]
    return form


@bp.route("/new", methods=["POST"])
@roles_required(*MANAGERS)
def open_vote(slug: str) -> Any:
    """Open a dot vote on the chosen next steps and needs."""
    workshop = managed_or_403(slug)
    form = round_form(workshop)
    if not form.validate_on_submit():
        message = "; ".join(e for errors in form.errors.values() for e in errors)
        flash(message or "The vote could not be opened.", "error")
        return redirect(url_for(".index", slug=slug))
    step_ids = set(form.next_steps.data or [])
    need_ids = set(form.needs.data or [])
    steps = [s for s in db.session.scalars(live_steps_query(workshop)) if s.id in step_ids]
    chosen = workshop_statements_query(workshop, need_ids).where(Statement.kind == "need")
    needs = list(db.session.scalars(chosen))
    try:
        vote_round = open_round(
            db.session,
            workshop,
            title=form.title.data or "",
            next_steps=steps,
            needs=needs,
            dots_per_member=form.dots_per_member.data or 3,
            several_dots_per_item=bool(form.several_dots_per_item.data),
            show_results_live=bool(form.show_results_live.data),
            opened_by=current_user,
        )
    except VoteError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".index", slug=slug))
    ballot_url = url_for(".ballot", slug=slug, round_id=vote_round.id)
    notices = notify_vote_opened(db.session, workshop, vote_round, current_user, ballot_url)
    db.session.commit()
    deliver(notices)
    flash("The vote is open. Members see it under Votes, and on the participant link.", "success")
    return redirect(url_for(".ballot", slug=slug, round_id=vote_round.id))


@bp.route("/<int:round_id>")
@roles_required(*ROLES)
def ballot(slug: str, round_id: int) -> str:
    """The ballot: each item with your dots and buttons; the counts once they may be seen."""
    workshop = workshop_or_404(slug)
    vote_round = round_or_404(workshop, round_id)
    context = ballot_context(vote_round, Voter.for_user(current_user))
    return render_template(
        "voting/ballot.html", participant_token=None, **context, **common(workshop, "votes")
    )


def member_dot(slug: str, round_id: int, action: DotAction) -> Response:
    """Place or take back a signed-in member's dot, then show the ballot again."""
    workshop = workshop_or_404(slug)
    vote_round = round_or_404(workshop, round_id)
    item_id = posted_item_id()
    problem = change_dot_in_transaction(
        db.session, action, vote_round.id, item_id, Voter.for_user(current_user)
    )
    if problem:
        flash(problem, "error")
    return redirect(url_for(".ballot", slug=slug, round_id=round_id) + f"#item-{item_id}")


@bp.route("/<int:round_id>/dot", methods=["POST"])
@roles_required(*ROLES)
def dot(slug: str, round_id: int) -> Response:
    """Place one dot."""
    return member_dot(slug, round_id, cast_dot)


@bp.route("/<int:round_id>/undot", methods=["POST"])
@roles_required(*ROLES)
def undot(slug: str, round_id: int) -> Response:
    """Take one dot back while the vote is open."""
    return member_dot(slug, round_id, take_back_dot)


@bp.route("/<int:round_id>/close", methods=["POST"])
@roles_required(*MANAGERS)
def close(slug: str, round_id: int) -> Response:
    """Close the vote: the counts freeze and feed the ranking."""
    workshop = managed_or_403(slug)
    vote_round = round_or_404(workshop, round_id)
    try:
        close_round(db.session, vote_round, current_user)
    except VoteError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("The vote is closed; its counts now feed the ranking.", "success")
    return redirect(url_for(".ballot", slug=slug, round_id=round_id))


# --- participants behind the workshop link ----------------------------------------------------


def participant_voter() -> Voter:
    """This browser's ballot: its device key (kept in localStorage and the session, so
    clearing one keeps the ballot), with its address counted against the round's cap."""
    return Voter.for_token(
        participant_token(),
        address=hashed_address(),
        address_cap=int(current_app.config["VOTERS_PER_ADDRESS"]),
    )


@participant_bp.route("/")
@public
def participant_index(token: str) -> str:
    """The open votes of the workshop behind the link."""
    workshop = live_workshop_or_404(token)
    rounds = [r for r in workshop_rounds(db.session, workshop) if r.is_open]
    return render_template(
        "voting/participant_votes.html", workshop=workshop, rounds=rounds, token=token
    )


@participant_bp.route("/<int:round_id>", methods=["GET", "POST"])
@public
@limiter.limit(participant_limit, key_func=participant_key, methods=["POST"])
@limiter.limit(room_limit, key_func=address_key, methods=["POST"])
def participant_ballot(token: str, round_id: int) -> Any:
    """A participant's ballot: place or take back dots from a phone, no account needed."""
    workshop = live_workshop_or_404(token)
    vote_round = round_or_404(workshop, round_id)
    voter = participant_voter()
    if request.method == "POST":
        item_id = posted_item_id()
        action = take_back_dot if request.form.get("action") == "undot" else cast_dot
        problem = change_dot_in_transaction(db.session, action, vote_round.id, item_id, voter)
        if problem:
            flash(problem, "error")
        url = url_for(".participant_ballot", token=token, round_id=round_id)
        return redirect(f"{url}#item-{item_id}")
    return render_template(
        "voting/ballot.html",
        workshop=workshop,
        participant_token=token,
        device=voter.token,
        voters_per_address=voter.address_cap,
        can_manage=False,
        active="votes",
        **ballot_context(vote_round, voter),
    )
