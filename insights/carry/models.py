"""A record of each item carried from one workshop to the next."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.timeutil import utcnow
from insights.workshops.models import Workshop

CARRIED_TYPES = ("statement", "next-step")


class CarriedItem(db.Model):  # type: ignore[name-defined,misc]
    """One post-it or next step carried on: where it came from and where it went. A move keeps
    the item's id (carried_id == original_id); a copy names the new row."""

    __tablename__ = "carried_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_type: Mapped[str] = mapped_column(sa.String(10))
    mode: Mapped[str] = mapped_column(sa.String(4))
    from_workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    to_workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    original_id: Mapped[int] = mapped_column()
    carried_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.Text, default="")
    carried_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    carried_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    from_workshop: Mapped[Workshop] = relationship(foreign_keys=[from_workshop_id])
    to_workshop: Mapped[Workshop] = relationship(foreign_keys=[to_workshop_id])

    # Carrying the same item to the same workshop twice changes nothing.
    __table_args__ = (
        sa.UniqueConstraint("item_type", "original_id", "to_workshop_id"),
        *state_checks("carried_items"),
    )
