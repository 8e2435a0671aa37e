"""Round-ups (published workshop summaries), comments and endorsements."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.timeutil import utcnow

ROUNDUP_STATUSES = ("draft", "published")
ROUNDUP_VISIBILITIES = ("members", "public")
COMMENT_TARGETS = ("roundup", "next-step")


class RoundUp(db.Model):  # type: ignore[name-defined,misc]
    """One version of a workshop's round-up; a later edit makes a new version."""

    __tablename__ = "roundups"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(sa.String(200))
    narrative_md: Mapped[str] = mapped_column(sa.Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    visibility: Mapped[str] = mapped_column(sa.String(10), default="members")
    public_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.UniqueConstraint("workshop_id", "number"), *state_checks("roundups"))


class Comment(db.Model):  # type: ignore[name-defined,misc]
    """A member's comment on a round-up or a next step."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(sa.String(12))
    target_id: Mapped[int] = mapped_column(index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Endorsement(db.Model):  # type: ignore[name-defined,misc]
    """A member's endorsement of a next step."""

    __tablename__ = "endorsements"

    next_step_id: Mapped[int] = mapped_column(
        sa.ForeignKey("next_steps.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
