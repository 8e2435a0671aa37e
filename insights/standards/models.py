"""Data standards, their versions and fields, the needs each field serves, and endorsements."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.enums import StandardStatus, check_in
from insights.extensions import db
from insights.timeutil import utcnow

FIELD_TYPES = ("string", "integer", "number", "boolean", "year", "date")

standard_field_needs = sa.Table(
    "standard_field_needs",
    db.metadata,
    sa.Column(
        "field_id", sa.ForeignKey("standard_fields.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("statement_id", sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
)


class DataStandard(db.Model):  # type: ignore[name-defined,misc]
    """A minimum data set of one workshop; its content lives in numbered versions."""

    __tablename__ = "data_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    versions: Mapped[list["StandardVersion"]] = relationship(
        back_populates="standard", order_by="StandardVersion.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<DataStandard {self.slug}>"


class StandardVersion(db.Model):  # type: ignore[name-defined,misc]
    """One version of a standard: a draft the leads edit, or published and never changed."""

    __tablename__ = "standard_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("data_standards.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(10), default=StandardStatus.DRAFT.value)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    standard: Mapped[DataStandard] = relationship(back_populates="versions")
    fields: Mapped[list["StandardField"]] = relationship(
        back_populates="standard_version",
        order_by="StandardField.position",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("standard_id", "number"),
        sa.CheckConstraint(check_in("status", StandardStatus), name="status"),
    )

    @property
    def is_published(self) -> bool:
        """Published versions are frozen: submissions are made against them."""
        return self.status == StandardStatus.PUBLISHED.value


class StandardField(db.Model):  # type: ignore[name-defined,misc]
    """One field of a version: what it means, its type, unit, code list and guidance."""

    __tablename__ = "standard_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("standard_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(200))
    question: Mapped[str] = mapped_column(sa.Text, default="")
    definition: Mapped[str] = mapped_column(sa.Text, default="")
    type: Mapped[str] = mapped_column(sa.String(10), default="string")
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    # [{"code": ..., "label": ...}]: the code is what a cell holds, the label what people read.
    allowed_values: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    minimum: Mapped[float | None] = mapped_column(sa.Double)
    pattern: Mapped[str] = mapped_column(sa.String(200), default="")
    required: Mapped[bool] = mapped_column(default=False)
    identifying: Mapped[bool] = mapped_column(default=False)
    guidance: Mapped[str] = mapped_column(sa.Text, default="")
    library_source: Mapped[str] = mapped_column(sa.String(80), default="")

    standard_version: Mapped[StandardVersion] = relationship(back_populates="fields")
    needs: Mapped[list[Any]] = relationship(
        "Statement", secondary=standard_field_needs, order_by="Statement.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("version_id", "name"),
        sa.CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in FIELD_TYPES) + ")", name="type"
        ),
    )

    @property
    def codes(self) -> list[str]:
        """The allowed codes, in order ([] when any value of the type will do)."""
        return [value["code"] for value in self.allowed_values]


class StandardEndorsement(db.Model):  # type: ignore[name-defined,misc]
    """A member's endorsement of one version of a standard."""

    __tablename__ = "standard_endorsements"

    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("standard_versions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
