"""Participants' +1s: one per device per post-it, the device known only by a hash of its key."""

import hashlib
import secrets
from collections.abc import Iterable

import sqlalchemy as sa

from insights.extensions import DbSession
from insights.participate.models import PlusOne
from insights.statements.models import Statement

DEVICE_KEY_BYTES = 24


def new_device_key() -> str:
    """A random key for a phone that has none yet (kept in a cookie and in localStorage)."""
    return secrets.token_urlsafe(DEVICE_KEY_BYTES)


def valid_device_key(key: str | None) -> bool:
    """Whether a key looks like one we hand out (and is not a huge or empty value)."""
    return bool(key) and 16 <= len(key or "") <= 64 and (key or "").isascii()


def device_hash(key: str) -> str:
    """What is stored of a device key: its SHA-256, so the table names no device."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def add_plus_one(session: DbSession, statement: Statement, key: str) -> bool:
    """Record this device's +1 on the statement; False when it had already given one."""
    digest = device_hash(key)
    exists = session.scalar(
        sa.select(PlusOne.id).where(
            PlusOne.statement_id == statement.id, PlusOne.device_hash == digest
        )
    )
    if exists is not None:
        return False
    session.add(PlusOne(statement_id=statement.id, device_hash=digest))
    session.flush()
    return True


def plus_one_counts(session: DbSession, statement_ids: Iterable[int]) -> dict[int, int]:
    """Statement id -> its number of +1s (statements without any are left out)."""
    ids = list(statement_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(PlusOne.statement_id, sa.func.count())
        .where(PlusOne.statement_id.in_(ids))
        .group_by(PlusOne.statement_id)
    )
    return {statement_id: int(count) for statement_id, count in rows}


def plused_by(session: DbSession, statement_ids: Iterable[int], key: str | None) -> set[int]:
    """The statements among these that this device has already +1'd."""
    ids = list(statement_ids)
    if not ids or not key or not valid_device_key(key):
        return set()
    rows = session.scalars(
        sa.select(PlusOne.statement_id).where(
            PlusOne.statement_id.in_(ids), PlusOne.device_hash == device_hash(key)
        )
    )
    return set(rows)
