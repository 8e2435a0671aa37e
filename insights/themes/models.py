"""The theme taxonomy and the themes tagged on statements."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from insights.core.constraints import state_checks
from insights.extensions import db
from insights.timeutil import utcnow

TAG_SOURCES = ("rule", "model", "person")
TAG_DECISIONS = ("suggested", "accepted", "rejected")


class Theme(db.Model):  # type: ignore[name-defined,misc]
    """An entry of the taxonomy; themes can be nested, renamed and merged."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("themes.id"))
    patterns: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("themes.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    parent: Mapped["Theme | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"

    @classmethod
    def live(cls) -> sa.ColumnElement[bool]:
        """The condition for a theme still in the taxonomy (not merged into another)."""
        return cls.merged_into_id.is_(None)


class StatementTheme(db.Model):  # type: ignore[name-defined,misc]
    """A theme on a statement: where it came from, how sure, why, and what a person decided."""

    __tablename__ = "statement_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(sa.String(10), default="rule")
    confidence: Mapped[float] = mapped_column(default=0.0)
    evidence: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    decision: Mapped[str] = mapped_column(sa.String(10), default="suggested")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    theme: Mapped[Theme] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("statement_id", "theme_id"),
        *state_checks("statement_themes"),
    )


class ThemeClassifier(db.Model):  # type: ignore[name-defined,misc]
    """A trained text classifier: where it is on disk, how it scored against the rules on a
    held-out split, and the themes for which it is used."""

    __tablename__ = "theme_classifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    train_count: Mapped[int] = mapped_column(default=0)
    heldout_count: Mapped[int] = mapped_column(default=0)
    epochs: Mapped[int] = mapped_column(default=0)
    # {slug: {"rules": {precision, recall, f1, support}, "model": {...}, "either": {...},
    #         "mode": "rules" | "model" | "either"}}
    scores: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    trained_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def key(self) -> str:
        """What tags made with this classifier depend on, for the statements' nlp_key."""
        return f"classifier:{self.id}"

    def modes(self) -> dict[str, str]:
        """How each theme is tagged: by the rules, the model, or either of them."""
        return {slug: row["mode"] for slug, row in self.scores.items() if slug != "micro"}
