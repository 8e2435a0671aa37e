"""Next steps, what they address, and dot votes on them."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.extensions import db
from insights.timeutil import utcnow

NEXT_STEP_STATUSES = ("proposed", "agreed", "in-progress", "done", "parked")
EFFORTS = ("S", "M", "L")
VOTE_STATUSES = ("open", "closed")


def _link_table(name: str, target: str) -> sa.Table:
    """An association table from next steps to one kind of thing they address."""
    return sa.Table(
        name,
        db.metadata,
        sa.Column(
            "next_step_id", sa.ForeignKey("next_steps.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            f"{target}_id", sa.ForeignKey(f"{target}s.id", ondelete="CASCADE"), primary_key=True
        ),
    )


next_step_statements = _link_table("next_step_statements", "statement")
next_step_themes = _link_table("next_step_themes", "theme")
next_step_datasets = _link_table("next_step_datasets", "dataset")


class NextStep(db.Model):  # type: ignore[name-defined,misc]
    """An action the network could take, linked to the needs, gaps and themes it addresses."""

    __tablename__ = "next_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    owner_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    effort: Mapped[str | None] = mapped_column(sa.String(1))
    impact: Mapped[int | None] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    source_statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class VoteRound(db.Model):  # type: ignore[name-defined,misc]
    """A dot vote opened on a set of next steps (and, if chosen, needs)."""

    __tablename__ = "vote_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    dots_per_member: Mapped[int] = mapped_column(default=3)
    several_dots_per_item: Mapped[bool] = mapped_column(default=True)
    show_results_live: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    items: Mapped[list["VoteItem"]] = relationship(cascade="all, delete-orphan")


class VoteItem(db.Model):  # type: ignore[name-defined,misc]
    """One thing on the ballot: a next step or a need."""

    __tablename__ = "vote_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vote_rounds.id", ondelete="CASCADE"), index=True
    )
    next_step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("next_steps.id"))
    statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    frozen_count: Mapped[int | None] = mapped_column()


class Vote(db.Model):  # type: ignore[name-defined,misc]
    """One dot, placed by an account or by a participant token."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vote_rounds.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("vote_items.id", ondelete="CASCADE"))
    voter_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    voter_token: Mapped[str | None] = mapped_column(sa.String(64))
    voter_key: Mapped[str] = mapped_column(sa.String(80))
    dot_number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # "user:<id>" or "token:<token>": a voter's n-th dot exists once, so concurrent
    # requests cannot overspend (NULLs would not collide in a unique constraint).
    __table_args__ = (sa.UniqueConstraint("round_id", "voter_key", "dot_number"),)
