"""Workshop pages: the list of one's workshops and a workshop's overview."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.services import find_visible_workshop, visible_workshops_query

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


@bp.route("/")
@roles_required(*ROLES)
def index() -> str:
    """The workshops the signed-in person may open."""
    workshops = db.session.scalars(visible_workshops_query(current_user)).all()
    return render_template("workshops/index.html", workshops=workshops)


@bp.route("/<slug>/")
@roles_required(*ROLES)
def show(slug: str) -> str:
    """A workshop's overview: its exercises and their statements."""
    workshop = find_visible_workshop(db.session, current_user, slug)
    if workshop is None:
        abort(404)
    statements = db.session.scalars(
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None))
        .where(Statement.merged_into_id.is_(None))
        .order_by(Statement.created_at, Statement.id)
        .options(selectinload(Statement.organisation), selectinload(Statement.borough))
    ).all()
    by_exercise: dict[int | None, list[Statement]] = {}
    for statement in statements:
        by_exercise.setdefault(statement.exercise_id, []).append(statement)
    return render_template(
        "workshops/show.html",
        workshop=workshop,
        by_exercise=by_exercise,
        statement_count=len(statements),
    )
