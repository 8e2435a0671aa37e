"""Workshops, their exercises, members and participants."""

import datetime as dt
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.auth.models import User
from insights.core.constraints import state_checks
from insights.extensions import db
from insights.organisations.models import Borough, Organisation
from insights.timeutil import utcnow

WORKSHOP_STATUSES = ("draft", "live", "closed")
STATEMENT_KINDS = ("need", "source", "challenge", "collected", "idea", "next-step")
MEMBER_ROLES = ("facilitator", "member")


class Workshop(db.Model):  # type: ignore[name-defined,misc]
    """One event: a title, a date, a host network, a place and a status."""

    __tablename__ = "workshops"
    __table_args__ = state_checks("workshops")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    host_network: Mapped[str] = mapped_column(sa.String(200), default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    online: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    participant_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    participant_link_enabled: Mapped[bool] = mapped_column(default=False)
    # Whether participants, from the link, see the workshop's post-its read-only and +1 them.
    participants_see_cards: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(default=1)

    exercises: Mapped[list["Exercise"]] = relationship(
        back_populates="workshop", order_by="Exercise.position", cascade="all, delete-orphan"
    )
    memberships: Mapped[list["WorkshopMember"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Workshop {self.slug}>"


class WorkshopMember(db.Model):  # type: ignore[name-defined,misc]
    """An account's place in a workshop: one of its facilitators, or an invited member."""

    __tablename__ = "workshop_members"
    __table_args__ = state_checks("workshop_members")

    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), default="member")

    workshop: Mapped[Workshop] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Exercise(db.Model):  # type: ignore[name-defined,misc]
    """One prompt within a workshop, collecting statements of one kind."""

    __tablename__ = "exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    prompt: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(12))

    workshop: Mapped[Workshop] = relationship(back_populates="exercises")

    __table_args__ = (sa.UniqueConstraint("workshop_id", "key"),)


class Participant(db.Model):  # type: ignore[name-defined,misc]
    """A person taking part in a workshop; their name is shown only with consent."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    borough_code: Mapped[str | None] = mapped_column(sa.ForeignKey("boroughs.code"))
    named_with_consent: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation | None] = relationship()
    borough: Mapped[Borough | None] = relationship()
