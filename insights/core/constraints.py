"""Check constraints that keep each state column to its enum (models and migrations)."""

from enum import StrEnum

import sqlalchemy as sa

from insights.core.enums import (
    CarryMode,
    Decision,
    LinkStatus,
    MemberRole,
    NeedStatus,
    NextStepStatus,
    RequestStatus,
    Role,
    RoundUpStatus,
    StatementKind,
    TagSource,
    VoteStatus,
    WorkshopStatus,
    check_in,
)

# table -> (column, enum, constraint name); the naming convention prefixes "ck_<table>_".
STATE_COLUMNS: dict[str, tuple[tuple[str, type[StrEnum], str], ...]] = {
    "users": (("role", Role, "role"),),
    "workshops": (("status", WorkshopStatus, "status"),),
    "workshop_members": (("role", MemberRole, "role"),),
    "statements": (("kind", StatementKind, "kind"),),
    "need_details": (("status", NeedStatus, "status"),),
    "statement_themes": (("source", TagSource, "source"), ("decision", Decision, "decision")),
    "need_dataset_links": (("status", LinkStatus, "status"),),
    "next_steps": (("status", NextStepStatus, "status"),),
    "vote_rounds": (("status", VoteStatus, "status"),),
    "roundups": (("status", RoundUpStatus, "status"),),
    "data_requests": (("status", RequestStatus, "status"),),
    "carried_items": (("mode", CarryMode, "mode"),),
}


def state_checks(table: str) -> tuple[sa.CheckConstraint, ...]:
    """The model-side check constraints of one table."""
    return tuple(
        sa.CheckConstraint(check_in(column, enum), name=name)
        for column, enum, name in STATE_COLUMNS[table]
    )
