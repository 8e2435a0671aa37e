"""Recording changes in the audit log: the one function every feature calls, and the queries
the audit page reads.

Call `record` from the service that makes the change, in the same session, so the entry is
committed with the change or not at all:

    record(session, "next_step.edit", "next_step", step.id, user_id=user.id,
           workshop_id=step.workshop_id, before=old, after=snapshot(step, FIELDS))

`action` is "<thing>.<verb>"; `entity_type` is the kind of thing (the audit page filters on it).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa

from insights.audit.models import AuditEntry
from insights.extensions import DbSession

# Long text is cut in the log: the statement's own revisions keep every word.
MAX_VALUE_LENGTH = 2000


def record(
    session: DbSession,
    action: str,
    entity_type: str,
    entity_id: object = "",
    *,
    user_id: int | None = None,
    workshop_id: int | None = None,
    before: Any = None,
    after: Any = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the session; the caller commits it with the change itself."""
    entry = AuditEntry(
        user_id=user_id,
        workshop_id=workshop_id,
        action=action[:60],
        entity_type=entity_type[:40],
        entity_id=str(entity_id)[:40],
        before=json_safe(before),
        after=json_safe(after),
        details=json_safe(details),
    )
    session.add(entry)
    return entry


def json_safe(value: Any) -> Any:
    """A value the JSON column can hold: dates as ISO text, sets as sorted lists, text cut."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, str):
        return value[:MAX_VALUE_LENGTH]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(json_safe(item) for item in value)
    if isinstance(value, Iterable):
        return [json_safe(item) for item in value]
    return str(value)[:MAX_VALUE_LENGTH]


def snapshot(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The named attributes of a row, JSON-safe: the `before` or `after` of a change."""
    return {name: json_safe(getattr(row, name, None)) for name in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, before and after (an unchanged field is noise)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page is narrowed to; None means any."""

    workshop_id: int | None = None
    user_id: int | None = None
    entity_type: str | None = None


def entries_query(filters: AuditFilter) -> sa.Select[Any]:
    """Audit entries matching the filter, newest first."""
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if filters.workshop_id is not None:
        query = query.where(AuditEntry.workshop_id == filters.workshop_id)
    if filters.user_id is not None:
        query = query.where(AuditEntry.user_id == filters.user_id)
    if filters.entity_type:
        query = query.where(AuditEntry.entity_type == filters.entity_type)
    return query


def entity_types(session: DbSession) -> list[str]:
    """Every kind of thing the log has entries for, for the filter's choices."""
    query = sa.select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)
    return list(session.scalars(query))


def entries_for(session: DbSession, entity_type: str, entity_id: object) -> list[AuditEntry]:
    """Every entry about one thing, oldest first."""
    query = (
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(query))
