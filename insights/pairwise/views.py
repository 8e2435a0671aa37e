"""Pairwise pages: two next steps side by side, pick one (or skip), and the standings."""

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.core.ids import parse_id
from insights.core.limits import participant_limit
from insights.core.lookups import live_workshop_or_404, workshop_or_404
from insights.core.participants import participant_token
from insights.extensions import db, limiter
from insights.nextsteps.models import NextStep
from insights.nextsteps.ranking import win_share
from insights.nextsteps.services import can_manage
from insights.pairwise.forms import ChoiceForm
from insights.pairwise.services import (
    PairwiseError,
    Tally,
    candidates,
    next_pair,
    record_choice,
    tallies,
    turnout,
    voter_choices,
)
from insights.voting.services import Voter
from insights.workshops.models import Workshop

bp = Blueprint("pairwise", __name__, url_prefix="/workshops/<slug>/next-steps/pairwise")
participant_bp = Blueprint("participant_pairwise", __name__, url_prefix="/p/<token>/pairwise")


@dataclass(frozen=True)
class Standing:
    """A step's pairwise record and its chance of winning a pick."""

    step: NextStep
    tally: Tally

    @property
    def chance(self) -> float:
        """The estimate the ranking's Pairwise factor uses."""
        return win_share(self.tally.wins, self.tally.comparisons)


def standings(steps: list[NextStep], found: dict[int, Tally]) -> list[Standing]:
    """Each step with its record, best chance first."""
    rows = [Standing(step, found.get(step.id, Tally())) for step in steps]
    rows.sort(key=lambda r: (-r.chance, -r.tally.comparisons, r.step.title.lower()))
    return rows


def choice_page(workshop: Workshop, voter: Voter, **extra: Any) -> str:
    """The pair to choose between, the voter's count, and the standings."""
    steps = candidates(db.session, workshop)
    voters, choices = turnout(db.session, workshop)
    return render_template(
        "pairwise/choose.html",
        workshop=workshop,
        active="pairwise",
        pair=next_pair(db.session, workshop, voter),
        form=ChoiceForm(),
        mine=voter_choices(db.session, workshop, voter),
        standings=standings(steps, tallies(db.session, [s.id for s in steps])),
        voters=voters,
        choices=choices,
        **extra,
    )


def posted_choice(workshop: Workshop, voter: Voter) -> None:
    """Record the posted pick (400 for a form that is not one), flashing what happened."""
    form = ChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    winner, loser = parse_id(form.winner.data), parse_id(form.loser.data)
    if winner is None or loser is None:
        abort(400)
    try:
        choice = record_choice(db.session, workshop, winner, loser, voter)
    except PairwiseError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Noted: “{choice_title(choice.winner_id)}” first. Here is another pair.", "success")


@bp.route("/")
@roles_required(*ROLES)
def choose(slug: str) -> str:
    """Which of these two should the network do first? Pick one, or skip to another pair."""
    workshop = workshop_or_404(slug)
    manage = can_manage(db.session, current_user, workshop)
    return choice_page(workshop, Voter.for_user(current_user), can_manage=manage, token=None)


@bp.route("/choose", methods=["POST"])
@roles_required(*ROLES)
def pick(slug: str) -> Response:
    """Record one pick, then show the next pair."""
    workshop = workshop_or_404(slug)
    posted_choice(workshop, Voter.for_user(current_user))
    return redirect(url_for(".choose", slug=slug))


@participant_bp.route("/", methods=["GET", "POST"])
@public
@limiter.limit(participant_limit, methods=["POST"])
def participant_choose(token: str) -> Any:
    """The same choices from a phone behind the workshop link, no account needed."""
    workshop = live_workshop_or_404(token)
    voter = Voter.for_token(participant_token())
    if request.method == "POST":
        posted_choice(workshop, voter)
        return redirect(url_for(".participant_choose", token=token))
    return choice_page(workshop, voter, can_manage=False, token=token)


def choice_title(step_id: int) -> str:
    """The title of the step picked, for the confirmation."""
    step = db.session.get(NextStep, step_id)
    return step.title if step is not None else ""
