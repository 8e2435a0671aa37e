"""Submissions against a standard's version, their rows, and each organisation's column mapping."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.enums import SubmissionShape, SubmissionStatus, check_in
from insights.extensions import db
from insights.organisations.models import Borough, Organisation
from insights.standards.models import StandardVersion
from insights.timeutil import utcnow


class Submission(db.Model):  # type: ignore[name-defined,misc]
    """One organisation's data for a borough and a year, against one version of a standard."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("standard_versions.id", ondelete="CASCADE"), index=True
    )
    borough_code: Mapped[str] = mapped_column(sa.ForeignKey("boroughs.code"))
    year: Mapped[int] = mapped_column()
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    shape: Mapped[str] = mapped_column(sa.String(10), default=SubmissionShape.ROWS.value)
    status: Mapped[str] = mapped_column(sa.String(10), default=SubmissionStatus.PENDING.value)
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    response_count: Mapped[int] = mapped_column(default=0)
    # Field name -> its added-up values (see insights.pooling.services): what pooling reads.
    aggregates: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The uploaded file, kept only while the submission waits for its mapping or confirmation.
    upload: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submissions.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    standard_version: Mapped[StandardVersion] = relationship()
    borough: Mapped[Borough] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        sa.Index("ix_submissions_slot", "version_id", "borough_code", "year", "status"),
        sa.CheckConstraint(check_in("status", SubmissionStatus), name="status"),
        sa.CheckConstraint(check_in("shape", SubmissionShape), name="shape"),
    )


class SubmissionRow(db.Model):  # type: ignore[name-defined,misc]
    """One responding organisation's answers, as validated; never published."""

    __tablename__ = "submission_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    values: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class ColumnMapping(db.Model):  # type: ignore[name-defined,misc]
    """How one organisation's own survey names the standard's fields, kept for next year."""

    __tablename__ = "submission_mappings"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    standard_id: Mapped[int] = mapped_column(
        sa.ForeignKey("data_standards.id", ondelete="CASCADE"), primary_key=True
    )
    # Their column heading -> our field name.
    columns: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
