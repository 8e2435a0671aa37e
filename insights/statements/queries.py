"""Reading statements for the board and capture pages, in a fixed number of queries."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from insights.core.pages import Page, paginate
from insights.extensions import DbSession
from insights.organisations.models import Borough, Organisation
from insights.statements.models import Statement
from insights.themes.models import StatementTheme, Theme
from insights.workshops.models import Workshop

# Cards on one page of the board: a wall of 51,000 post-its was one 18 MB page.
BOARD_PAGE_SIZE = 200


@dataclass(frozen=True)
class BoardFilters:
    """What the board is narrowed to; empty values mean "everything"."""

    kind: str = ""
    theme: str = ""
    organisation: int | None = None
    borough: str = ""
    mention: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args: Any) -> "BoardFilters":
        """Read the filters from a request's query string."""
        organisation = args.get("organisation", "")
        return cls(
            kind=args.get("kind", "").strip(),
            theme=args.get("theme", "").strip(),
            organisation=int(organisation) if organisation.isdecimal() else None,
            borough=args.get("borough", "").strip(),
            mention=args.get("mention", "").strip(),
            q=" ".join(args.get("q", "").split())[:200],
        )

    def active(self) -> bool:
        """Whether any filter narrows the board."""
        return any((self.kind, self.theme, self.organisation, self.borough, self.mention, self.q))


def with_card_data(query: sa.Select[Any]) -> sa.Select[Any]:
    """Load everything a card shows alongside the statements, in a few batched queries."""
    return query.options(
        selectinload(Statement.organisation),
        selectinload(Statement.borough),
        selectinload(Statement.tags).selectinload(StatementTheme.theme),
    )


def board_query(workshop: Workshop, filters: BoardFilters) -> sa.Select[Any]:
    """The workshop's visible statements (not deleted, not merged away), filtered."""
    query = sa.select(Statement).where(
        Statement.workshop_id == workshop.id,
        Statement.live(),
    )
    if filters.kind:
        query = query.where(Statement.kind == filters.kind)
    if filters.organisation:
        query = query.where(Statement.organisation_id == filters.organisation)
    if filters.borough:
        query = query.where(Statement.borough_code == filters.borough)
    if filters.theme:
        tagged = (
            sa.select(StatementTheme.statement_id)
            .join(Theme)
            .where(Theme.slug == filters.theme, StatementTheme.decision != "rejected")
        )
        query = query.where(Statement.id.in_(tagged))
    if filters.q:
        for word in filters.q.split()[:8]:
            pattern = f"%{escape_like(word.lower())}%"
            query = query.where(
                sa.or_(
                    sa.func.lower(Statement.text).like(pattern, escape="\\"),
                    sa.func.lower(Statement.original_text).like(pattern, escape="\\"),
                )
            )
    if filters.mention:
        query = query.where(
            sa.cast(Statement.mentions, sa.Text).like(
                f"%{escape_like(filters.mention)}%", escape="\\"
            )
        )
    return query.order_by(Statement.created_at, Statement.id)


def escape_like(text: str) -> str:
    """Make % and _ match themselves in a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def board_statements(
    session: DbSession,
    workshop: Workshop,
    filters: BoardFilters,
    after_id: int = 0,
    limit: int | None = None,
) -> list[Statement]:
    """The board's cards, optionally only those newer than after_id, oldest first; with a
    limit, only the newest `limit` of them (still oldest first)."""
    query = board_query(workshop, filters)
    if after_id:
        query = query.where(Statement.id > after_id)
    if limit is None:
        return list(session.scalars(with_card_data(query)))
    newest = query.order_by(None).order_by(Statement.id.desc()).limit(limit)
    return list(reversed(session.scalars(with_card_data(newest)).all()))


def board_page(
    session: DbSession,
    workshop: Workshop,
    filters: BoardFilters,
    number: int,
    size: int = BOARD_PAGE_SIZE,
    total: int | None = None,
) -> Page[Statement]:
    """One page of the board's cards, newest first, with the true total of those that match."""
    query = board_query(workshop, filters).order_by(None)
    newest_first = query.order_by(Statement.created_at.desc(), Statement.id.desc())
    return paginate(session, with_card_data(newest_first), number, size, total=total)


def board_totals(
    session: DbSession, workshop: Workshop, filters: BoardFilters
) -> tuple[dict[int | None, int], int]:
    """Cards that match, by exercise, and the newest id among them (where live polling
    starts, whichever page is drawn)."""
    matching = board_query(workshop, filters).order_by(None).subquery()
    rows = session.execute(
        sa.select(matching.c.exercise_id, sa.func.count(), sa.func.max(matching.c.id)).group_by(
            matching.c.exercise_id
        )
    ).all()
    return {exercise: int(n) for exercise, n, _ in rows}, max((m for *_, m in rows), default=0)


def recent_statements(session: DbSession, workshop: Workshop, limit: int = 20) -> list[Statement]:
    """The latest cards of a workshop, newest first, for the capture page."""
    query = (
        sa.select(Statement)
        .where(
            Statement.workshop_id == workshop.id,
            Statement.live(),
        )
        .order_by(Statement.id.desc())
        .limit(limit)
    )
    return list(session.scalars(with_card_data(query)))


def filter_options(session: DbSession, workshop: Workshop) -> dict[str, Sequence[Any]]:
    """The organisations, boroughs and mentions present in the workshop, for the filter menus."""
    live = sa.and_(Statement.workshop_id == workshop.id, Statement.deleted_at.is_(None))
    organisations = session.execute(
        sa.select(Organisation.id, Organisation.name)
        .join(Statement, Statement.organisation_id == Organisation.id)
        .where(live)
        .distinct()
        .order_by(Organisation.name)
    ).all()
    boroughs = session.execute(
        sa.select(Borough.code, Borough.name)
        .join(Statement, Statement.borough_code == Borough.code)
        .where(live)
        .distinct()
        .order_by(Borough.name)
    ).all()
    mentions = sorted({(m["label"], m["text"]) for ms in mention_lists(session, live) for m in ms})
    themes = session.execute(
        sa.select(Theme.slug, Theme.name).where(Theme.live()).order_by(Theme.position)
    ).all()
    return {
        "organisations": organisations,
        "boroughs": boroughs,
        "mentions": mentions,
        "themes": themes,
    }


# Post-its whose mentions fill the Mentions menu: the newest that have any. Reading every
# post-it's list took 1.8 s of a 51,000-post-it board; the filter itself still reaches all.
MENTION_MENU_SOURCES = 5_000


def mention_lists(session: DbSession, live: sa.ColumnElement[bool]) -> list[list[dict[str, Any]]]:
    """The distinct non-empty mention lists of the newest post-its, parsed once each."""
    text = sa.cast(Statement.mentions, sa.Text)
    newest = (
        sa.select(text.label("mentions"))
        .where(live, Statement.mentions.is_not(None), text.not_in(["[]", "null"]))
        .order_by(Statement.id.desc())
        .limit(MENTION_MENU_SOURCES)
        .subquery()
    )
    rows = session.scalars(sa.select(newest.c.mentions).distinct())
    return [parsed for raw in rows if isinstance(parsed := json.loads(raw), list)]
