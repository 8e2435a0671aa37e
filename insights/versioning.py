"""Optimistic locking: the version a form was opened at."""


def submitted_version(value: object) -> int:
    """The version number a form carried; anything else counts as stale (-1)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else -1
