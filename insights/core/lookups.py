"""Workshop-scoped lookups: every row a page shows is found through the workshop it belongs to."""

from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from insights.core.ids import valid_id
from insights.extensions import db
from insights.statements.models import Statement
from insights.workshops.models import Workshop, WorkshopMember

T = TypeVar("T")


def visible_workshops_query(user: Any) -> sa.Select[Any]:
    """Workshops the user may open: all for admins, otherwise those they belong to."""
    query = sa.select(Workshop).order_by(Workshop.date.desc().nulls_last(), Workshop.title)
    if user.role == "admin":
        return query
    members = sa.select(WorkshopMember.workshop_id).where(WorkshopMember.user_id == user.id)
    return query.where(Workshop.id.in_(members))


def workshop_or_404(slug: str) -> Workshop:
    """The workshop, if the signed-in person may see it."""
    query = visible_workshops_query(current_user).where(Workshop.slug == slug[:80])
    workshop = db.session.scalars(query).first()
    if workshop is None:
        abort(404)
    return workshop


def facilitated_or_403(slug: str) -> Workshop:
    """The workshop, if the signed-in person facilitates it (or is an admin)."""
    workshop = workshop_or_404(slug)
    if current_user.role == "admin":
        return workshop
    role = db.session.scalar(
        sa.select(WorkshopMember.role).where(
            WorkshopMember.workshop_id == workshop.id, WorkshopMember.user_id == current_user.id
        )
    )
    if current_user.role != "facilitator" or role != "facilitator":
        abort(403)
    return workshop


def child_of_workshop_or_404(model: type[T], workshop: Workshop, row_id: Any) -> T:
    """The row of `model` with this id, if it belongs to this workshop; otherwise 404."""
    if not valid_id(row_id):
        abort(404)
    row = db.session.get(model, int(row_id))
    if row is None or getattr(row, "workshop_id", None) != workshop.id:
        abort(404)
    return row


def statement_or_404(workshop: Workshop, statement_id: Any) -> Statement:
    """A statement of this workshop."""
    return child_of_workshop_or_404(Statement, workshop, statement_id)


def live_workshop_or_404(token: str) -> Workshop:
    """The workshop behind an open participant link (not revoked, workshop live)."""
    workshop = db.session.scalar(
        sa.select(Workshop).where(Workshop.participant_token == token[:64])
    )
    if workshop is None or not workshop.participant_link_enabled or workshop.status != "live":
        abort(404)
    return workshop
