"""Recording changes in the audit log."""

from typing import Any

from insights.audit.models import AuditEntry
from insights.extensions import DbSession


def record(
    session: DbSession,
    action: str,
    entity_type: str,
    entity_id: object = "",
    *,
    user_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the session; the caller commits it with the change itself."""
    entry = AuditEntry(
        user_id=user_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details,
    )
    session.add(entry)
    return entry
