"""The audit log, for admins: who changed what, and when; filtered, paged and exported."""

import json
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, render_template, request

from insights.access import roles_required
from insights.audit.models import AuditEntry
from insights.audit.services import AuditFilter, entity_types, entries_query
from insights.auth.models import User
from insights.core.exports import csv_bytes
from insights.core.ids import parse_id
from insights.core.pages import page_number, paginate
from insights.extensions import db
from insights.workshops.models import Workshop

bp = Blueprint("ops", __name__, url_prefix="/admin")

PAGE_SIZE = 100
CSV_COLUMNS = (
    *("id", "at", "who", "workshop", "action", "kind", "entity_id"),
    *("before", "after", "details"),
)


def requested_filter() -> AuditFilter:
    """The filter in the query string; values that are not ids or kinds are ignored."""
    kind = request.args.get("kind", "").strip()[:40]
    return AuditFilter(
        workshop_id=parse_id(request.args.get("workshop", "")),
        user_id=parse_id(request.args.get("person", "")),
        entity_type=kind or None,
    )


def labelled(query: sa.Select[Any]) -> "sa.Select[AuditEntry, str, str]":
    """The entries with the email of who made them and the title of their workshop."""
    entries = query.subquery()
    alias = sa.orm.aliased(AuditEntry, entries)
    return (
        sa.select(alias, User.email, Workshop.title)
        .outerjoin(User, User.id == alias.user_id)
        .outerjoin(Workshop, Workshop.id == alias.workshop_id)
        .order_by(alias.id.desc())
    )


@bp.route("/audit")
@roles_required("admin")
def audit() -> str:
    """The latest audit entries, newest first, a page at a time, filtered."""
    filters = requested_filter()
    query = labelled(entries_query(filters))
    page = paginate(db.session, query, page_number(request.args), PAGE_SIZE, scalars=False)
    return render_template(
        "ops/audit.html",
        page=page,
        filters=filters,
        kinds=entity_types(db.session),
        workshops=db.session.execute(
            sa.select(Workshop.id, Workshop.title).order_by(Workshop.title)
        ).all(),
        people=db.session.execute(sa.select(User.id, User.email).order_by(User.email)).all(),
    )


@bp.route("/audit.csv")
@roles_required("admin")
def audit_csv() -> Response:
    """Every entry matching the filter as CSV, through the one escaping path."""
    rows = db.session.execute(labelled(entries_query(requested_filter()))).all()
    content = csv_bytes(CSV_COLUMNS, (_csv_row(entry, who, title) for entry, who, title in rows))
    response = Response(content, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _csv_row(entry: AuditEntry, email: str | None, workshop: str | None) -> list[object]:
    """One entry as a CSV row; before, after and details as JSON text."""
    return [
        entry.id,
        entry.at.strftime("%Y-%m-%d %H:%M:%S"),
        email or "system",
        workshop or "",
        entry.action,
        entry.entity_type,
        entry.entity_id,
        "" if entry.before is None else json.dumps(entry.before, ensure_ascii=False),
        "" if entry.after is None else json.dumps(entry.after, ensure_ascii=False),
        json.dumps(entry.details or {}, ensure_ascii=False),
    ]
