"""The home page and the health check."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.extensions import db
from insights.workshops.services import visible_workshops_query

bp = Blueprint("main", __name__)


@bp.route("/")
@roles_required(*ROLES)
def home() -> str:
    """The signed-in person's start page: their workshops."""
    workshops = db.session.scalars(visible_workshops_query(current_user).limit(20)).all()
    return render_template("main/home.html", workshops=workshops)


@bp.route("/health")
@public
def health() -> tuple[Response, int]:
    """For load balancers and monitoring: is the database reachable?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
