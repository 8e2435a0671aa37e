"""Rate limits shared by the pages that take posts from outside."""

from flask import current_app


def participant_limit() -> str:
    """Posts allowed per client (configurable as PARTICIPANT_POST_LIMIT)."""
    return str(current_app.config["PARTICIPANT_POST_LIMIT"])
