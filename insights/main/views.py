"""The home page and the health check."""

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from insights.access import public, roles_required
from insights.auth.models import ROLES
from insights.extensions import db
from insights.main.services import home_screen

bp = Blueprint("main", __name__)


@bp.route("/")
@roles_required(*ROLES)
def home() -> str:
    """The signed-in person's start page: a block per role with what to do next."""
    screen = home_screen(db.session, current_user)
    return render_template("main/home.html", screen=screen, workshops=screen.workshops)


@bp.route("/favicon.ico")
@public
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: send them the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/health")
@public
def health() -> tuple[Response, int]:
    """For load balancers and monitoring: is the database reachable?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
