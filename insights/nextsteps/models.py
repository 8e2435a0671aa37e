"""Next steps, what they address, and dot votes on them."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.timeutil import utcnow

if TYPE_CHECKING:
    from insights.auth.models import User
    from insights.datasets.models import Dataset
    from insights.organisations.models import Organisation
    from insights.statements.models import Statement
    from insights.themes.models import Theme

NEXT_STEP_STATUSES = ("proposed", "agreed", "in-progress", "done", "parked")
EFFORTS = ("S", "M", "L")
VOTE_STATUSES = ("open", "closed")
# Where a next step came from: typed in, a post-it, a gap, or a pooling opportunity.
ORIGINS = ("scratch", "statement", "gap", "pooling")


def _link_table(name: str, target: str) -> sa.Table:
    """An association table from next steps to one kind of thing they address."""
    return sa.Table(
        name,
        db.metadata,
        sa.Column(
            "next_step_id", sa.ForeignKey("next_steps.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            f"{target}_id", sa.ForeignKey(f"{target}s.id", ondelete="CASCADE"), primary_key=True
        ),
    )


next_step_statements = _link_table("next_step_statements", "statement")
next_step_themes = _link_table("next_step_themes", "theme")
next_step_datasets = _link_table("next_step_datasets", "dataset")


class NextStep(db.Model):  # type: ignore[name-defined,misc]
    """An action the network could take, linked to the needs, gaps and themes it addresses."""

    __tablename__ = "next_steps"
    __table_args__ = state_checks("next_steps")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    owner_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")
    due_date: Mapped[date | None] = mapped_column(sa.Date)
    effort: Mapped[str | None] = mapped_column(sa.String(1))
    impact: Mapped[int | None] = mapped_column()
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    source_statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    origin: Mapped[str] = mapped_column(sa.String(12), default="scratch", server_default="scratch")
    version: Mapped[int] = mapped_column(default=1)

    statements: Mapped[list["Statement"]] = relationship(
        secondary=next_step_statements, order_by="Statement.id"
    )
    themes: Mapped[list["Theme"]] = relationship(secondary=next_step_themes, order_by="Theme.name")
    datasets: Mapped[list["Dataset"]] = relationship(
        secondary=next_step_datasets, order_by="Dataset.title"
    )
    owner_user: Mapped["User | None"] = relationship(foreign_keys=[owner_user_id])
    owner_organisation: Mapped["Organisation | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_deleted(self) -> bool:
        """Deleted steps stay in the database and can be restored."""
        return self.deleted_at is not None

    @property
    def owner_name(self) -> str:
        """Who owns the step: a person, an organisation, or nobody yet."""
        if self.owner_user is not None:
            return str(self.owner_user.name)
        if self.owner_organisation is not None:
            return str(self.owner_organisation.name)
        return ""

    def __repr__(self) -> str:
        return f"<NextStep {self.id} {self.title!r}>"


class PriorityWeights(db.Model):  # type: ignore[name-defined,misc]
    """How much each ranking factor counts in one workshop, set by its lead."""

    __tablename__ = "priority_weights"

    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    # {factor: weight}; factors missing here take their default (insights.nextsteps.ranking).
    weights: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
