"""Helpers for tests that play several browsers against one app."""

from flask import g


def forget_last_request() -> None:
    """Drop what Flask-Login and Flask-WTF cached in the app context for the last request.

    The test fixtures hold one app context open for the whole test, and Flask reuses it for
    every request, so the signed-in user and the CSRF token of one browser would otherwise
    leak into the next browser's request; a real server starts each request afresh."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
