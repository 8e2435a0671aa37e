"""Ids and counts from outside, checked to range before they reach the database."""

from typing import Any

# SQLite and PostgreSQL both keep integer keys in 64 bits; PostgreSQL's INTEGER is 32.
MAX_ID = 2**31 - 1


def valid_id(value: Any) -> bool:
    """Whether a value is a positive id the database can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value <= MAX_ID
    text = str(value).strip()
    return text.isascii() and text.isdecimal() and len(text) <= 10 and 0 < int(text) <= MAX_ID


def parse_id(value: Any) -> int | None:
    """The id, or None when it is not one the database can hold."""
    return int(str(value).strip()) if valid_id(value) else None
