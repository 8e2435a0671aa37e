"""A data request, made from one or more gaps and addressed to a publisher or holder of data."""

import datetime as dt
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.timeutil import utcnow

if TYPE_CHECKING:
    from insights.datasets.models import Dataset
    from insights.organisations.models import Organisation
    from insights.statements.models import Statement

data_request_needs = sa.Table(
    "data_request_needs",
    db.metadata,
    sa.Column(
        "request_id", sa.ForeignKey("data_requests.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("statement_id", sa.ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
)


class DataRequest(db.Model):  # type: ignore[name-defined,misc]
    """A request for data: drafted, sent, then answered (perhaps naming a dataset) or declined."""

    __tablename__ = "data_requests"
    __table_args__ = state_checks("data_requests")

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    addressee: Mapped[str] = mapped_column(sa.String(300))
    holder_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="drafted")
    sent_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    answered_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    dataset_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("datasets.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(default=1)

    needs: Mapped[list["Statement"]] = relationship(
        secondary=data_request_needs, order_by="Statement.id"
    )
    holder: Mapped["Organisation | None"] = relationship()
    dataset: Mapped["Dataset | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<DataRequest {self.id} {self.status} to {self.addressee!r}>"
