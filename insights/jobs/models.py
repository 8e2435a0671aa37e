"""A background job: what to do, who asked, how far it has got and how it ended.

The table, not the queue, is the truth about a job: the queue only wakes a worker up with a
job's id, and a worker claims the row before it starts (see services.claim_job)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from insights.core.enums import JobStatus, check_in
from insights.extensions import db
from insights.timeutil import utcnow

DEFAULT_MAX_ATTEMPTS = 3


class Job(db.Model):  # type: ignore[name-defined,misc]
    """One piece of background work (a re-tag, an import, a document build…)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default=JobStatus.QUEUED.value, index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=DEFAULT_MAX_ATTEMPTS)
    # Where a resumed attempt picks up (e.g. the last statement id stored), set by the handler.
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    worker_id: Mapped[str | None] = mapped_column(sa.String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    error: Mapped[str] = mapped_column(sa.Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.CheckConstraint(check_in("status", JobStatus), name="status"),)

    @property
    def finished(self) -> bool:
        """Whether the job has stopped, well or badly."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        """How far along the job is, 0–100."""
        if self.status == JobStatus.DONE or not self.total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, int(100 * self.done / self.total))

    def progress_dict(self) -> dict[str, Any]:
        """What the progress script and `insights jobs list` show."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "error": self.error,
        }
