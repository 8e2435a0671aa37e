"""Long lists a page at a time: the page number from the query string, bounded and clamped,
and one query that reads a page of rows with the true total beside it.

Every list that can grow past a few hundred rows (a board of 51,000 post-its was one 18 MB
page) reads its rows through `paginate`, and draws its links with the `pager` macro of
templates/macros.html, which keeps the other query-string arguments (the filters).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple

import sqlalchemy as sa
from flask import request, url_for

from insights.extensions import DbSession

T = TypeVar("T")
Row = TypeVarTuple("Row")

# Far beyond any list we hold, small enough that (page - 1) * size stays a sane OFFSET.
MAX_PAGE = 100_000


def page_number(args: Mapping[str, Any], name: str = "page") -> int:
    """The page asked for: 1 unless the argument is a whole number; clamped to 1..MAX_PAGE.

    `?page=-1`, `?page=abc` and `?page=999999999999999999999` all give a page, never an error.
    """
    text = str(args.get(name, "") or "").strip()
    if not (text.isascii() and text.isdecimal()):
        return 1
    if len(text) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(MAX_PAGE, max(1, int(text)))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, which page it is, and how many rows the list holds."""

    items: Sequence[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the list fills (at least one, even when it is empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based position of this page's first row in the whole list (0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        """The 1-based position of this page's last row in the whole list."""
        return (self.number - 1) * self.size + len(self.items)


def count_rows(session: DbSession, query: sa.Select[*Row]) -> int:
    """How many rows a query gives, without reading them."""
    counted = query.order_by(None).options().subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0)


def paginate(
    session: DbSession,
    query: sa.Select[*Row],
    number: int,
    size: int,
    scalars: bool = True,
    total: int | None = None,
) -> Page[Any]:
    """Page `number` (clamped to the last page) of an ordered query, `size` rows at a time.

    With scalars=False the rows are whole result rows (for queries of several columns); a
    caller that has counted the rows already passes `total`, saving a count.
    """
    total = count_rows(session, query) if total is None else total
    last = max(1, -(-total // size))
    number = min(max(1, number), last)
    window = query.offset((number - 1) * size).limit(size)
    items = list(session.scalars(window)) if scalars else list(session.execute(window).all())
    return Page(items=items, number=number, size=size, total=total)


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Page `number` (clamped) of a list already in memory, e.g. a register grouped in Python."""
    last = max(1, -(-len(items) // size))
    number = min(max(1, number), last)
    start = (number - 1) * size
    return Page(items=items[start : start + size], number=number, size=size, total=len(items))


def page_url(number: int, name: str = "page") -> str:
    """This page's address at another page number, every other argument (the filters) kept."""
    values: dict[str, Any] = dict(request.view_args or {})
    values.update((key, kept) for key, kept in request.args.lists() if key != name)
    if number > 1:
        values[name] = str(number)
    return url_for(str(request.endpoint), **values)
