"""What's new: the home page's news for the signed-in person, and marking it seen."""

from typing import Any

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from insights.access import roles_required
from insights.auth.models import ROLES
from insights.core.forms import ButtonForm
from insights.extensions import db
from insights.notices.models import Notice
from insights.notices.services import mark_seen, news_for

bp = Blueprint("notices", __name__, url_prefix="/news")


@bp.app_context_processor
def news_helpers() -> dict[str, Any]:
    """`whats_new()` in every template: the signed-in person's latest notices."""

    def whats_new() -> list[Notice]:
        if not current_user.is_authenticated:
            return []
        return news_for(db.session, current_user)

    return {"whats_new": whats_new}


@bp.route("/seen", methods=["POST"])
@roles_required(*ROLES)
def seen() -> ResponseReturnValue:
    """Mark every notice as seen, then go back home."""
    if ButtonForm().validate_on_submit():
        mark_seen(db.session, current_user)
        db.session.commit()
    return redirect(url_for("main.home"))
