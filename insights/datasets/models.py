"""The dataset catalogue and the links between needs and datasets."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.organisations.models import Organisation
from insights.themes.models import Theme
from insights.timeutil import utcnow

# Finest first. "grant" and "organisation" are record-level: they can be summed to any area.
GRANULARITIES = (
    "point",
    "grant",
    "organisation",
    "oa",
    "lsoa",
    "msoa",
    "ward",
    "borough",
    "region",
    "national",
)
ACCESS_LEVELS = ("open", "restricted", "held-privately")
LINK_STATUSES = ("suggested", "confirmed", "rejected")
LINK_COVERAGES = ("serves", "partly-serves")

dataset_themes = sa.Table(
    "dataset_themes",
    db.metadata,
    sa.Column("dataset_id", sa.ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Dataset(db.Model):  # type: ignore[name-defined,misc]
    """A catalogue entry in the shape of a DCAT / CKAN record."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    publisher: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    landing_page: Mapped[str] = mapped_column(sa.String(1000), default="")
    licence: Mapped[str] = mapped_column(sa.String(200), default="")
    keywords: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    spatial_coverage: Mapped[str] = mapped_column(sa.String(120), default="")
    granularity: Mapped[str] = mapped_column(sa.String(20), default="")
    update_frequency: Mapped[str] = mapped_column(sa.String(40), default="")
    access: Mapped[str] = mapped_column(sa.String(20), default="open")
    holder_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    source: Mapped[str] = mapped_column(sa.String(20), default="manual")
    source_statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id"))
    # A dataset made from a post-it belongs to its workshop, seen by its members only, until a
    # facilitator publishes it to the shared catalogue. Catalogue entries have no workshop.
    workshop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    extra: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Identity at the source: DCAT identifier or CKAN id, with the portal it came from.
    identifier: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    source_portal: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    doi: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    temporal_coverage: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    formats: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Each resource or distribution: {"title", "format", "url", "media_type"}.
    distributions: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list)
    # Other languages of multilingual fields: {"title": {"de": "…"}, "description": {…}}.
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(sa.JSON, default=dict)
    harvest_source_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("harvest_sources.id", ondelete="SET NULL"), index=True
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    deleted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    holder: Mapped[Organisation | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=dataset_themes)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_datasets_source_identity", "source_portal", "identifier"),)

    def __repr__(self) -> str:
        return f"<Dataset {self.title!r}>"


class HarvestSource(db.Model):  # type: ignore[name-defined,misc]
    """A catalogue harvested on demand or on a schedule: a CKAN portal or a data.json / DCAT URL."""

    __tablename__ = "harvest_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(1000))
    kind: Mapped[str] = mapped_column(sa.String(10), default="ckan")  # ckan | dcat
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    tag: Mapped[str] = mapped_column(sa.String(200), default="")
    every_hours: Mapped[int | None] = mapped_column()  # None: only on demand
    last_run_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_report: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<HarvestSource {self.url!r}>"


class NeedDatasetLink(db.Model):  # type: ignore[name-defined,misc]
    """A need linked to a dataset: suggested, confirmed or rejected, with its score and reasons."""

    __tablename__ = "need_dataset_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    dataset_id: Mapped[int] = mapped_column(
        sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="suggested")
    coverage: Mapped[str | None] = mapped_column(sa.String(14))
    score: Mapped[float] = mapped_column(default=0.0)
    # How good a suggestion is in words (strong / possible / weak); None on links a person made.
    strength: Mapped[str | None] = mapped_column(sa.String(8))
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    dataset: Mapped[Dataset] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("statement_id", "dataset_id"),
        *state_checks("need_dataset_links"),
    )
