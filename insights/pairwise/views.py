"""Pairwise pages: two next steps side by side, pick one (or skip), and the standings."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.ids import parse_id
from insights.core.lookups import workshop_or_404
from insights.extensions import db
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

bp = Blueprint("pairwise", __name__, url_prefix="/workshops/<slug>/next-steps/pairwise")


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


@bp.route("/")
@roles_required(*ROLES)
def choose(slug: str) -> str:
    """Which of these two should the network do first? Pick one, or skip to another pair."""
    workshop = workshop_or_404(slug)
    voter = Voter.for_user(current_user)
    steps = candidates(db.session, workshop)
    voters, choices = turnout(db.session, workshop)
    return render_template(
        "pairwise/choose.html",
        workshop=workshop,
        active="pairwise",
        can_manage=can_manage(db.session, current_user, workshop),
        pair=next_pair(db.session, workshop, voter),
        form=ChoiceForm(),
        mine=voter_choices(db.session, workshop, voter),
        standings=standings(steps, tallies(db.session, [s.id for s in steps])),
        voters=voters,
        choices=choices,
    )


@bp.route("/choose", methods=["POST"])
@roles_required(*ROLES)
def pick(slug: str) -> Response:
    """Record one pick, then show the next pair."""
    workshop = workshop_or_404(slug)
    form = ChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    winner, loser = parse_id(form.winner.data), parse_id(form.loser.data)
    if winner is None or loser is None:
        abort(400)
    try:
        choice = record_choice(db.session, workshop, winner, loser, Voter.for_user(current_user))
    except PairwiseError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Noted: “{choice_title(choice.winner_id)}” first. Here is another pair.", "success")
    return redirect(url_for(".choose", slug=slug))


def choice_title(step_id: int) -> str:
    """The title of the step picked, for the confirmation."""
    step = db.session.get(NextStep, step_id)
    return step.title if step is not None else ""
