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


# --- one rule for what a person may see ---------------------------------------------------
# Every list and lookup below is built on visible_workshop_ids: a row is seen through the
# workshop it belongs to, and rows of no workshop only when they are shared on purpose
# (a published catalogue dataset).


def visible_workshop_ids(user: Any) -> sa.Select[Any]:
    """The ids of the workshops the user may open, as a subquery for `in_`."""
    return visible_workshops_query(user).with_only_columns(Workshop.id).order_by(None)


def dataset_visible_to(user: Any) -> sa.ColumnElement[bool]:
    """Published catalogue datasets, and those made in a workshop the user may open."""
    from insights.datasets.models import Dataset

    if user.role == "admin":
        return sa.true()
    return sa.or_(Dataset.published.is_(True), Dataset.workshop_id.in_(visible_workshop_ids(user)))


def dataset_shared_with(workshop: Workshop) -> sa.ColumnElement[bool]:
    """Datasets a workshop's pages may name: published ones, and those made in it."""
    from insights.datasets.models import Dataset

    return sa.or_(Dataset.published.is_(True), Dataset.workshop_id == workshop.id)


def visible_datasets_query(user: Any) -> sa.Select[Any]:
    """Datasets (not deleted) the user may see, by title."""
    from insights.datasets.models import Dataset

    return (
        sa.select(Dataset)
        .where(Dataset.deleted_at.is_(None), dataset_visible_to(user))
        .order_by(Dataset.title)
    )


def dataset_or_404(dataset_id: Any) -> Any:
    """A dataset the signed-in person may see (not deleted), or 404."""
    from insights.datasets.models import Dataset

    if not valid_id(dataset_id):
        abort(404)
    query = visible_datasets_query(current_user).where(Dataset.id == int(dataset_id))
    dataset = db.session.scalars(query).first()
    if dataset is None:
        abort(404)
    return dataset


def visible_statement_or_404(statement_id: Any) -> Statement:
    """A live statement of any workshop the signed-in person may open, or 404."""
    if not valid_id(statement_id):
        abort(404)
    statement = db.session.scalar(
        sa.select(Statement).where(
            Statement.id == int(statement_id),
            Statement.deleted_at.is_(None),
            Statement.workshop_id.in_(visible_workshop_ids(current_user)),
        )
    )
    if statement is None:
        abort(404)
    return statement


def organisation_ids_seen_in(workshop_ids: sa.Select[Any]) -> sa.CompoundSelect[Any]:
    """Organisations that appear in these workshops: authors' organisations, next-step
    owners, and holders of datasets made there."""
    from insights.datasets.models import Dataset
    from insights.nextsteps.models import NextStep

    return sa.union(
        sa.select(Statement.organisation_id).where(Statement.workshop_id.in_(workshop_ids)),
        sa.select(NextStep.owner_organisation_id).where(NextStep.workshop_id.in_(workshop_ids)),
        sa.select(Dataset.holder_organisation_id).where(Dataset.workshop_id.in_(workshop_ids)),
    )


def visible_organisations_query(user: Any) -> sa.Select[Any]:
    """Organisations the user may see listed: those of workshops they may open, and holders
    of published catalogue datasets. Admins see all."""
    from insights.datasets.models import Dataset
    from insights.organisations.models import Organisation

    query = sa.select(Organisation).order_by(Organisation.name)
    if user.role == "admin":
        return query
    published = sa.select(Dataset.holder_organisation_id).where(
        Dataset.published.is_(True), Dataset.deleted_at.is_(None)
    )
    seen = organisation_ids_seen_in(visible_workshop_ids(user))
    return query.where(sa.or_(Organisation.id.in_(seen), Organisation.id.in_(published)))


def workshop_people_query(workshop: Workshop) -> sa.Select[Any]:
    """The accounts that belong to a workshop, by name: the only people its pages list."""
    from insights.auth.models import User

    return (
        sa.select(User)
        .join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop.id)
        .order_by(User.name)
    )


def workshop_statements_query(workshop: Workshop, ids: Any) -> sa.Select[Any]:
    """Statements of this workshop among the given ids (ids out of range are dropped)."""
    wanted = sorted({int(i) for i in ids if valid_id(i)})
    return (
        sa.select(Statement)
        .where(Statement.workshop_id == workshop.id, Statement.id.in_(wanted))
        .order_by(Statement.id)
    )
