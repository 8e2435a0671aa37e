"""Open-data releases of a standard's pooled, suppressed data."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.extensions import db
from insights.timeutil import utcnow


class PoolRelease(db.Model):  # type: ignore[name-defined,misc]
    """One publication of the pooled data: frozen rows, their Table Schema, its catalogue entry."""

    __tablename__ = "pool_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("data_standards.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    threshold: Mapped[int] = mapped_column(default=5)
    # The published table: already suppressed, so it is safe to serve as it is.
    rows: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    table_schema: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    dataset_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("datasets.id", ondelete="SET NULL")
    )
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("standard_id", "number"),)
