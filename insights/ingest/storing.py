"""Bulk inserts that return what they inserted, so nothing is found again by a side key."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from insights.extensions import DbSession


def insert_returning(
    session: DbSession, table: sa.Table, rows: Sequence[dict[str, Any]], *columns: str
) -> list[tuple[Any, ...]]:
    """Insert rows in batches (SQLAlchemy's insertmanyvalues) and return the given columns.

    The rows come back in no promised order, which is why callers ask for the columns they
    need (id and kind, say) rather than zipping ids with their parameters.
    """
    if not rows:
        return []
    returning = [table.c[name] for name in (columns or ("id",))]
    result = session.execute(sa.insert(table).returning(*returning), list(rows))
    return [tuple(row) for row in result]
