"""Dot votes: a round on a set of next steps (or needs), its ballot items, and each dot."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.nextsteps.models import NextStep
from insights.statements.models import Statement
from insights.timeutil import utcnow

VOTE_STATUSES = ("open", "closed")


class VoteRound(db.Model):  # type: ignore[name-defined,misc]
    """A dot vote opened on a set of next steps (and, if chosen, needs)."""

    __tablename__ = "vote_rounds"
    __table_args__ = state_checks("vote_rounds")

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

    items: Mapped[list["VoteItem"]] = relationship(
        cascade="all, delete-orphan", order_by="VoteItem.id"
    )

    @property
    def is_open(self) -> bool:
        """Whether the round still takes dots."""
        return self.status == "open"


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

    next_step: Mapped[NextStep | None] = relationship()
    statement: Mapped[Statement | None] = relationship()

    @property
    def label(self) -> str:
        """What the ballot shows for this item."""
        if self.next_step is not None:
            return self.next_step.title
        return self.statement.text if self.statement is not None else ""


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
    # A keyed hash of the participant's address, for the per-address cap of a round.
    address_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    # "user:<id>" or "token:<token>": a voter's n-th dot exists once, so concurrent
    # requests cannot overspend (NULLs would not collide in a unique constraint).
    __table_args__ = (sa.UniqueConstraint("round_id", "voter_key", "dot_number"),)
