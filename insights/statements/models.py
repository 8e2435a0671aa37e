"""Statements (post-its), their recorded history, and the structured form of needs."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.organisations.models import Borough, Organisation
from insights.timeutil import utcnow
from insights.workshops.models import Exercise, Workshop

NEED_STATUSES = ("proposed", "valid", "duplicate", "not-valid")
STATEMENT_SOURCES = ("capture", "participant", "paste", "import", "split", "demo")


class Statement(db.Model):  # type: ignore[name-defined,misc]
    """One post-it. Its original wording is kept forever; changes are recorded, not destructive."""

    __tablename__ = "statements"
    # The board reads a workshop's newest post-its a page at a time (issue 14).
    __table_args__ = (
        *state_checks("statements"),
        sa.Index("ix_statements_workshop_id_created_at_id", "workshop_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    exercise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exercises.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12), index=True)
    original_text: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    author_name: Mapped[str] = mapped_column(sa.String(120), default="")
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    borough_code: Mapped[str | None] = mapped_column(sa.ForeignKey("boroughs.code"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.String(12), default="capture")
    said_on: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Kept from whiteboard and survey exports: votes as +1s, the board column or group, the
    # sticky's colour, and every other column as a note (header -> value).
    votes: Mapped[int] = mapped_column(default=0, server_default="0")
    board_group: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    colour: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    notes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    split_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    mentions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    nlp_key: Mapped[str | None] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    workshop: Mapped[Workshop] = relationship()
    exercise: Mapped[Exercise | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    borough: Mapped[Borough | None] = relationship()
    need: Mapped["NeedDetail | None"] = relationship(
        back_populates="statement", cascade="all, delete-orphan"
    )
    # Themes on this post-it; the class lives in insights.themes.models.
    tags: Mapped[list["StatementTheme"]] = relationship(  # type: ignore[name-defined]  # noqa: F821
        viewonly=True, order_by="StatementTheme.confidence.desc()"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_deleted(self) -> bool:
        """Soft-deleted statements stay in the database and can be restored."""
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Statement {self.id} {self.kind}>"

    @classmethod
    def live(cls) -> sa.ColumnElement[bool]:
        """The condition for a live post-it: neither deleted nor merged into another."""
        return sa.and_(cls.deleted_at.is_(None), cls.merged_into_id.is_(None))

    @property
    def is_live(self) -> bool:
        """Whether this post-it is neither deleted nor merged into another."""
        return self.deleted_at is None and self.merged_into_id is None


class StatementRevision(db.Model):  # type: ignore[name-defined,misc]
    """A record of one change to a statement: edit, merge, split, delete or restore."""

    __tablename__ = "statement_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(12))
    text_before: Mapped[str] = mapped_column(sa.Text, default="")
    text_after: Mapped[str] = mapped_column(sa.Text, default="")
    related_statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class NeedDetail(db.Model):  # type: ignore[name-defined,misc]
    """The structured form of a need: As a (role) / I need (goal) / so that (benefit)."""

    __tablename__ = "need_details"
    __table_args__ = state_checks("need_details")

    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.Text, default="")
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    benefit: Mapped[str] = mapped_column(sa.Text, default="")
    met_when: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    drafted_by: Mapped[str] = mapped_column(sa.String(10), default="person")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(default=1)

    statement: Mapped[Statement] = relationship(back_populates="need")

    __mapper_args__ = {"version_id_col": version}
