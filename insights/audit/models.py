"""The audit log: who changed what, and when, with the values before and after."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.extensions import db
from insights.timeutil import utcnow


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """One recorded change, for admins to review and export."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The workshop the change happened in, when it belongs to one (for the filter).
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity_id: Mapped[str] = mapped_column(sa.String(40), default="")
    before: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    after: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
