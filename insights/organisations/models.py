"""Places and organisations: the London boroughs and participants' organisations."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.extensions import db
from insights.timeutil import utcnow

ORGANISATION_TYPES = (
    "cvs",
    "local-authority",
    "funder",
    "charity",
    "community-group",
    "public-body",
    "infrastructure",
    "research",
    "business",
    "other",
)


class Borough(db.Model):  # type: ignore[name-defined,misc]
    """One of the 33 London local authorities, keyed by its ONS code."""

    __tablename__ = "boroughs"

    code: Mapped[str] = mapped_column(sa.String(9), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)

    def __repr__(self) -> str:
        return f"<Borough {self.code} {self.name}>"


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    """A participant's or data holder's organisation."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    type: Mapped[str] = mapped_column(sa.String(30), default="other")
    borough_code: Mapped[str | None] = mapped_column(sa.ForeignKey("boroughs.code"))
    org_id: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    borough: Mapped[Borough | None] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"
