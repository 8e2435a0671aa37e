"""Rate limits shared by the pages that take posts from outside, and whom each limit counts.

With INSIGHTS_REDIS_URL set the counts live in Redis, so every app server sees the same ones."""

from flask import current_app, session
from flask_limiter.util import get_remote_address

from insights.core.participants import SESSION_KEY, participant_token


def participant_limit() -> str:
    """Posts allowed per participant (configurable as PARTICIPANT_POST_LIMIT)."""
    return str(current_app.config["PARTICIPANT_POST_LIMIT"])


def remember_participant() -> None:
    """Give this phone its participant token (the one its votes use), when it has none yet."""
    participant_token()


def participant_key() -> str:
    """Whom a participant post counts against: the phone's participant token, so a room of
    phones behind one venue address is not limited as one; the address when the client
    kept no session (it cannot shed its limit by dropping cookies)."""
    key = session.get(SESSION_KEY)
    if isinstance(key, str) and key:
        return f"participant:{key}"
    return f"address:{get_remote_address()}"
