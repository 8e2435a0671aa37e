"""One pairwise choice: of two next steps shown side by side, the one a voter picked."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.extensions import db
from insights.timeutil import utcnow


class PairwiseChoice(db.Model):  # type: ignore[name-defined,misc]
    """A voter picked `winner` over `loser`; each choice is one win and one loss."""

    __tablename__ = "pairwise_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    winner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("next_steps.id", ondelete="CASCADE"), index=True
    )
    loser_id: Mapped[int] = mapped_column(
        sa.ForeignKey("next_steps.id", ondelete="CASCADE"), index=True
    )
    # "user:<id>" or "token:<token>", as for dots, so a voter's choices can be told apart.
    voter_key: Mapped[str] = mapped_column(sa.String(80))
    voter_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.CheckConstraint("winner_id <> loser_id", name="two_different_steps"),)
