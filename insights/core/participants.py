"""Participants behind a workshop's link, who have no account: known by a token kept in
their browser's signed session, made the first time they vote or pick."""

import secrets

from flask import session

SESSION_KEY = "participant_voter"


def participant_token() -> str:
    """This browser's participant token (made on first use)."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(18)
        session[SESSION_KEY] = token
    return token
