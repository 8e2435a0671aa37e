"""The audit log, for admins: who changed what, and when."""

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from insights.access import roles_required
from insights.audit.models import AuditEntry
from insights.auth.models import User
from insights.extensions import db

bp = Blueprint("ops", __name__, url_prefix="/admin")

PAGE_SIZE = 100


@bp.route("/audit")
@roles_required("admin")
def audit() -> str:
    """The latest audit entries, newest first, a page at a time."""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = db.session.execute(
        sa.select(AuditEntry, User.email)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return render_template(
        "ops/audit.html", rows=rows[:PAGE_SIZE], page=page, has_more=len(rows) > PAGE_SIZE
    )
