"""The projector page and the changes its script polls for."""

from flask import Blueprint, jsonify, render_template, request
from werkzeug.wrappers import Response

from insights.access import roles_required
from insights.core.lookups import facilitated_or_403
from insights.extensions import db
from insights.projector.services import newest_id, projector_cards, projector_columns
from insights.workshops.links import participant_url, short_participant_url

bp = Blueprint("projector", __name__, url_prefix="/workshops/<slug>/present")


@bp.route("/")
@roles_required("facilitator")
def show(slug: str) -> str:
    """Every exercise at once in large type, newest first, with the QR code to join."""
    workshop = facilitated_or_403(slug)
    joinable = workshop.status == "live" and participant_url(workshop) is not None
    return render_template(
        "projector/show.html",
        workshop=workshop,
        columns=projector_columns(db.session, workshop),
        last_id=newest_id(db.session, workshop),
        participant_url=participant_url(workshop) if joinable else None,
        short_url=short_participant_url(workshop) if joinable else None,
    )


@bp.route("/changes")
@roles_required("facilitator")
def changes(slug: str) -> Response:
    """The post-its added after ?after=ID, as the projector draws them."""
    workshop = facilitated_or_403(slug)
    after = request.args.get("after", "0")
    after_id = int(after) if after.isdecimal() and len(after) < 18 else 0
    cards = list(reversed(projector_cards(db.session, workshop, after_id)))
    return jsonify(
        cards=[
            {
                "id": s.id,
                "exercise_id": s.exercise_id,
                "html": render_template("projector/_one_card.html", card=s, fresh=True),
            }
            for s in cards
        ],
        last_id=max([after_id, *(s.id for s in cards)]),
    )
