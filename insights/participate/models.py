"""A participant's +1 on a post-it: one per device, counted on the card and in the ranking."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.extensions import db
from insights.timeutil import utcnow


class PlusOne(db.Model):  # type: ignore[name-defined,misc]
    """One device's +1 on one statement; the device is kept only as a hash of its key."""

    __tablename__ = "plus_ones"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    device_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("statement_id", "device_hash"),)
